/* String vectors, beyond nixcontainer.h's nc_strv_push and nc_strv_clear:
 * see strv.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

int strv_null_terminate(nc_strv *v) {
        int r = nc_strv_push(v, "");

        if (r < 0)
                return r;
        v->n--;
        free(v->items[v->n]);
        v->items[v->n] = NULL;
        return 0;
}

bool strv_contains(const nc_strv *v, const char *s) {
        for (size_t i = 0; i < v->n; i++)
                if (strcmp(v->items[i], s) == 0)
                        return true;
        return false;
}

int strv_push_unique(nc_strv *v, const char *s) {
        return strv_contains(v, s) ? 0 : nc_strv_push(v, s);
}

int split_nul(const char *data, size_t len, nc_strv *ret) {
        size_t start = 0;
        for (size_t i = 0; i < len; i++)
                if (data[i] == '\0') {
                        int r = nc_strv_push_len(ret, data + start, i - start);
                        if (r < 0)
                                return r;
                        start = i + 1;
                }
        return start == len ? 0 : -EINVAL;
}

int split_words(const char *s, nc_strv *ret) {
        char *copy = strdup(s), *save = NULL;
        int r = copy ? 0 : -ENOMEM;

        for (char *word = copy ? strtok_r(copy, " \t\n", &save) : NULL; r >= 0 && word;
             word = strtok_r(NULL, " \t\n", &save))
                r = nc_strv_push(ret, word);
        free(copy);
        return r;
}

int strv_push_assignment(nc_strv *v, const char *name, const char *value) {
        char *entry;
        int r;

        if (asprintf(&entry, "%s=%s", name, value) < 0)
                return -ENOMEM;
        r = nc_strv_push(v, entry);
        free(entry);
        return r;
}
