/* A growable NUL-terminated byte buffer for the renderers. Appends return
 * 0 or -ENOMEM; after a failure the buffer keeps what it had. */
#ifndef NC_STRBUF_H
#define NC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "nixcontainer.h"

typedef struct nc_strbuf {
        char *data;
        size_t len;
        size_t capacity;
} nc_strbuf;

int nc_strbuf_append_len(nc_strbuf *b, const char *s, size_t len);
int nc_strbuf_append(nc_strbuf *b, const char *s);
int nc_strbuf_append_char(nc_strbuf *b, char c);
/* Appends each string in turn, up to a NULL: no formatting. */
int nc_strbuf_append_many(nc_strbuf *b, ...) __attribute__((sentinel));
int nc_strbuf_append_list(nc_strbuf *b, va_list strings);
int nc_strbuf_appendf(nc_strbuf *b, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (an empty string when nothing was
 * appended) and resets the buffer. */
int nc_strbuf_steal(nc_strbuf *b, char **ret_data, size_t *ret_len);
void nc_strbuf_free(nc_strbuf *b);

/* Pushes the concatenation of the strings up to a NULL as one item. */
int nc_strv_push_concat(nc_strv *v, ...) __attribute__((sentinel));

#endif
