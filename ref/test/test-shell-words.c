/* Bash's field splitting and the compat parser of pasted script text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "shell-words.h"
#include "unit-helpers.h"
#include "unit-tests.h"

static char *split(const char *value, const char *ifs) {
        nc_strv fields = { 0 };
        char *joined;
        CU_ASSERT_EQUAL(nc_shell_split(value, ifs, &fields), 0);
        joined = join_argv(&fields);
        nc_strv_clear(&fields);
        return joined;
}

static void check_split(const char *value, const char *ifs, const char *expected, size_t expected_n) {
        nc_strv fields = { 0 };
        char *joined;
        CU_ASSERT_EQUAL(nc_shell_split(value, ifs, &fields), 0);
        CU_ASSERT_EQUAL(fields.n, expected_n);
        joined = join_argv(&fields);
        CU_ASSERT_STRING_EQUAL(joined, expected);
        free(joined);
        nc_strv_clear(&fields);
}

static void test_split_whitespace(void) {
        char *s = split("  a \t b\n\nc  ", NC_SHELL_DEFAULT_IFS);
        CU_ASSERT_STRING_EQUAL(s, "a|b|c");
        free(s);
        check_split("", NC_SHELL_DEFAULT_IFS, "", 0);
        check_split("   ", NC_SHELL_DEFAULT_IFS, "", 0);
}

static void test_split_comma(void) {
        /* IFS=","; for i in $HOST_PORT: empty fields between commas stay. */
        check_split("tcp:1:1,udp:2:2", ",", "tcp:1:1|udp:2:2", 2);
        check_split("a,,b", ",", "a||b", 3);
        check_split(",a", ",", "|a", 2);
        check_split("a,", ",", "a", 1);
        check_split("a,,", ",", "a|", 2);
        check_split(",", ",", "", 1);
        check_split("a b,c", ",", "a b|c", 2);
}

static char *parse(const char *text, const nc_env *env, unsigned flags, int *ret_r, bool *ret_ended) {
        nc_strv words = { 0 };
        char *joined;
        *ret_r = nc_shell_parse_words(text, env, flags, &words, ret_ended, NULL);
        joined = join_argv(&words);
        nc_strv_clear(&words);
        return joined;
}

static void test_parse_quotes_and_expansions(void) {
        static const char *const vars[] = { "X=a b", "E=", "Q=\"q\"", NULL };
        nc_env *env = env_of(vars);
        static const struct { const char *text, *words; } cases[] = {
                { "--tmpfs=/a --tmpfs=/b", "--tmpfs=/a|--tmpfs=/b" },
                { "--capability=\"A,B\"", "--capability=A,B" },
                { "'$X'\"$X\"", "$Xa b" },
                { "pre$X", "prea|b" },
                { "$E", "" },
                { "\"$E\"", "" },
                { "${X}post", "a|bpost" },
                { "a\\ b", "a b" },
                { "\"a\\$X\\\"\"", "a$X\"" },
                { "\"a\\nb\"", "a\\nb" },
                { "$Q", "\"q\"" },
                { "x$", "x$" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                bool ended;
                int r;
                char *words = parse(cases[i].text, env, 0, &r, &ended);
                CU_ASSERT_EQUAL(r, 0);
                CU_ASSERT_FALSE(ended);
                CU_ASSERT_STRING_EQUAL(words, cases[i].words);
                if (strcmp(words, cases[i].words) != 0)
                        fprintf(stderr, "\n  %s -> %s\n", cases[i].text, words);
                free(words);
        }
        nc_env_free(env);
}

static void test_parse_newline_and_comment_end_the_command(void) {
        bool ended;
        int r;
        char *words = parse("--tmpfs=/a\n--bind=/:/host", NULL, 0, &r, &ended);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_TRUE(ended);
        CU_ASSERT_STRING_EQUAL(words, "--tmpfs=/a");
        free(words);
        words = parse("--tmpfs=/a #c", NULL, 0, &r, &ended);
        CU_ASSERT_TRUE(ended);
        CU_ASSERT_STRING_EQUAL(words, "--tmpfs=/a");
        free(words);
        words = parse("--tmpfs=/a#c", NULL, 0, &r, &ended);
        CU_ASSERT_FALSE(ended);
        CU_ASSERT_STRING_EQUAL(words, "--tmpfs=/a#c");
        free(words);
}

static void test_parse_unsupported(void) {
        static const char *const cases[] = {
                "$(id)", "`id`", "\"`id`\"", "a;b", "a|b", "a>b", "~/x", "/a{b,c}", "'open", "\"open", "${X:-y}", "$1",
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                bool ended;
                int r;
                char *words = parse(cases[i], NULL, 0, &r, &ended);
                CU_ASSERT_EQUAL(r, -ENOTSUP);
                free(words);
        }
}

static void test_parse_assignment(void) {
        static const char *const vars[] = { "X=a b", NULL };
        nc_env *env = env_of(vars);
        bool ended;
        int r;
        char *words = parse("\" --network-veth-extra=v1\"$X", env, NC_SHELL_ASSIGNMENT, &r, &ended);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_STRING_EQUAL(words, " --network-veth-extra=v1a b");
        free(words);
        words = parse("\"a\" b", env, NC_SHELL_ASSIGNMENT, &r, &ended);
        CU_ASSERT_EQUAL(r, -ENOTSUP);
        free(words);
        nc_env_free(env);
}

void nc_test_register_shell_words(void) {
        static const suite_test tests[] = {
                { "split on whitespace IFS", test_split_whitespace },
                { "split on IFS=,", test_split_comma },
                { "quotes and expansions", test_parse_quotes_and_expansions },
                { "a newline or comment ends the command", test_parse_newline_and_comment_end_the_command },
                { "what cannot be reproduced is refused", test_parse_unsupported },
                { "assignment values", test_parse_assignment },
        };

        suite_add("shell words", tests, ELEMENTSOF(tests));
}
