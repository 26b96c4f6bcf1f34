#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "text.h"

void fuzz_fail(const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        vwarnx(format, ap); /* "fuzz-config: MESSAGE" on stderr, unbuffered */
        va_end(ap);
        abort();
}

void fuzz_print_escaped(FILE *f, const char *s, size_t len) {
        if (!s) {
                fputs("(absent)", f);
                return;
        }
        fputc('"', f);
        print_escaped(f, s, len);
        fputc('"', f);
}

void fuzz_expect_string(const char *what, const char *expected, const char *actual) {
        if (expected == actual || (expected && actual && strcmp(expected, actual) == 0))
                return;
        fprintf(stderr, "fuzz: %s: expected ", what);
        fuzz_print_escaped(stderr, expected, expected ? strlen(expected) : 0);
        fputs(", got ", stderr);
        fuzz_print_escaped(stderr, actual, actual ? strlen(actual) : 0);
        fputc('\n', stderr);
        fuzz_fail("%s: the value differs", what);
}

bool fuzz_env_name_is_valid(const char *name) {
        if (!name || !name[0] || (name[0] >= '0' && name[0] <= '9'))
                return false;
        for (const char *p = name; *p; p++)
                if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
                        return false;
        return true;
}

const char *fuzz_take_release(const uint8_t **data, size_t *size) {
        size_t n = 0, pick;

        if (*size == 0 || (*data)[0] < 0x01 || (*data)[0] > 0x08)
                return NULL;
        while (nc_release_name(n))
                n++;
        pick = ((size_t) (*data)[0] - 1) % n;
        (*data)++;
        (*size)--;
        return nc_release_name(pick);
}
