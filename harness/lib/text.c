#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "text.h"

static int text_open(text *t) {
        if (t->error < 0)
                return t->error;
        if (!t->stream) {
                t->stream = open_memstream(&t->data, &t->len);
                if (!t->stream)
                        return t->error = -ENOMEM;
        }
        return 0;
}

int text_append(text *t, const char *s, size_t len) {
        int r = text_open(t);

        if (r < 0)
                return r;
        if (len > 0 && fwrite(s, 1, len, t->stream) != len)
                return t->error = -ENOMEM;
        return 0;
}

int text_puts(text *t, const char *s) {
        return text_append(t, s, strlen(s));
}

int text_vprintf(text *t, const char *format, va_list ap) {
        int r = text_open(t);

        if (r < 0)
                return r;
        if (vfprintf(t->stream, format, ap) < 0)
                return t->error = -ENOMEM;
        return 0;
}

int text_printf(text *t, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = text_vprintf(t, format, ap);
        va_end(ap);
        return r;
}

const char *text_data(text *t, size_t *ret_len) {
        if (text_open(t) < 0 || fflush(t->stream) != 0) {
                t->error = -ENOMEM;
                return NULL;
        }
        if (ret_len)
                *ret_len = t->len;
        return t->data;
}

size_t text_length(text *t) {
        size_t len = 0;

        return text_data(t, &len) ? len : 0;
}

char *text_steal(text *t, size_t *ret_len) {
        char *data = NULL;
        size_t len = 0;
        bool ok = text_open(t) >= 0;

        if (t->stream && fclose(t->stream) != 0)
                ok = false;
        t->stream = NULL;
        if (ok) {
                data = t->data;
                len = t->len;
                t->data = NULL;
        }
        text_free(t);
        if (data && ret_len)
                *ret_len = len;
        return data;
}

int text_write_file(text *t, mode_t mode, const char *path_format, ...) {
        size_t len = 0;
        char *data = text_steal(t, &len), *path = NULL;
        va_list ap;
        int r;

        va_start(ap, path_format);
        if (vasprintf(&path, path_format, ap) < 0)
                path = NULL;
        va_end(ap);
        r = data && path ? write_file(path, data, len, mode) : -ENOMEM;
        free(data);
        free(path);
        return r;
}

void text_free(text *t) {
        if (t->stream)
                fclose(t->stream);
        free(t->data);
        *t = (text) { 0 };
}

bool text_next_line(const char **cursor, const char **ret_line, size_t *ret_len) {
        const char *at = *cursor;
        size_t len;

        if (!at || !*at)
                return false;
        len = strcspn(at, "\n");
        *ret_line = at;
        *ret_len = len;
        *cursor = at + len + (at[len] == '\n');
        return true;
}

int text_append_line(text *t, const char *line, size_t len) {
        int r = text_append(t, line, len);

        return r < 0 ? r : text_append(t, "\n", 1);
}

char *text_edit_lines(const char *s, text_line_edit edit, void *userdata) {
        text out = { 0 };
        const char *line;
        size_t len;

        for (const char *at = s; text_next_line(&at, &line, &len);)
                edit(&out, line, len, userdata);
        return text_steal(&out, NULL);
}

void print_escaped(FILE *f, const char *s, size_t len) {
        for (const unsigned char *p = (const unsigned char *) s; p < (const unsigned char *) s + len; p++)
                if (*p == '\\' || *p == '"')
                        fprintf(f, "\\%c", *p);
                else if (*p >= 0x20 && *p < 0x7f)
                        fputc(*p, f);
                else
                        fprintf(f, "\\x%02x", *p);
}

int read_file(const char *path, size_t max, char **ret_data, size_t *ret_len) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        char *data = NULL;
        size_t len = 0, size = 0;
        int r = 0;

        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t n;

                if (size - len < 4096) {
                        char *p = array_grow(data, &size, len + 65536, 1);

                        if (!p) {
                                r = -ENOMEM;
                                break;
                        }
                        data = p;
                }
                /* One byte kept for the NUL. */
                n = read(fd, data + len, size - len - 1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
                if (len > max) {
                        r = -EFBIG;
                        break;
                }
        }
        close(fd);
        if (r < 0) {
                free(data);
                return r;
        }
        if (!data && !(data = malloc(1)))
                return -ENOMEM;
        data[len] = '\0';
        *ret_data = data;
        if (ret_len)
                *ret_len = len;
        return 0;
}

char *read_file_at(const char *dir, const char *name, size_t *ret_len) {
        char *path = NULL, *data = NULL;

        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return NULL;
        if (read_file(path, 64u << 20, &data, ret_len) < 0)
                data = NULL;
        free(path);
        return data;
}

int write_file(const char *path, const void *data, size_t len, mode_t mode) {
        const char *p = data;
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode), r = 0;

        if (fd < 0)
                return -errno;
        if (fchmod(fd, mode) < 0)
                r = -errno;
        while (r == 0 && len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                p += n;
                len -= (size_t) n;
        }
        if (close(fd) < 0 && r == 0)
                r = -errno;
        return r;
}

int mkdir_p(const char *path, mode_t mode) {
        char *copy = strdup(path);
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *p = copy + 1; r >= 0; p++) {
                if (*p != '/' && *p != '\0')
                        continue;
                char saved = *p;
                *p = '\0';
                if (mkdir(copy, mode) < 0 && errno != EEXIST)
                        r = -errno;
                *p = saved;
                if (saved == '\0')
                        break;
        }
        free(copy);
        return r;
}

int mkdir_parents(const char *path, mode_t mode) {
        char *dir = strdup(path), *slash;
        int r = 0;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (slash && slash != dir) {
                *slash = '\0';
                r = mkdir_p(dir, mode);
        }
        free(dir);
        return r;
}

int write_file_string(const char *path, const char *s, mode_t mode) {
        return write_file(path, s, strlen(s), mode);
}

char *file_last_line(const char *path) {
        char line[1024], last[1024] = "";
        FILE *in = fopen(path, "re");

        if (!in)
                return NULL;
        while (fgets(line, sizeof line, in))
                if (line[0] != '\n')
                        memcpy(last, line, sizeof last);
        fclose(in);
        last[strcspn(last, "\n")] = '\0';
        return strdup(last);
}

long clock_ms(void) {
        return (long) (clock_us() / 1000);
}

long long clock_us(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}
