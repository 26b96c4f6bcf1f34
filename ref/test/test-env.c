/* nc_env: ordered NAME=VALUE list, replace in place, atomic merges. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "nixcontainer.h"
#include "unit-helpers.h"
#include "unit-tests.h"

/* Asserts the whole env, in order: "A=1", "B=2", ..., NULL. */
#define ASSERT_ENV(env, ...) assert_env(__LINE__, env, (const char *const[]){ __VA_ARGS__, NULL })

static void assert_env(unsigned line, const nc_env *env, const char *const *expected) {
        char message[512];
        size_t n = 0;

        while (expected[n])
                n++;
        snprintf(message, sizeof message, "env has %zu entries, expected %zu", nc_env_count(env), n);
        CU_assertImplementation(nc_env_count(env) == n, line, message, __FILE__, "", CU_FALSE);
        for (size_t i = 0; i < n && i < nc_env_count(env); i++) {
                char entry[256];

                snprintf(entry, sizeof entry, "%s=%s", nc_env_name_at(env, i), nc_env_value_at(env, i));
                snprintf(message, sizeof message, "entry %zu is \"%s\", expected \"%s\"", i, entry,
                         expected[i]);
                CU_assertImplementation(strcmp(entry, expected[i]) == 0, line, message, __FILE__, "",
                                        CU_FALSE);
        }
}

static void test_new_is_empty(void) {
        nc_env *env = nc_env_new();

        CU_ASSERT_PTR_NOT_NULL_FATAL(env);
        CU_ASSERT_EQUAL(nc_env_count(env), 0);
        CU_ASSERT_PTR_NULL(nc_env_get(env, "A"));
        CU_ASSERT_PTR_NULL(nc_env_name_at(env, 0));
        CU_ASSERT_PTR_NULL(nc_env_value_at(env, 0));
        nc_env_free(env);
}

static void test_null_env(void) {
        nc_env_free(NULL);
        CU_ASSERT_EQUAL(nc_env_count(NULL), 0);
        CU_ASSERT_PTR_NULL(nc_env_get(NULL, "A"));
        CU_ASSERT_PTR_NULL(nc_env_name_at(NULL, 0));
        CU_ASSERT_EQUAL(nc_env_set(NULL, "A", "1"), -EINVAL);
        CU_ASSERT_EQUAL(nc_env_merge(NULL, NULL), -EINVAL);
}

static void test_set_keeps_order(void) {
        nc_env *env = nc_env_new();

        CU_ASSERT_EQUAL(nc_env_set(env, "B", "2"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "A", "1"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "C", "3"), 0);
        ASSERT_ENV(env, "B=2", "A=1", "C=3");
        CU_ASSERT_STRING_EQUAL(nc_env_get(env, "A"), "1");
        CU_ASSERT_PTR_NULL(nc_env_get(env, "a"));
        CU_ASSERT_PTR_NULL(nc_env_name_at(env, 3));
        nc_env_free(env);
}

static void test_replace_keeps_first_position(void) {
        nc_env *env = nc_env_new();

        CU_ASSERT_EQUAL(nc_env_set(env, "A", "1"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "B", "2"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "A", "3"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "C", "4"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "A", "5"), 0);
        ASSERT_ENV(env, "A=5", "B=2", "C=4");
        nc_env_free(env);
}

