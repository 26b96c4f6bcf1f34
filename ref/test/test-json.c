/* The in-tree JSON parser (ref/lib/json.c): RFC 8259 as jansson's
 * json_loadb() took it (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL), its
 * errors' line and column, and the compact printer checked against
 * jansson's own json_dumps() on the same text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <jansson.h>

#include "json-dump.h"
#include "unit-helpers.h"
#include "unit-tests.h"

/* Parses `len` bytes of `text`; NULL (and *error filled) when refused. */
static nc_json_doc *parse_len(const char *text, size_t len, nc_json_error *error) {
        nc_json_doc *doc = NULL;
        nc_json_error ignored;

        if (nc_json_parse(text, len, &doc, error ? error : &ignored) < 0)
                return NULL;
        return doc;
}

static nc_json_doc *parse(const char *text) {
        return parse_len(text, strlen(text), NULL);
}

/* The error text for `len` bytes of `text`, as the loader shows it
 * ("line L, column C: TEXT"), or "" when the text parses. */
static const char *parse_error_len(const char *text, size_t len) {
        static char message[160];
        nc_json_error error;
        nc_json_doc *doc = NULL;
        int r = nc_json_parse(text, len, &doc, &error);

        if (r >= 0) {
                nc_json_free(doc);
                return "";
        }
        CU_ASSERT_EQUAL(r, -EINVAL);
        snprintf(message, sizeof message, "line %zu, column %zu: %s", error.line, error.column, error.text);
        return message;
}

static const char *parse_error(const char *text) {
        return parse_error_len(text, strlen(text));
}

#define CHECK_REFUSED(text, expected)                                                              \
        do {                                                                                       \
                const char *got_ = parse_error(text);                                              \
                CU_ASSERT_TRUE(contains(got_, expected));                                          \
                if (!contains(got_, expected))                                                     \
                        fprintf(stderr, "\n  %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
                                got_, expected);                                                   \
        } while (0)

/* The root of `text` must be a string of exactly `len` bytes `want`. */
static void check_string(const char *text, const char *want, size_t len) {
        nc_json_doc *doc = parse(text);
        const nc_json *v;

        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        v = nc_json_root(doc);
        CU_ASSERT_EQUAL(v->type, NC_JSON_STRING);
        CU_ASSERT_EQUAL(v->n, len);
        CU_ASSERT_TRUE(v->n == len && memcmp(v->u.string, want, len) == 0);
        CU_ASSERT_EQUAL(v->u.string[len], '\0');
        nc_json_free(doc);
}

static void test_value_types(void) {
        nc_json_doc *doc = parse("{\"n\": null, \"t\": true, \"f\": false, \"i\": -42, \"r\": 1.5, \"s\": \"x\","
                                 " \"a\": [1, [], {}], \"o\": {\"k\": 0}}");
        const nc_json *root, *a, *o;

        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        root = nc_json_root(doc);
        CU_ASSERT_EQUAL_FATAL(root->type, NC_JSON_OBJECT);
        CU_ASSERT_EQUAL_FATAL(root->n, 8);
        /* members in document order */
        CU_ASSERT_STRING_EQUAL(root->u.members[0].key, "n");
        CU_ASSERT_STRING_EQUAL(root->u.members[7].key, "o");
        CU_ASSERT_EQUAL(nc_json_object_get(root, "n")->type, NC_JSON_NULL);
        CU_ASSERT_EQUAL(nc_json_object_get(root, "t")->type, NC_JSON_BOOL);
        CU_ASSERT_TRUE(nc_json_object_get(root, "t")->u.boolean);
        CU_ASSERT_FALSE(nc_json_object_get(root, "f")->u.boolean);
        CU_ASSERT_EQUAL(nc_json_object_get(root, "i")->type, NC_JSON_INTEGER);
        CU_ASSERT_EQUAL(nc_json_object_get(root, "i")->u.integer, -42);
        CU_ASSERT_EQUAL(nc_json_object_get(root, "r")->type, NC_JSON_REAL);
        CU_ASSERT_DOUBLE_EQUAL(nc_json_object_get(root, "r")->u.real, 1.5, 0);
        CU_ASSERT_EQUAL(nc_json_object_get(root, "s")->type, NC_JSON_STRING);
        CU_ASSERT_STRING_EQUAL(nc_json_object_get(root, "s")->u.string, "x");
        a = nc_json_object_get(root, "a");
        CU_ASSERT_EQUAL_FATAL(a->type, NC_JSON_ARRAY);
        CU_ASSERT_EQUAL_FATAL(a->n, 3);
        CU_ASSERT_EQUAL(a->u.items[0].u.integer, 1);
        CU_ASSERT_EQUAL(a->u.items[1].type, NC_JSON_ARRAY);
        CU_ASSERT_EQUAL(a->u.items[1].n, 0);
        CU_ASSERT_EQUAL(a->u.items[2].type, NC_JSON_OBJECT);
        o = nc_json_object_get(root, "o");
        CU_ASSERT_EQUAL(nc_json_object_get(o, "k")->u.integer, 0);
        CU_ASSERT_PTR_NULL(nc_json_object_get(o, "missing"));
        CU_ASSERT_PTR_NULL(nc_json_object_get(a, "k"));
        nc_json_free(doc);
        nc_json_free(NULL);
}

