/* Growing arrays: see array.h. */
#include <errno.h>
#include <stdlib.h>

#include "array.h"

void *array_grow(void *items, size_t *capacity, size_t need, size_t size) {
        size_t grown = *capacity;
        void *p;

        if (need <= grown && items)
                return items;
        if (grown < 16)
                grown = 16;
        while (grown < need) {
                if (grown > ((size_t) -1) / 2) {
                        errno = ENOMEM;
                        return NULL;
                }
                grown *= 2;
        }
        p = reallocarray(items, grown, size);
        if (!p)
                return NULL;
        *capacity = grown;
        return p;
}

void array_free(void *items, size_t n, size_t size, void (*clear)(void *item)) {
        for (size_t i = 0; items && i < n; i++)
                clear((char *) items + i * size);
        free(items);
}
