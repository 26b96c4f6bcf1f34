/* Growing arrays: the harness's one place that reallocates one. */
#ifndef HARNESS_ARRAY_H
#define HARNESS_ARRAY_H

#include <stddef.h>

/* `items` (NULL for none yet) with room for at least `need` items of
 * `size` bytes: reallocated to double its *capacity (at least 16 items)
 * when it has less. Returns the array, and updates *capacity; on overflow
 * or out of memory returns NULL, and `items` and *capacity stay as they
 * were (the caller still owns `items`). */
void *array_grow(void *items, size_t *capacity, size_t need, size_t size);

#endif
