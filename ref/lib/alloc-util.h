/* Growing arrays and freeing on scope exit: the library's one growth policy
 * and its __attribute__((cleanup)) helpers, after systemd's
 * src/basic/alloc-util.h (GREEDY_REALLOC, _cleanup_free_, TAKE_PTR). */
#ifndef NC_ALLOC_UTIL_H
#define NC_ALLOC_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nixcontainer.h"

/* Makes room for at least `need` items of `item_size` bytes in *array,
 * which has room for *capacity: from `first` items (or the present
 * capacity), doubled until `need` fits, the byte count checked for
 * overflow. Returns 0, or -ENOMEM with *array and *capacity unchanged.
 * (Our own: libc's reallocarray() checks the product but has no growth
 * policy, and the fault tier injects failures through realloc().) */
int nc_grow(void **array, size_t *capacity, size_t need, size_t item_size, size_t first);

/* nc_grow() for a typed array: NC_GROW(plan->steps, plan->capacity, plan->n + 1, 16). */
#define NC_GROW(array, capacity, need, first) \
        ((need) <= (capacity) ? 0 : nc_grow((void **) &(array), &(capacity), (need), sizeof *(array), (first)))

/* A copy of the `len` bytes at `p` with a NUL after them, to be freed
 * with free(); NULL when out of memory (systemd's memdup_suffix0()). */
char *nc_memdup_nul(const void *p, size_t len);

/* The number of elements of an array (not a pointer). */
#define ELEMENTSOF(array) (sizeof(array) / sizeof((array)[0]))

/* Runs `func(&variable)` when the variable goes out of scope. */
#define _cleanup_(func) __attribute__((cleanup(func)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_close_ _cleanup_(closep)

/* The variable's value, which the cleanup then no longer frees. */
#define TAKE_PTR(p)                        \
        ({                                 \
                typeof(p) _taken = (p);    \
                (p) = NULL;                \
                _taken;                    \
        })
/* The same for a struct held by value (nc_strv, nc_strbuf, nc_plan). */
#define TAKE_STRUCT(s)                             \
        ({                                         \
                typeof(s) _taken = (s);            \
                (s) = (typeof(s)) { 0 };           \
                _taken;                            \
        })

static inline void freep(void *p) {
        free(*(void **) p);
}

static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}

static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}

/* `type *` variables freed by `func`: _cleanup_(funcp) type *x = NULL; */
#define NC_DEFINE_POINTER_CLEANUP(type, func)       \
        static inline void func##p(type **p) {      \
                func(*p);                           \
        }

NC_DEFINE_POINTER_CLEANUP(nc_env, nc_env_free)
NC_DEFINE_POINTER_CLEANUP(nc_config, nc_config_free)
NC_DEFINE_POINTER_CLEANUP(nc_container, nc_container_free)
NC_DEFINE_POINTER_CLEANUP(nc_netlink, nc_netlink_free)

/* nc_strv_clear(), nc_strbuf_free() and nc_plan_clear() take the struct's
 * address and serve as cleanups as they are: _cleanup_(nc_strv_clear) nc_strv v = { 0 }; */

#endif