/* Any value may be the document; whitespace may surround it. */
static void test_top_level(void) {
        static const char *const ok[] = { "null", "true", "false", "0", "-0", "1.5", "\"\"", "[]", "{}",
                                          " \t\r\n[ 1 , 2 ]\n\n", "\n{\n\t\"a\" :\r\n1\n}\n" };
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                CU_ASSERT_STRING_EQUAL(parse_error(ok[i]), "");
        }
        CHECK_REFUSED("", "line 1, column 1: unexpected end of input");
        CHECK_REFUSED("  \n ", "line 2, column 2: unexpected end of input");
        CHECK_REFUSED("[1] x", "line 1, column 5: end of input expected");
        CHECK_REFUSED("{} {}", "column 4: end of input expected");
        CHECK_REFUSED("1 2", "column 3: end of input expected");
        CHECK_REFUSED("truex", "column 5: end of input expected");
        CHECK_REFUSED("tru", "column 1: invalid literal");
        CHECK_REFUSED("nul", "invalid literal");
        CHECK_REFUSED("True", "column 1: unexpected 'T'");
        CHECK_REFUSED("'a'", "unexpected '''");
        CHECK_REFUSED("\x01", "unexpected byte 0x01");
        CHECK_REFUSED("\xef\xbb\xbf{}", "unexpected byte 0xef"); /* no byte order mark */
        CHECK_REFUSED("[1,]", "column 4: unexpected ']'");
        CHECK_REFUSED("[1 2]", "column 4: ',' or ']' expected");
        CHECK_REFUSED("[", "column 2: unexpected end of input");
        CHECK_REFUSED("{", "column 2: unexpected end of input");
        CHECK_REFUSED("{,}", "column 2: string or '}' expected");
        CHECK_REFUSED("{\"a\":1,}", "column 8: string expected");
        CHECK_REFUSED("{\"a\" 1}", "column 6: ':' expected");
        CHECK_REFUSED("{\"a\":1 \"b\":2}", "column 8: ',' or '}' expected");
        CHECK_REFUSED("{1:2}", "string or '}' expected");
        /* NUL bytes outside strings are not whitespace */
        CU_ASSERT_STRING_EQUAL(parse_error_len("{}\0", 3), "line 1, column 3: end of input expected");
        CU_ASSERT_STRING_EQUAL(parse_error_len("{}", 2), "");
        CU_ASSERT_TRUE(parse_error_len(NULL, 0)[0] != '\0');
}

