/* nc_json_dump(): a value printed as jansson's json_dumps(value,
 * JSON_ENCODE_ANY | JSON_COMPACT) printed it, for the loader's messages. */
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-dump.h"

/* A quote, a backslash or a control character. */
static bool needs_escape(char c) {
        return c == '"' || c == '\\' || (unsigned char) c < 0x20;
}

typedef struct writer {
        char *out;
        size_t size;
        size_t len; /* what the whole text takes, written or not */
} writer;

static void put(writer *w, const char *s, size_t n) {
        if (w->len < w->size) {
                size_t room = w->size - w->len;
                memcpy(w->out + w->len, s, n < room ? n : room);
        }
        w->len += n;
}

/* Escaped as jansson does: the short escapes, other control characters
 * as \u00XX (upper case), everything else (DEL, '/', UTF-8) as it is. */
static void put_string(writer *w, const char *s, size_t n) {
        const char *end = s + n;

        put(w, "\"", 1);
        while (s < end) {
                const char *run = s;
                char escape[8];

                while (s < end && !needs_escape(*s))
                        s++;
                put(w, run, (size_t) (s - run));
                if (s == end)
                        break;
                switch (*s) {
                case '"': put(w, "\\\"", 2); break;
                case '\\': put(w, "\\\\", 2); break;
                case '\b': put(w, "\\b", 2); break;
                case '\f': put(w, "\\f", 2); break;
                case '\n': put(w, "\\n", 2); break;
                case '\r': put(w, "\\r", 2); break;
                case '\t': put(w, "\\t", 2); break;
                default:
                        snprintf(escape, sizeof escape, "\\u%04X", (unsigned) (unsigned char) *s);
                        put(w, escape, 6);
                }
                s++;
        }
        put(w, "\"", 1);
}

/* As jansson 2.14 prints a real: "%.17g", ".0" added when that looks like
 * an integer, the exponent without '+' or leading zeros (1e+17 -> 1e17). */
static void put_real(writer *w, double v) {
        char printed[48], text[48], *e;
        size_t n = 0;

        snprintf(printed, sizeof printed, "%.17g", v);
        /* The locale's decimal point, whatever its length, becomes '.'. */
        for (const char *c = printed; *c; c++)
                if ((*c >= '0' && *c <= '9') || *c == '-' || *c == '+' || *c == 'e')
                        text[n++] = *c;
                else if (n == 0 || text[n - 1] != '.')
                        text[n++] = '.';
        text[n] = '\0';
        if (!strchr(text, '.') && !strchr(text, 'e'))
                memcpy(text + n, ".0", 3);
        e = strchr(text, 'e');
        if (e) {
                char *to = e + 1, *from = e + 1;

                if (*from == '-')
                        to = ++from;
                else if (*from == '+')
                        from++;
                while (*from == '0' && from[1])
                        from++;
                memmove(to, from, strlen(from) + 1);
        }
        put(w, text, strlen(text));
}

static void put_value(writer *w, const nc_json *v) {
        char number[32];

        /* A skipped value has only its type (json.h): shown as "...". */
        if (nc_json_skipped(v)) {
                put(w, v->type == NC_JSON_STRING ? "\"...\"" : v->type == NC_JSON_ARRAY ? "[...]" : "{...}", 5);
                return;
        }
        switch (v->type) {
        case NC_JSON_NULL:
                put(w, "null", 4);
                break;
        case NC_JSON_BOOL:
                if (v->u.boolean)
                        put(w, "true", 4);
                else
                        put(w, "false", 5);
                break;
        case NC_JSON_INTEGER:
                put(w, number, (size_t) snprintf(number, sizeof number, "%lld", v->u.integer));
                break;
        case NC_JSON_REAL:
                put_real(w, v->u.real);
                break;
        case NC_JSON_STRING:
                put_string(w, v->u.string, v->n);
                break;
        case NC_JSON_ARRAY:
        case NC_JSON_OBJECT: {
                bool object = v->type == NC_JSON_OBJECT;

                put(w, object ? "{" : "[", 1);
                for (size_t i = 0; i < v->n; i++) {
                        if (i)
                                put(w, ",", 1);
                        if (object) {
                                put_string(w, v->u.members[i].key, strlen(v->u.members[i].key));
                                put(w, ":", 1);
                        }
                        put_value(w, object ? &v->u.members[i].value : &v->u.items[i]);
                }
                put(w, object ? "}" : "]", 1);
                break;
        }
        }
}

size_t nc_json_dump(const nc_json *value, char *out, size_t size) {
        writer w = { .out = out, .size = size, .len = 0 };

        put_value(&w, value);
        if (size)
                out[w.len < size ? w.len : size - 1] = '\0';
        return w.len;
}
