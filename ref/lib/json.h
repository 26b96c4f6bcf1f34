/* A read-only JSON document (RFC 8259), parsed in one pass into one arena
 * and freed at once: what the config loader walks. It accepts and refuses
 * what jansson's json_loadb() did with JSON_REJECT_DUPLICATES |
 * JSON_ALLOW_NUL | JSON_DECODE_ANY (json-dump.h prints a value back). Internal to the
 * library (not exported). */
#ifndef NC_JSON_H
#define NC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc-util.h"

/* jansson's JSON_PARSER_MAX_DEPTH: every value counts, a scalar too. */
#define NC_JSON_MAX_DEPTH 2048
/* A longer text is refused, so that every count fits in 32 bits. */
#define NC_JSON_MAX_TEXT UINT32_MAX

typedef enum nc_json_type {
        NC_JSON_NULL,
        NC_JSON_BOOL,
        NC_JSON_INTEGER, /* no fraction, no exponent, within long long */
        NC_JSON_REAL,
        NC_JSON_STRING,
        NC_JSON_ARRAY,
        NC_JSON_OBJECT,
} nc_json_type;

typedef struct nc_json nc_json;
typedef struct nc_json_member nc_json_member;

struct nc_json {
        nc_json_type type;
        uint32_t n; /* string: bytes; array: items; object: members */
        union {
                bool boolean;
                long long integer;
                double real;
                const char *string;             /* n bytes, then a NUL; may hold NUL (\u0000) */
                const nc_json *items;           /* n values */
                const nc_json_member *members;  /* n members, in document order, no key twice */
        } u;
};

struct nc_json_member {
        const char *key; /* NUL-terminated; a key holding NUL is refused */
        nc_json value;
};

typedef struct nc_json_doc nc_json_doc;

/* Where and why the text is not JSON: line and column count from 1, the
 * column in characters; at the end of the text, one past its last one. */
typedef struct nc_json_error {
        size_t line;
        size_t column;
        char text[80];
} nc_json_error;

/* Parses exactly one JSON value of any type, with only whitespace after
 * it. Returns 0 and the document in *ret_doc; -EINVAL with `error` filled
 * (when not NULL) for text that is not JSON; -EFBIG beyond
 * NC_JSON_MAX_TEXT bytes; -ENOMEM. */
int nc_json_parse(const char *text, size_t len, nc_json_doc **ret_doc, nc_json_error *error);
/* Decides whether the value of the member at `keys[0].keys[1]...` (`depth`
 * keys from the root, each container on the way an object; depth at most
 * NC_JSON_SKIP_DEPTH) is skipped: checked as JSON as any other (its syntax,
 * its keys for duplicates), but kept only as its type, with no items,
 * members or string bytes (n == 0; nc_json_skipped() tells). */
#define NC_JSON_SKIP_DEPTH 4
typedef bool (*nc_json_skip_fn)(const char *const *keys, unsigned depth, void *userdata);
/* nc_json_parse(), skipping what `skip` (may be NULL) says. Memory: the
 * kept values take about twice their text; a skipped value only the keys
 * of its objects (for the duplicate check) and its longest string once. */
int nc_json_parse_skipping(const char *text, size_t len, nc_json_skip_fn skip, void *userdata, nc_json_doc **ret_doc,
                           nc_json_error *error);
const nc_json *nc_json_root(const nc_json_doc *doc);
/* Whether `value` is a string, array or object that was skipped: its type
 * is known, its bytes, items or members are not (its pointer is not NULL
 * and must not be read). */
bool nc_json_skipped(const nc_json *value);
/* Frees the document and every value in it; accepts NULL. */
void nc_json_free(nc_json_doc *doc);
NC_DEFINE_POINTER_CLEANUP(nc_json_doc, nc_json_free)

/* The member named `key`, or NULL: a linear scan, for small objects. */
const nc_json *nc_json_object_get(const nc_json *object, const char *key);


#endif