static void test_escapes(void) {
        check_string("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8);
        check_string("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6);
        check_string("\"a\\u0000b\"", "a\0b", 3); /* JSON_ALLOW_NUL */
        check_string("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4);
        check_string("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4);
        check_string("\"x\\uD800\\uDC00y\"", "x\xf0\x90\x80\x80y", 6);
        check_string("\"\"", "", 0);
        check_string("\"plain text that is longer than eight bytes\"", "plain text that is longer than eight bytes",
                     42);
        CHECK_REFUSED("\"\\ud800\"", "column 2: lone surrogate \\uD800");
        CHECK_REFUSED("\"ab\\udc00\"", "column 4: lone surrogate \\uDC00");
        CHECK_REFUSED("\"\\ud800x\"", "lone surrogate \\uD800");
        CHECK_REFUSED("\"\\ud800\\u0041\"", "lone surrogate \\uD800");
        CHECK_REFUSED("\"\\ud800\\ud800\"", "lone surrogate \\uD800");
        CHECK_REFUSED("\"\\ud800\\n\"", "lone surrogate \\uD800");
        CHECK_REFUSED("\"\\ude00\\ud83d\"", "lone surrogate \\uDE00");
        CHECK_REFUSED("\"\\x\"", "column 2: invalid escape");
        CHECK_REFUSED("\"\\U0041\"", "invalid escape");
        CHECK_REFUSED("\"\\u12\"", "invalid \\u escape");
        CHECK_REFUSED("\"\\u12g4\"", "invalid \\u escape");
        CHECK_REFUSED("\"\\", "unexpected end of input");
        CHECK_REFUSED("\"abc", "column 5: unexpected end of input in a string");
        CHECK_REFUSED("\"a\tb\"", "column 3: control character 0x09 in a string");
        CHECK_REFUSED("\"a\nb\"", "control character 0x0a in a string");
        CU_ASSERT_TRUE(contains(parse_error_len("\"a\0b\"", 5), "control character 0x00 in a string"));
        check_string("\"a\x7f" "b\"", "a\x7f" "b", 3); /* DEL is not a control character to JSON */
}

static void test_utf8(void) {
        static const struct {
                const char *text;
                bool ok;
        } cases[] = {
                { "\"\xc3\xa9\"", true },                 /* U+00E9 */
                { "\"\xe2\x82\xac\"", true },             /* U+20AC */
                { "\"\xf0\x9f\x98\x80\"", true },         /* U+1F600 */
                { "\"\xf4\x8f\xbf\xbf\"", true },         /* U+10FFFF */
                { "\"\xef\xbf\xbf\xef\xb7\x90\"", true }, /* noncharacters are still characters */
                { "\"\xed\x9f\xbf\"", true },             /* U+D7FF */
                { "\"\xee\x80\x80\"", true },             /* U+E000 */
                { "\"\xc0\xaf\"", false },                /* overlong '/' */
                { "\"\xc1\xbf\"", false },                /* overlong */
                { "\"\xe0\x80\xaf\"", false },            /* overlong */
                { "\"\xe0\x9f\xbf\"", false },            /* overlong U+07FF */
                { "\"\xf0\x80\x80\xaf\"", false },        /* overlong */
                { "\"\xf0\x8f\xbf\xbf\"", false },        /* overlong U+FFFF */
                { "\"\xed\xa0\x80\"", false },            /* U+D800 encoded */
                { "\"\xed\xbf\xbf\"", false },            /* U+DFFF encoded */
                { "\"\xed\xa0\xbd\xed\xb8\x80\"", false },/* a surrogate pair encoded (CESU-8) */
                { "\"\xf4\x90\x80\x80\"", false },        /* U+110000 */
                { "\"\xf5\x80\x80\x80\"", false },
                { "\"\xf8\x88\x80\x80\x80\"", false },
                { "\"\xe2\x82\"", false },                /* truncated */
                { "\"\xf0\x9f\x98\"", false },            /* truncated */
                { "\"\xc3\"", false },                    /* truncated */
                { "\"\xc3", false },                      /* truncated at the end of the text */
                { "\"\x80\"", false },                    /* a lone continuation byte */
                { "\"\xc3\xa9\xa9\"", false },          /* column 3 */
                { "\"\xff\"", false },
                { "\"\xfe\"", false },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *got = parse_error(cases[i].text);
                CU_ASSERT_EQUAL(got[0] == '\0', cases[i].ok);
                if (!cases[i].ok) {
                        CU_ASSERT_TRUE(contains(got, "invalid UTF-8 in a string"));
                }
                if ((got[0] == '\0') != cases[i].ok)
                        fprintf(stderr, "\n  UTF-8 case %zu: got \"%s\"\n", i, got);
        }
        /* Also inside keys; and the column counts characters, not bytes. */
        CHECK_REFUSED("{\"\xc3\xa9\xc3\xa9\": \"\xed\xa0\x80\"}", "line 1, column 9: invalid UTF-8 in a string");
        CHECK_REFUSED("{\"\xc0\x80\": 1}", "column 3: invalid UTF-8");
}

static void test_numbers(void) {
        static const struct {
                const char *text;
                nc_json_type type;
                long long integer;
                double real;
        } ok[] = {
                { "0", NC_JSON_INTEGER, 0, 0 },
                { "-0", NC_JSON_INTEGER, 0, 0 },
                { "42", NC_JSON_INTEGER, 42, 0 },
                { "-42", NC_JSON_INTEGER, -42, 0 },
                { "9223372036854775807", NC_JSON_INTEGER, 9223372036854775807LL, 0 },
                { "-9223372036854775808", NC_JSON_INTEGER, -9223372036854775807LL - 1, 0 },
                { "80.0", NC_JSON_REAL, 0, 80.0 }, /* a float, as jansson and builtins.isInt see it */
                { "0.5", NC_JSON_REAL, 0, 0.5 },
                { "-0.5e-3", NC_JSON_REAL, 0, -0.5e-3 },
                { "1e5", NC_JSON_REAL, 0, 1e5 },
                { "1E+2", NC_JSON_REAL, 0, 100 },
                { "2e-1", NC_JSON_REAL, 0, 0.2 },
                { "1e-400", NC_JSON_REAL, 0, 0 }, /* underflow: 0, as jansson */
                { "1.7976931348623157e308", NC_JSON_REAL, 0, 1.7976931348623157e308 },
        };
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                nc_json_doc *doc = parse(ok[i].text);
                CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
                CU_ASSERT_EQUAL(nc_json_root(doc)->type, ok[i].type);
                if (ok[i].type == NC_JSON_INTEGER) {
                        CU_ASSERT_EQUAL(nc_json_root(doc)->u.integer, ok[i].integer);
                } else {
                        CU_ASSERT_DOUBLE_EQUAL(nc_json_root(doc)->u.real, ok[i].real, 0);
                }
                nc_json_free(doc);
        }
        CHECK_REFUSED("01", "column 1: invalid number (a leading zero)");
        CHECK_REFUSED("-01", "invalid number (a leading zero)");
        CHECK_REFUSED("00", "invalid number (a leading zero)");
        CHECK_REFUSED("[1, 012]", "column 5: invalid number (a leading zero)");
        CHECK_REFUSED("-", "column 1: invalid number");
        CHECK_REFUSED("-a", "invalid number");
        CHECK_REFUSED("1.", "invalid number");
        CHECK_REFUSED("1.e5", "invalid number");
        CHECK_REFUSED(".5", "unexpected '.'");
        CHECK_REFUSED("+1", "unexpected '+'");
        CHECK_REFUSED("1e", "invalid number");
        CHECK_REFUSED("1e+", "invalid number");
        CHECK_REFUSED("1x", "end of input expected");
        CHECK_REFUSED("0x10", "end of input expected");
        CHECK_REFUSED("NaN", "unexpected 'N'");
        CHECK_REFUSED("-Infinity", "invalid number");
        CHECK_REFUSED("9223372036854775808", "column 1: too big integer");
        CHECK_REFUSED("99999999999999999999999", "too big integer");
        CHECK_REFUSED("-9223372036854775809", "too big negative integer");
        CHECK_REFUSED("[0, 1e400]", "column 5: real number overflow");
        CHECK_REFUSED("-1e400", "real number overflow");
}

static void test_duplicate_keys(void) {
        char big[16 * 1024];
        size_t n = 0;

        CHECK_REFUSED("{\"a\": 1, \"a\": 2}", "line 1, column 10: duplicate object key");
        CHECK_REFUSED("{\"a\": {\"b\": 1, \"c\": 2, \"b\": 3}}", "column 24: duplicate object key");
        /* the same key after decoding */
        CHECK_REFUSED("{\"a\": 1, \"\\u0061\": 2}", "duplicate object key");
        CU_ASSERT_STRING_EQUAL(parse_error("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}, \"ab\": 3, \"A\": 4}"), "");
        CHECK_REFUSED("{\"a\\u0000b\": 1}", "column 2: NUL byte in object key not supported");

        /* Beyond a handful of members the keys are hashed: a duplicate
         * anywhere is still found, and distinct keys never collide. */
        n += (size_t) snprintf(big + n, sizeof big - n, "{");
        for (int i = 0; i < 500; i++)
                n += (size_t) snprintf(big + n, sizeof big - n, "%s\"k%d\": %d", i ? ", " : "", i, i);
        snprintf(big + n, sizeof big - n, "}");
        CU_ASSERT_STRING_EQUAL(parse_error(big), "");
        snprintf(big + n, sizeof big - n, ", \"k250\": 0}");
        CHECK_REFUSED(big, "duplicate object key");
        snprintf(big + n, sizeof big - n, ", \"k500\": 0, \"k0\": 0}");
        CHECK_REFUSED(big, "duplicate object key");
        snprintf(big + n, sizeof big - n, ", \"k500\": {\"k0\": 0, \"k1\": 1}}");
        CU_ASSERT_STRING_EQUAL(parse_error(big), "");
}

/* 100,000 members: found by key in document order, nothing quadratic. */
static void test_big_object(void) {
        size_t n_members = 100000, size = n_members * 24 + 16, n = 0;
        char *text = malloc(size);
        nc_json_doc *doc;
        const nc_json *root;

        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        text[n++] = '{';
        for (size_t i = 0; i < n_members; i++)
                n += (size_t) snprintf(text + n, size - n, "%s\"c%06zu\":[%zu]", i ? "," : "", n_members - i, i);
        text[n++] = '}';
        doc = parse_len(text, n, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        root = nc_json_root(doc);
        CU_ASSERT_EQUAL(root->n, n_members);
        CU_ASSERT_STRING_EQUAL(root->u.members[0].key, "c100000");
        CU_ASSERT_EQUAL(root->u.members[n_members - 1].value.u.items[0].u.integer, (long long) n_members - 1);
        nc_json_free(doc);
        /* the same text with its first key again at the end */
        n--;
        n += (size_t) snprintf(text + n, size - n, ",\"c100000\":0}");
        CU_ASSERT_TRUE(contains(parse_error_len(text, n), "duplicate object key"));
        free(text);
}

static void test_depth_limit(void) {
        size_t depth = NC_JSON_MAX_DEPTH;
        char *text = malloc(2 * depth + 8);
        char expected[64];

        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        /* 2048 arrays: the innermost is the 2048th value down */
        memset(text, '[', depth);
        memset(text + depth, ']', depth);
        CU_ASSERT_STRING_EQUAL(parse_error_len(text, 2 * depth), "");
        /* a scalar counts too: 2047 arrays and a number is the limit */
        text[depth - 1] = '1';
        CU_ASSERT_STRING_EQUAL(parse_error_len(text, 2 * depth - 1), "");
        /* one more */
        memset(text, '[', depth);
        text[depth] = '1';
        memset(text + depth + 1, ']', depth);
        snprintf(expected, sizeof expected, "line 1, column %zu: maximum parsing depth reached", depth + 1);
        CU_ASSERT_STRING_EQUAL(parse_error_len(text, 2 * depth + 1), expected);
        memset(text, '{', 1);
        CU_ASSERT_TRUE(contains(parse_error_len(text, 2 * depth + 1), "column 2: string or '}' expected"));
        free(text);
}

/* Line and column of the offending character; columns count characters. */
static void test_error_position(void) {
        CHECK_REFUSED("{\n  \"web\": {\n    \"path\": \"/x\",\n  }\n}", "line 4, column 3: string expected");
        CHECK_REFUSED("{\n \"a\": 1,\n  \"b\" 2}", "line 3, column 7: ':' expected");
        CHECK_REFUSED("[\"\xc3\xa9\xe2\x82\xac\", x]", "line 1, column 8: unexpected 'x'");
        CHECK_REFUSED("[\r\n1,\r\n\t2 3]", "line 3, column 4: ',' or ']' expected");
        CHECK_REFUSED("[1,\n", "line 2, column 1: unexpected end of input");
        CHECK_REFUSED("\"a\nb\"", "line 1, column 3: control character 0x0a");
}

/* The loader's messages keep jansson's "line L, column C: " prefix and
 * show values as jansson printed them, cut after 57 bytes. */
static void test_loader_messages(void) {
        static const char long_value[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        char json[256], want[256];

        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {\"path\": \"/nix/store/x\",}}", NC_MODE_STRICT),
                               "line 1, column 33: string expected");
        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {}, \"web\": {}}", NC_MODE_STRICT),
                               "line 1, column 13: duplicate object key");
        CU_ASSERT_STRING_EQUAL(load_error("", NC_MODE_COMPAT), "line 1, column 1: unexpected end of input");
        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {\"path\": \"/nix/store/x\", \"tmpfs\": [1.5, 2]}}", NC_MODE_STRICT),
                               "containers.web.tmpfs[0]: 1.5 is not of type string");
        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {\"path\": \"/nix/store/x\", \"tmpfs\": {\"a\": [1, null]}}}",
                                          NC_MODE_STRICT),
                               "containers.web.tmpfs: {\"a\":[1,null]} is not of type list of strings");
        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {\"path\": \"/nix/store/x\", \"ephemeral\": \"a\\u0000\\n\\u001f\"}}",
                                          NC_MODE_STRICT),
                               "containers.web.ephemeral: \"a\\u0000\\n\\u001F\" is not of type boolean");
        snprintf(json, sizeof json, "{\"web\": {\"path\": \"/nix/store/x\", \"ephemeral\": [\"%s\"]}}", long_value);
        snprintf(want, sizeof want, "containers.web.ephemeral: [\"%.55s... is not of type boolean", long_value);
        CU_ASSERT_STRING_EQUAL(load_error(json, NC_MODE_STRICT), want);
}

