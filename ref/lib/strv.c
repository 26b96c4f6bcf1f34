/* nc_strv: a growable vector of owned strings, NULL-terminated whenever it
 * holds an array (items[n] == NULL), so that items can go to execv(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "nixcontainer.h"

int nc_strv_push_len(nc_strv *v, const char *s, size_t len) {
        _cleanup_free_ char *copy = NULL;

        /* The item and the terminating NULL after it. */
        if (NC_GROW(v->items, v->capacity, v->n + 2, 8) < 0)
                return -ENOMEM;
        copy = nc_memdup_nul(s, len);
        if (!copy)
                return -ENOMEM;
        v->items[v->n++] = TAKE_PTR(copy);
        v->items[v->n] = NULL;
        return 0;
}

int nc_strv_push(nc_strv *v, const char *s) {
        return nc_strv_push_len(v, s, strlen(s));
}

void nc_strv_clear(nc_strv *v) {
        if (!v)
                return;
        for (size_t i = 0; i < v->n; i++)
                free(v->items[i]);
        free(v->items);
        v->items = NULL;
        v->n = v->capacity = 0;
}
