/* Text in memory, its lines, and files (with the directories they go in),
 * for every tier and the bench; and the monotonic clock.
 *
 * The harness does not use the library's own string buffer (ref/lib is the
 * implementation under test, not a toolbox): a growing text is a libc
 * memory stream, open_memstream(3), so stdio's printf family does the
 * formatting and the growth. A zeroed `text` is an empty text. */
#ifndef HARNESS_TEXT_H
#define HARNESS_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct text {
        FILE *stream; /* NULL until the first append */
        char *data;   /* open_memstream's buffer; valid after text_data() */
        size_t len;   /* bytes written; valid after text_data() */
        int error;    /* the first failure (-errno), 0 if none */
} text;

/* Appends; returns 0, or -ENOMEM (then the text keeps failing and
 * text_steal() returns NULL). */
int text_append(text *t, const char *s, size_t len);
int text_puts(text *t, const char *s);
int text_printf(text *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
int text_vprintf(text *t, const char *format, va_list ap) __attribute__((format(printf, 2, 0)));
/* The text so far, NUL-terminated, owned by `t` (valid until the next
 * append or text_free); "" for an empty text; NULL after a failure. */
const char *text_data(text *t, size_t *ret_len);
/* Bytes so far (0 after a failure). */
size_t text_length(text *t);
/* Ends the text and hands its buffer to the caller (free()); NULL after a
 * failure. `t` is empty again either way. */
char *text_steal(text *t, size_t *ret_len);
/* Ends the text and writes it to the file `path_format` names (printf),
 * as write_file() with `mode`. Returns 0 or -errno (-ENOMEM after a failed
 * append); `t` is empty again either way. */
int text_write_file(text *t, mode_t mode, const char *path_format, ...) __attribute__((format(printf, 3, 4)));
/* Frees the text; accepts a zeroed one. */
void text_free(text *t);

/* Lines. A line is what precedes a newline, or the rest of the text after
 * the last newline when it is not empty. */

/* The next line at *cursor (NULL or "" when there is none: returns false);
 * *ret_line points into the text, *ret_len excludes the newline, *cursor
 * moves past it:
 *   for (const char *at = s, *line; text_next_line(&at, &line, &len);) */
bool text_next_line(const char **cursor, const char **ret_line, size_t *ret_len);
/* Appends the line and a newline. */
int text_append_line(text *t, const char *line, size_t len);

/* What an edit leaves of a line: appended to `out` (the line itself with
 * text_append_line, something else, or nothing to drop it). */
typedef void (*text_line_edit)(text *out, const char *line, size_t len, void *userdata);
/* `s` with each line through `edit`, every kept line ending in a newline.
 * Caller frees; NULL when out of memory. */
char *text_edit_lines(const char *s, text_line_edit edit, void *userdata);

/* Writes `len` bytes of `s` to `f` with a backslash before each backslash
 * and double quote, and every other byte that is not printable ASCII as
 * \xHH: two renderings are equal exactly when the bytes are, and a
 * message shows exactly what differs. */
void print_escaped(FILE *f, const char *s, size_t len);

/* Reads a whole file, at most `max` bytes; returns 0, or -errno (-EFBIG
 * past `max`). *ret_data is NUL-terminated and the caller's to free();
 * ret_len may be NULL. */
int read_file(const char *path, size_t max, char **ret_data, size_t *ret_len);
/* The same, for DIR/NAME: NULL when it cannot be read. */
char *read_file_at(const char *dir, const char *name, size_t *ret_len);
/* Writes `len` bytes of `data` to `path` (created, or truncated), which
 * then has exactly `mode` (no umask; an existing file's mode changed too);
 * returns 0 or -errno. */
int write_file(const char *path, const void *data, size_t len, mode_t mode);
/* The same for a string (without its NUL). */
int write_file_string(const char *path, const char *s, mode_t mode);
/* `path` and the directories above it, as `mkdir -p -m MODE` (a directory
 * that exists is fine); returns 0 or -errno. */
int mkdir_p(const char *path, mode_t mode);
/* The directories above `path` (not `path` itself). */
int mkdir_parents(const char *path, mode_t mode);
/* The last non-empty line of a file (without its newline), for a failure
 * message; NULL when the file cannot be read or on -ENOMEM. */
char *file_last_line(const char *path);

/* CLOCK_MONOTONIC in milliseconds and microseconds. */
long clock_ms(void);
long long clock_us(void);

#endif