/* What json_dumps(JSON_ENCODE_ANY | JSON_COMPACT) prints for the same
 * text, or NULL when jansson refuses it. */
static char *jansson_dump(const char *text, size_t len) {
        json_error_t error;
        json_t *value = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &error);
        char *dump;

        if (!value)
                return NULL;
        dump = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        json_decref(value);
        return dump;
}

static void test_dump_is_janssons(void) {
        static const char *const texts[] = {
                "null", "true", "false", "0", "-0", "42", "-9223372036854775808", "9223372036854775807",
                "1.5", "80.0", "-0.0", "0.1", "1e16", "1e17", "1e20", "1e22", "1E+2", "1e-5", "0.0001", "0.000123",
                "2.5e-7", "3.14159", "1e300", "1e-400", "5e-324", "1.7976931348623157e308", "123456789012345678.0",
                "-1.5e-10", "100", "\"\"", "\"x\"", "\"a\\u0000b\"", "\"\\u0001\\u001f\\u007f\\u0080\"",
                "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\"", "\"\\ud83d\\ude00\"",
                "\"\xef\xbf\xbf\"", "[]", "{}", "[1,2]", "[1, [2, [3, []]], {}]", "{\"a\":1}",
                "{ \"b\" : 1 , \"a\" : [ true , null ] }", "{\"k\\n\\u0001\": \"v\"}",
                "{\"hostPort\": 80.0, \"protocol\": [\"tcp\", \"udp\"], \"x\": {\"y\": {\"z\": -1e-7}}}",
                " [ \"/nix/store/x\" , 1 , 2.25 ] ",
        };
        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                char *want = jansson_dump(texts[i], strlen(texts[i]));
                nc_json_doc *doc = parse(texts[i]);
                char got[512];
                size_t n;

                CU_ASSERT_PTR_NOT_NULL_FATAL(want);
                CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
                n = nc_json_dump(nc_json_root(doc), got, sizeof got);
                CU_ASSERT_EQUAL(n, strlen(want));
                CU_ASSERT_STRING_EQUAL(got, want);
                if (strcmp(got, want) != 0)
                        fprintf(stderr, "\n  dump of %s: got %s, jansson %s\n", texts[i], got, want);
                free(want);
                nc_json_free(doc);
        }
}

