/* The renderers' string helpers: appends, printf-style appends that format
 * once when there is room, and concatenating pushes. */
#include <string.h>

#include <CUnit/CUnit.h>

#include "strbuf.h"
#include "unit-helpers.h"
#include "unit-tests.h"

/* A buffer holding `len` bytes of 'x' with exactly `room` bytes to spare
 * (the NUL's byte included). */
static void fill_leaving_room(nc_strbuf *b, size_t len, size_t room) {
        char x[256];

        memset(x, 'x', sizeof x);
        CU_ASSERT_EQUAL_FATAL(nc_strbuf_append_len(b, x, len), 0);
        CU_ASSERT_EQUAL_FATAL(b->capacity - b->len, room);
}

static void test_appendf_at_the_edge_of_the_room(void) {
        /* 64 bytes are the first capacity: 60 used, room for 3 and a NUL. */
        static const struct {
                const char *value;
                bool grows;
        } cases[] = { { "abc", false }, { "abcd", true }, { "abcdefghij", true }, { "", false } };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                nc_strbuf b = { 0 };
                size_t capacity;

                fill_leaving_room(&b, 60, 4);
                capacity = b.capacity;
                CU_ASSERT_EQUAL(nc_strbuf_appendf(&b, "%s", cases[i].value), 0);
                CU_ASSERT_EQUAL(b.len, 60 + strlen(cases[i].value));
                CU_ASSERT_EQUAL(strlen(b.data), b.len);
                CU_ASSERT_STRING_EQUAL(b.data + 60, cases[i].value);
                CU_ASSERT_EQUAL(b.capacity > capacity, cases[i].grows);
                nc_strbuf_free(&b);
        }
}

static void test_appendf_formats(void) {
        nc_strbuf b = { 0 };

        CU_ASSERT_EQUAL(nc_strbuf_appendf(&b, "%s:%lld:%lld", "tcp", 80LL, 8080LL), 0);
        CU_ASSERT_EQUAL(nc_strbuf_appendf(&b, ",%s", "udp"), 0);
        CU_ASSERT_STRING_EQUAL(b.data, "tcp:80:8080,udp");
        CU_ASSERT_EQUAL(b.len, strlen("tcp:80:8080,udp"));
        nc_strbuf_free(&b);
}

static void test_append_many(void) {
        nc_strbuf b = { 0 };

        CU_ASSERT_EQUAL(nc_strbuf_append_many(&b, "KEY", "=", "", "value", "\n", (const char *) NULL), 0);
        CU_ASSERT_EQUAL(nc_strbuf_append_many(&b, (const char *) NULL), 0);
        CU_ASSERT_STRING_EQUAL(b.data, "KEY=value\n");
        CU_ASSERT_EQUAL(b.len, 10);
        /* across a growth */
        fill_leaving_room(&b, 50, 4);
        CU_ASSERT_EQUAL(nc_strbuf_append_many(&b, "12", "345", (const char *) NULL), 0);
        CU_ASSERT_STRING_EQUAL(b.data + 60, "12345");
        CU_ASSERT_EQUAL(strlen(b.data), b.len);
        nc_strbuf_free(&b);
}

static void test_strv_push_concat(void) {
        nc_strv v = { 0 };

        CU_ASSERT_EQUAL(nc_strv_push_concat(&v, "--setenv", (const char *) NULL), 0);
        CU_ASSERT_EQUAL(nc_strv_push_concat(&v, "HOST_ADDRESS", "=", "", (const char *) NULL), 0);
        CU_ASSERT_EQUAL(nc_strv_push_concat(&v, (const char *) NULL), 0);
        CU_ASSERT_EQUAL_FATAL(v.n, 3);
        CU_ASSERT_STRING_EQUAL(v.items[0], "--setenv");
        CU_ASSERT_STRING_EQUAL(v.items[1], "HOST_ADDRESS=");
        CU_ASSERT_STRING_EQUAL(v.items[2], "");
        nc_strv_clear(&v);
}

void nc_test_register_strbuf(void) {
        static const suite_test tests[] = {
                { "appendf at the edge of the room", test_appendf_at_the_edge_of_the_room },
                { "appendf formats as printf", test_appendf_formats },
                { "append_many concatenates", test_append_many },
                { "strv_push_concat pushes one item", test_strv_push_concat },
        };

        suite_add("strbuf", tests, ELEMENTSOF(tests));
}
