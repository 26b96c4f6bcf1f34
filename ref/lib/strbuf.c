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

int nc_strbuf_append_list(nc_strbuf *b, va_list strings) {
        size_t len = 0, at;
        const char *s;
        va_list ap;
        int r;

        va_copy(ap, strings);
        while ((s = va_arg(ap, const char *)))
                len += strlen(s);
        va_end(ap);
        if ((r = reserve(b, len)) < 0)
                return r;
        at = b->len;
        while ((s = va_arg(strings, const char *))) {
                size_t n = strlen(s);
                memcpy(b->data + at, s, n);
                at += n;
        }
        b->len = at;
        b->data[at] = '\0';
        return 0;
}

int nc_strbuf_append_many(nc_strbuf *b, ...) {
        va_list ap;
        int r;

        va_start(ap, b);
        r = nc_strbuf_append_list(b, ap);
        va_end(ap);
        return r;
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

int nc_strv_push_concat(nc_strv *v, ...) {
        _cleanup_(nc_strbuf_free) nc_strbuf item = { 0 };
        va_list ap;
        int r;

        va_start(ap, v);
        r = nc_strbuf_append_list(&item, ap);
        va_end(ap);
        if (r < 0)
                return r;
        return nc_strv_push_len(v, item.data ? item.data : "", item.len);
}