/* The printer cuts as snprintf() does and returns the whole length. */
static void test_dump_cuts(void) {
        nc_json_doc *doc = parse("{\"abc\": [1, 2, \"\\n\"]}");
        char out[8];

        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        CU_ASSERT_EQUAL(nc_json_dump(nc_json_root(doc), out, sizeof out), strlen("{\"abc\":[1,2,\"\\n\"]}"));
        CU_ASSERT_STRING_EQUAL(out, "{\"abc\":");
        CU_ASSERT_EQUAL(nc_json_dump(nc_json_root(doc), out, 1), 18);
        CU_ASSERT_STRING_EQUAL(out, "");
        CU_ASSERT_EQUAL(nc_json_dump(nc_json_root(doc), NULL, 0), 18);
        nc_json_free(doc);
}

/* Agrees with jansson on what is JSON, over a table of edge cases. */
static void test_agrees_with_jansson(void) {
        static const char *const texts[] = {
                "", " ", "{", "}", "[", "]", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{:1}", "[1 2]",
                "01", "-", "1.", ".1", "1e", "1e+", "-0", "-0.0e-0", "1E5", "tru", "nulll", "[true false]",
                "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\udc00\"", "\"\\u0000\"", "{\"\\u0000\":1}", "\"\x7f\"",
                "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\xef\xbf\xbe\"",
                "{\"a\":1,\"a\":1}", "{\"a\":{\"a\":{}}}", "[[[[[]]]]]", "9223372036854775808", "-9223372036854775809",
                "1e309", "[1] [2]", "\"\t\"", "\"\\a\"", "[1]\n\n", "\xef\xbb\xbf[]",
        };
        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                char *want = jansson_dump(texts[i], strlen(texts[i]));
                bool ours = parse_error(texts[i])[0] == '\0';

                CU_ASSERT_EQUAL(ours, want != NULL);
                if (ours != (want != NULL))
                        fprintf(stderr, "\n  case %zu: jansson %s it, we do not\n", i, want ? "accepts" : "refuses");
                free(want);
        }
}