static void test_empty_value_is_set(void) {
        nc_env *env = nc_env_new();

        CU_ASSERT_EQUAL(nc_env_set(env, "HOST_BRIDGE", ""), 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(nc_env_get(env, "HOST_BRIDGE"));
        CU_ASSERT_STRING_EQUAL(nc_env_get(env, "HOST_BRIDGE"), "");
        ASSERT_ENV(env, "HOST_BRIDGE=");
        nc_env_free(env);
}

static void test_set_len_copies_exact_bytes(void) {
        nc_env *env = nc_env_new();
        char buffer[] = "abc\n\t\xff def";

        CU_ASSERT_EQUAL(nc_env_set_len(env, "A", buffer, 3), 0);
        CU_ASSERT_EQUAL(nc_env_set_len(env, "B", buffer, sizeof buffer - 1), 0);
        CU_ASSERT_EQUAL(nc_env_set_len(env, "C", buffer, 0), 0);
        buffer[0] = 'X'; /* the env holds copies */
        ASSERT_ENV(env, "A=abc", "B=abc\n\t\xff def", "C=");
        nc_env_free(env);
}

static void test_refuses_bad_arguments(void) {
        nc_env *env = nc_env_new();

        CU_ASSERT_EQUAL(nc_env_set(env, "KEEP", "1"), 0);
        CU_ASSERT_EQUAL(nc_env_set_len(env, "KEEP", "a\0b", 3), -EINVAL);
        CU_ASSERT_EQUAL(nc_env_set_len(env, "N", "a\0b", 3), -EINVAL);
        CU_ASSERT_EQUAL(nc_env_set(env, NULL, "1"), -EINVAL);
        CU_ASSERT_EQUAL(nc_env_set(env, "", "1"), -EINVAL);
        CU_ASSERT_EQUAL(nc_env_set(env, "A=B", "1"), -EINVAL);
        CU_ASSERT_EQUAL(nc_env_set(env, "A", NULL), -EINVAL);
        ASSERT_ENV(env, "KEEP=1");
        nc_env_free(env);
}

static void test_merge_later_wins(void) {
        nc_env *env = nc_env_new(), *from = nc_env_new();

        nc_env_set(env, "A", "1");
        nc_env_set(env, "B", "2");
        nc_env_set(from, "C", "3");
        nc_env_set(from, "A", "4");
        CU_ASSERT_EQUAL(nc_env_merge(env, from), 0);
        ASSERT_ENV(env, "A=4", "B=2", "C=3");
        ASSERT_ENV(from, "C=3", "A=4");
        nc_env_free(env);
        nc_env_free(from);
}

static void test_merge_empty_and_self(void) {
        nc_env *env = nc_env_new(), *empty = nc_env_new();

        nc_env_set(env, "A", "1");
        nc_env_set(env, "B", "2");
        CU_ASSERT_EQUAL(nc_env_merge(env, empty), 0);
        CU_ASSERT_EQUAL(nc_env_merge(env, NULL), 0);
        CU_ASSERT_EQUAL(nc_env_merge(env, env), 0);
        ASSERT_ENV(env, "A=1", "B=2");
        CU_ASSERT_EQUAL(nc_env_merge(empty, env), 0);
        ASSERT_ENV(empty, "A=1", "B=2");
        nc_env_free(env);
        nc_env_free(empty);
}

static void test_load_environ(void) {
        nc_env *env = nc_env_new();
        char *const list[] = {
                "PATH=/bin:/usr/bin",
                "EQ=a=b=c",
                "NOEQUALS",
                "=nameless",
                "EMPTY=",
                "PATH=/sbin",
                NULL,
        };

        nc_env_set(env, "EMPTY", "before");
        CU_ASSERT_EQUAL(nc_env_load_environ(env, list), 0);
        ASSERT_ENV(env, "EMPTY=", "PATH=/sbin", "EQ=a=b=c");
        CU_ASSERT_EQUAL(nc_env_load_environ(env, NULL), 0);
        CU_ASSERT_EQUAL(nc_env_count(env), 3);
        nc_env_free(env);
}

/* Enough names to grow the hash index several times. */
static void test_many_names(void) {
        enum { N = 5000 };
        nc_env *env = nc_env_new();
        char name[32], value[32];
        bool ok = true;

        for (int i = 0; i < N; i++) {
                snprintf(name, sizeof name, "VAR_%d", i);
                snprintf(value, sizeof value, "%d", i);
                ok = ok && nc_env_set(env, name, value) == 0;
        }
        for (int i = N - 1; i >= 0; i -= 2) {
                snprintf(name, sizeof name, "VAR_%d", i);
                snprintf(value, sizeof value, "odd%d", i);
                ok = ok && nc_env_set(env, name, value) == 0;
        }
        CU_ASSERT(ok);
        CU_ASSERT_EQUAL_FATAL(nc_env_count(env), N);
        for (int i = 0; i < N; i++) {
                snprintf(name, sizeof name, "VAR_%d", i);
                snprintf(value, sizeof value, i % 2 ? "odd%d" : "%d", i);
                ok = ok && strcmp(nc_env_name_at(env, (size_t) i), name) == 0 &&
                     strcmp(nc_env_get(env, name), value) == 0;
        }
        CU_ASSERT(ok);
        CU_ASSERT_PTR_NULL(nc_env_get(env, "VAR_5000"));
        nc_env_free(env);
}

void nc_test_register_env(void) {
        static const suite_test tests[] = {
                { "new env is empty", test_new_is_empty },
                { "NULL env is accepted or refused", test_null_env },
                { "set keeps insertion order", test_set_keeps_order },
                { "replacing keeps the first position", test_replace_keeps_first_position },
                { "empty value is set, not unset", test_empty_value_is_set },
                { "set_len copies exactly len bytes", test_set_len_copies_exact_bytes },
                { "bad names, NUL bytes, NULL values refused", test_refuses_bad_arguments },
                { "merge: later wins in first position", test_merge_later_wins },
                { "merge of empty, NULL and self", test_merge_empty_and_self },
                { "load_environ splits at the first '='", test_load_environ },
                { "5000 names stay ordered and found", test_many_names },
        };

        suite_add("env", tests, ELEMENTSOF(tests));
}
