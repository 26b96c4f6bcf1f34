#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"

int nc_grow(void **array, size_t *capacity, size_t need, size_t item_size, size_t first) {
        size_t grown = *capacity ? *capacity : first;
        void *bigger;

        if (need <= *capacity)
                return 0;
        if (grown == 0)
                grown = 1;
        while (grown < need) {
                if (grown > SIZE_MAX / 2)
                        return -ENOMEM;
                grown *= 2;
        }
        if (grown > SIZE_MAX / item_size)
                return -ENOMEM;
        bigger = realloc(*array, grown * item_size);
        if (!bigger)
                return -ENOMEM;
        *array = bigger;
        *capacity = grown;
        return 0;
}

char *nc_memdup_nul(const void *p, size_t len) {
        char *copy = malloc(len + 1);

        if (copy) {
                memcpy(copy, p, len);
                copy[len] = '\0';
        }
        return copy;
}