/* Skips the value of any member "skip" at depth 2 (root.X.skip). */
static bool skip_at_two(const char *const *keys, unsigned depth, void *userdata) {
        (void) userdata;
        return depth == 2 && strcmp(keys[1], "skip") == 0;
}

static void test_skipping(void) {
        static const char text[] =
                "{\"a\": {\"skip\": [1, {\"x\": \"\\u00e9\"}, [2]], \"keep\": [1, 2]},"
                " \"b\": [{\"skip\": [3]}], \"skip\": {\"skip\": 4}}";
        nc_json_error error;
        nc_json_doc *doc = NULL;
        const nc_json *root, *a;

        CU_ASSERT_EQUAL_FATAL(nc_json_parse_skipping(text, strlen(text), skip_at_two, NULL, &doc, &error), 0);
        root = nc_json_root(doc);
        a = nc_json_object_get(root, "a");
        /* root.a.skip: only its type; root.a.keep whole. */
        CU_ASSERT_EQUAL(nc_json_object_get(a, "skip")->type, NC_JSON_ARRAY);
        CU_ASSERT_EQUAL(nc_json_object_get(a, "skip")->n, 0);
        CU_ASSERT_TRUE(nc_json_skipped(nc_json_object_get(a, "skip")));
        CU_ASSERT_EQUAL(nc_json_object_get(a, "keep")->n, 2);
        CU_ASSERT_FALSE(nc_json_skipped(nc_json_object_get(a, "keep")));
        {
                /* The printer shows a skipped value as its type only. */
                char dump[16];
                CU_ASSERT_EQUAL(nc_json_dump(nc_json_object_get(a, "skip"), dump, sizeof dump), 5);
                CU_ASSERT_STRING_EQUAL(dump, "[...]");
        }
        /* Below an array there is no key path: root.b[0].skip is kept. */
        CU_ASSERT_EQUAL(nc_json_object_get(&nc_json_object_get(root, "b")->u.items[0], "skip")->n, 1);
        /* Depth 1 is not 2: root.skip is kept, and its member "skip" is at depth 2. */
        CU_ASSERT_EQUAL(nc_json_object_get(root, "skip")->n, 1);
        CU_ASSERT_EQUAL(nc_json_object_get(nc_json_object_get(root, "skip"), "skip")->type, NC_JSON_INTEGER);
        nc_json_free(doc);

        /* A skipped value is still checked: syntax, UTF-8, duplicate keys. */
        CU_ASSERT_EQUAL(nc_json_parse_skipping("{\"a\": {\"skip\": [1,]}}", 21, skip_at_two, NULL, &doc, &error),
                        -EINVAL);
        CU_ASSERT_EQUAL(nc_json_parse_skipping("{\"a\": {\"skip\": {\"k\": 1, \"k\": 2}}}", 33, skip_at_two, NULL,
                                               &doc, &error), -EINVAL);
        CU_ASSERT_TRUE(contains(error.text, "duplicate"));
        CU_ASSERT_EQUAL(nc_json_parse_skipping("{\"a\": {\"skip\": \"\xff\"}}", 19, skip_at_two, NULL, &doc, &error),
                        -EINVAL);
}

