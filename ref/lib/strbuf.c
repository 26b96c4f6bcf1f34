#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "strbuf.h"

/* Room for `extra` more bytes and the NUL. */
static int reserve(nc_strbuf *b, size_t extra) {
        if (extra > SIZE_MAX - 1 - b->len)
                return -ENOMEM;
        return NC_GROW(b->data, b->capacity, b->len + extra + 1, 64);
}

int nc_strbuf_append_len(nc_strbuf *b, const char *s, size_t len) {
        int r = reserve(b, len);
        if (r < 0)
                return r;
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return 0;
}

int nc_strbuf_append(nc_strbuf *b, const char *s) {
        return nc_strbuf_append_len(b, s, strlen(s));
}

int nc_strbuf_append_char(nc_strbuf *b, char c) {
        return nc_strbuf_append_len(b, &c, 1);
}

/* The total length of strings[0..n) up to a NULL, or SIZE_MAX when it
 * does not fit in a size_t. */
static size_t array_len(const char *const *strings, size_t n) {
        size_t len = 0, k;

        for (size_t i = 0; i < n && strings[i]; i++) {
                k = strlen(strings[i]);
                if (k > SIZE_MAX - 1 - len)
                        return SIZE_MAX;
                len += k;
        }
        return len;
}

/* Copies strings[0..n) up to a NULL to `at`, with a NUL after them;
 * returns where that NUL is. */
static char *copy_array(char *at, const char *const *strings, size_t n) {
        *at = '\0';
        for (size_t i = 0; i < n && strings[i]; i++)
                at = stpcpy(at, strings[i]);
        return at;
}

int nc_strbuf_append_array(nc_strbuf *b, const char *const *strings, size_t n) {
        size_t len = array_len(strings, n);

        if (len == SIZE_MAX || reserve(b, len) < 0)
                return -ENOMEM;
        b->len = (size_t) (copy_array(b->data + b->len, strings, n) - b->data);
        return 0;
}

int nc_strbuf_appendf(nc_strbuf *b, const char *format, ...) {
        size_t room = b->capacity > b->len ? b->capacity - b->len : 0;
        va_list ap;
        int n, r;

        /* Formatting once into the room there is, and again only when it
         * did not fit. */
        va_start(ap, format);
        n = vsnprintf(room ? b->data + b->len : NULL, room, format, ap);
        va_end(ap);
        if (n < 0) {
                if (room)
                        b->data[b->len] = '\0';
                return -EINVAL;
        }
        if ((size_t) n < room) {
                b->len += (size_t) n;
                return 0;
        }
        if (room)
                b->data[b->len] = '\0'; /* what was there before the attempt */
        r = reserve(b, (size_t) n);
        if (r < 0)
                return r;
        va_start(ap, format);
        vsnprintf(b->data + b->len, (size_t) n + 1, format, ap);
        va_end(ap);
        b->len += (size_t) n;
        return 0;
}

int nc_strbuf_steal(nc_strbuf *b, char **ret_data, size_t *ret_len) {
        if (!b->data) {
                int r = reserve(b, 0);
                if (r < 0)
                        return r;
                b->data[0] = '\0';
        }
        *ret_data = b->data;
        if (ret_len)
                *ret_len = b->len;
        b->data = NULL;
        b->len = b->capacity = 0;
        return 0;
}

void nc_strbuf_free(nc_strbuf *b) {
        if (!b)
                return;
        free(b->data);
        b->data = NULL;
        b->len = b->capacity = 0;
}

/* The word goes straight into one allocation of its length, not through
 * an nc_strbuf and a copy: the argv builder pushes dozens a container. */
int nc_strv_push_array(nc_strv *v, const char *const *strings, size_t n) {
        size_t len = array_len(strings, n);
        char *item;

        /* The item and the terminating NULL after it. */
        if (len == SIZE_MAX || NC_GROW(v->items, v->capacity, v->n + 2, 8) < 0 || !(item = malloc(len + 1)))
                return -ENOMEM;
        copy_array(item, strings, n);
        v->items[v->n++] = item;
        v->items[v->n] = NULL;
        return 0;
}
