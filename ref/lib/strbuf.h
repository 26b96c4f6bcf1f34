/* A growable NUL-terminated byte buffer for the renderers. Appends return
 * 0 or -ENOMEM; after a failure the buffer keeps what it had. */
#ifndef NC_STRBUF_H
#define NC_STRBUF_H

#include <stddef.h>

#include "nixcontainer.h"

/* The arguments of a call as an array of strings, and their number. */
#define NC_STRING_ARRAY(...) ((const char *const[]) { __VA_ARGS__ })
#define NC_STRING_COUNT(...) (sizeof NC_STRING_ARRAY(__VA_ARGS__) / sizeof(const char *))

typedef struct nc_strbuf {
        char *data;
        size_t len;
        size_t capacity;
} nc_strbuf;

int nc_strbuf_append_len(nc_strbuf *b, const char *s, size_t len);
int nc_strbuf_append(nc_strbuf *b, const char *s);
int nc_strbuf_append_char(nc_strbuf *b, char c);
/* Appends each string in turn, up to a NULL: no formatting. A macro over
 * nc_strbuf_append_array(), the strings in an array rather than a va_list,
 * whose va_arg() costs more than copying the few short strings of a line
 * or a flag; the array's end stops it too, should the NULL be missing. */
#define nc_strbuf_append_many(b, ...) \
        nc_strbuf_append_array((b), NC_STRING_ARRAY(__VA_ARGS__), NC_STRING_COUNT(__VA_ARGS__))
int nc_strbuf_append_array(nc_strbuf *b, const char *const *strings, size_t n);
int nc_strbuf_appendf(nc_strbuf *b, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (an empty string when nothing was
 * appended) and resets the buffer. */
int nc_strbuf_steal(nc_strbuf *b, char **ret_data, size_t *ret_len);
void nc_strbuf_free(nc_strbuf *b);

/* Pushes the concatenation of the strings up to a NULL as one item (a
 * macro over nc_strv_push_array(), as nc_strbuf_append_many() is). */
#define nc_strv_push_concat(v, ...) \
        nc_strv_push_array((v), NC_STRING_ARRAY(__VA_ARGS__), NC_STRING_COUNT(__VA_ARGS__))
int nc_strv_push_array(nc_strv *v, const char *const *strings, size_t n);

#endif