/* The loader skips a container's `config` and `specialArgs`, in both
 * formats, and still refuses what is wrong around them. */
static void test_loader_skips_ignored(void) {
        nc_config *bare = load_json("{\"web\": {\"path\": \"/x\", \"config\": [[[1]], {\"a\": 2}]}}", NC_MODE_STRICT, NULL);
        nc_config *envelope = load_json("{\"containers\": {\"config\": {\"path\": \"/y\", \"specialArgs\": {\"z\": [1]}}},"
                                        " \"format\": \"nixcontainer-containers/1\", \"release\": \"25.11\"}",
                                        NC_MODE_STRICT, NULL);

        CU_ASSERT_PTR_NOT_NULL(bare);
        /* A container may be called "config": only its options are skipped. */
        CU_ASSERT_PTR_NOT_NULL(envelope);
        CU_ASSERT_STRING_EQUAL(nc_config_find(envelope, "config")->path, "/y");
        CU_ASSERT_TRUE(contains(load_error("{\"web\": {\"path\": \"/x\", \"config\": [1,]}}", NC_MODE_STRICT), "line 1"));
        /* Its value was not kept: the message names its type (the fuzzers
         * once found the printer reading the skipped string's bytes). */
        CU_ASSERT_TRUE(contains(load_error("{\"containers\": {\"web\": {\"path\": \"/x\", \"specialArgs\": [1]}},"
                                           " \"format\": \"nixcontainer-containers/1\", \"release\": \"25.11\"}",
                                           NC_MODE_STRICT),
                                "containers.web.specialArgs: a list is not of type attribute set"));
        CU_ASSERT_TRUE(contains(load_error("{\"containers\": {\"web\": {\"path\": \"/x\", \"specialArgs\": \"10.0.0.1\"}},"
                                           " \"format\": \"nixcontainer-containers/1\", \"release\": \"25.11\"}",
                                           NC_MODE_STRICT),
                                "containers.web.specialArgs: a string is not of type attribute set"));
        nc_config_free(bare);
        nc_config_free(envelope);
}

void nc_test_register_json(void) {
        static const suite_test tests[] = {
                { "every value type", test_value_types },
                { "one top-level value, whitespace around it", test_top_level },
                { "escapes and surrogate pairs", test_escapes },
                { "invalid UTF-8 is refused", test_utf8 },
                { "numbers: grammar and range", test_numbers },
                { "duplicate keys are refused", test_duplicate_keys },
                { "an object of 100,000 members", test_big_object },
                { "nesting depth limit", test_depth_limit },
                { "errors say line and column", test_error_position },
                { "loader messages", test_loader_messages },
                { "the printer prints what jansson printed", test_dump_is_janssons },
                { "the printer cuts as snprintf does", test_dump_cuts },
                { "accepts and refuses what jansson did", test_agrees_with_jansson },
                { "a skipped value is checked, not kept", test_skipping },
                { "the loader skips config and specialArgs", test_loader_skips_ignored },
        };

        suite_add("json parser", tests, ELEMENTSOF(tests));
}
