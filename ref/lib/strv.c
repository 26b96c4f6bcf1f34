/* nc_strv: a growable vector of owned strings. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nixcontainer.h"
#include "strbuf.h"

static int reserve_one(nc_strv *v) {
        if (v->n == v->capacity) {
                size_t capacity = v->capacity ? v->capacity * 2 : 8;
                char **items = realloc(v->items, capacity * sizeof *items);
                if (!items)
                        return -ENOMEM;
                v->items = items;
                v->capacity = capacity;
        }
        return 0;
}

int nc_strv_push_len(nc_strv *v, const char *s, size_t len) {
        char *copy;

        if (reserve_one(v) < 0)
                return -ENOMEM;
        copy = malloc(len + 1);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, s, len);
        copy[len] = '\0';
        v->items[v->n++] = copy;
        return 0;
}

int nc_strv_push_concat(nc_strv *v, ...) {
        nc_strbuf item = { 0 };
        va_list ap;
        int r;

        va_start(ap, v);
        r = nc_strbuf_append_list(&item, ap);
        va_end(ap);
        if (r >= 0)
                r = reserve_one(v);
        if (r >= 0)
                r = nc_strbuf_steal(&item, &v->items[v->n], NULL);
        if (r < 0) {
                nc_strbuf_free(&item);
                return r;
        }
        v->n++;
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
