/* Arrays: the harness's one place that reallocates one, and the one that
 * frees one with what its items own. */
#ifndef HARNESS_ARRAY_H
#define HARNESS_ARRAY_H

#include <stddef.h>

/* The number of items of an array (not of a pointer). */
#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* `items` (NULL for none yet) with room for at least `need` items of
 * `size` bytes: reallocated to double its *capacity (at least 16 items)
 * when it has less. Returns the array, and updates *capacity; on overflow
 * or out of memory returns NULL, and `items` and *capacity stay as they
 * were (the caller still owns `items`). */
void *array_grow(void *items, size_t *capacity, size_t need, size_t size);

/* Frees an array of `n` items of `size` bytes whose items own memory:
 * `clear` on each item (what it owns), then the array. Accepts NULL. */
void array_free(void *items, size_t n, size_t size, void (*clear)(void *item));

#endif
