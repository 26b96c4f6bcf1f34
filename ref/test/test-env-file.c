/* nc_env_file_parse / nc_env_file_load against systemd v252 EnvironmentFile=.
 *
 * The vectors come from systemd's src/test/test-env-file.c and from files
 * run through a real systemd 252 (systemd-run -p EnvironmentFile=F env -0);
 * every expectation below is what that systemd gave. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "nixcontainer.h"
#include "unit-helpers.h"
#include "unit-tests.h"

/* CHECK(text, "A=1", "B=2", ...): parsing `text` (a string literal, NULs
 * included) into an empty env succeeds and gives exactly these entries in
 * this order. CHECK(text, NULL) expects no entries. */
#define CHECK(text, ...) \
        check_parse(__LINE__, text, sizeof(text) - 1, (const char *const[]){ __VA_ARGS__, NULL })

/* CHECK_FAIL(text, -EINVAL, "line 3"): parsing fails with that error, the
 * message contains the fragment, and the env is left as it was. */
#define CHECK_FAIL(text, err, fragment) check_fail(__LINE__, text, sizeof(text) - 1, err, fragment)

/* Appends `s` with every byte that is not printable ASCII as \xHH, so that
 * two renderings are equal exactly when the strings are. */
static void render_escaped(FILE *f, const char *s) {
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if (*p == '\\' || *p == '"')
                        fprintf(f, "\\%c", *p);
                else if (*p >= 0x20 && *p < 0x7f)
                        fputc(*p, f);
                else
                        fprintf(f, "\\x%02x", *p);
}

static char *render_env(const nc_env *env) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; i < nc_env_count(env); i++) {
                fputs(i ? ", \"" : "\"", f);
                render_escaped(f, nc_env_name_at(env, i));
                fputc('=', f);
                render_escaped(f, nc_env_value_at(env, i));
                fputc('"', f);
        }
        fclose(f);
        return text;
}

static char *render_list(const char *const *entries) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; entries[i]; i++) {
                fputs(i ? ", \"" : "\"", f);
                render_escaped(f, entries[i]);
                fputc('"', f);
        }
        fclose(f);
        return text;
}

static void assert_env_is(unsigned line, const nc_env *env, const char *const *expected) {
        char *got = render_env(env), *want = render_list(expected), *message = NULL;
        bool equal = got && want && strcmp(got, want) == 0;

        if (!equal && asprintf(&message, "got [%s], expected [%s]", got, want) < 0)
                message = NULL;
        CU_assertImplementation(equal, line, message ? message : "env as expected", __FILE__, "",
                                CU_FALSE);
        free(message);
        free(got);
        free(want);
}

static void check_parse(unsigned line, const char *text, size_t len, const char *const *expected) {
        nc_env *env = nc_env_new();
        nc_error error = { .message = "" };
        char message[NC_ERROR_MAX + 64];
        int r;

        r = nc_env_file_parse(env, text, len, &error);
        snprintf(message, sizeof message, "parse returned %d: %s", r, error.message);
        CU_assertImplementation(r == 0, line, message, __FILE__, "", CU_FALSE);
        assert_env_is(line, env, expected);
        nc_env_free(env);
}

static void check_fail(unsigned line, const char *text, size_t len, int err, const char *fragment) {
        nc_env *env = nc_env_new();
        nc_error error = { .message = "" };
        char message[NC_ERROR_MAX + 64];
        int r;

        nc_env_set(env, "KEEP", "1");
        r = nc_env_file_parse(env, text, len, &error);
        snprintf(message, sizeof message, "parse returned %d (%s), expected %d", r, error.message, err);
        CU_assertImplementation(r == err, line, message, __FILE__, "", CU_FALSE);
        snprintf(message, sizeof message, "message \"%s\" lacks \"%s\"", error.message, fragment);
        CU_assertImplementation(strstr(error.message, fragment) != NULL, line, message, __FILE__, "",
                                CU_FALSE);
        assert_env_is(line, env, (const char *const[]){ "KEEP=1", NULL });
        nc_env_free(env);
}

/* ---- systemd's own vectors (src/test/test-env-file.c) ------------------- */

static void test_systemd_file_1(void) {
        /* as in v247 */
        CHECK("a=a\n"
              "b=b\\\n"
              "c\n"
              "d=d\\\n"
              "e\\\n"
              "f\n"
              "g=g\\ \n"
              "h=h\n"
              "i=i\\",
              "a=a", "b=bc", "d=def", "g=g ", "h=h", "i=i");
        /* as in v252, with repeated keys and UTF-8 */
        CHECK("a=a\n"
              "a=b\n"
              "a=b\n"
              "a=a\n"
              "b=b\\\n"
              "c\n"
              "d= d\\\n"
              "e  \\\n"
              "f  \n"
              "g=g\\ \n"
              "h= ąęół\\ śćńźżμ \n"
              "i=i\\",
              "a=a", "b=bc", "d=de  f", "g=g ", "h=ąęół śćńźżμ", "i=i");
}

static void test_systemd_file_2(void) {
        CHECK("a=a\\\n", "a=a");
}

/* A comment ending in a backslash swallows the next line (up to v253). */
static void test_systemd_file_3(void) {
        CHECK("#SPAMD_ARGS=\"-d --socketpath=/var/lib/bulwark/spamd \\\n"
              "#--nouser-config                                     \\\n"
              "normal=line",
              NULL);
        /* v254 changed this file's expectation to normal1=line111 and
         * normal2=line222; systemd 252 gives nothing. */
        CHECK("#SPAMD_ARGS=\"-d --socketpath=/var/lib/bulwark/spamd \\\n"
              "#--nouser-config                                     \\\n"
              "normal1=line\\\n"
              "111\n"
              ";normal=ignored                                      \\\n"
              "normal2=line222\n"
              "normal ignored                                       \\\n",
              NULL);
}

static void test_systemd_file_4(void) {
        CHECK("# Generated\n"
              "\n"
              "HWMON_MODULES=\"coretemp f71882fg\"\n"
              "\n"
              "# For compatibility reasons\n"
              "\n"
              "MODULE_0=coretemp\n"
              "MODULE_1=f71882fg",
              "HWMON_MODULES=coretemp f71882fg", "MODULE_0=coretemp", "MODULE_1=f71882fg");
}

static void test_systemd_file_5(void) {
        CHECK("a=\n"
              "b=",
              "a=", "b=");
}

static void test_systemd_file_6(void) {
        CHECK("a=\\ \\n \\t \\x \\y \\' \n"
              "b= \\$'                  \n"
              "c= ' \\n\\t\\$\\`\\\\\n"
              "'   \n"
              "d= \" \\n\\t\\$\\`\\\\\n"
              "\"   \n",
              "a= n t x y '", "b=$'", "c= \\n\\t\\$\\`\\\\\n", "d= \\n\\t$`\\\n");
}

/* Noncharacters count as invalid UTF-8 for systemd. */
static void test_systemd_invalid_utf8(void) {
        CHECK_FAIL("fo\xef\xbf\xbeo=bar", -EINVAL, "line 1: invalid UTF-8 in key");
        CHECK_FAIL("foo=b\xef\xbf\xbf" "ar", -EINVAL, "line 1: invalid UTF-8 in value of foo");
        CHECK_FAIL("baz=hello world\xef\xbf\xbe", -EINVAL, "line 1: invalid UTF-8 in value of baz");
}

/* ---- the state machine, rule by rule ------------------------------------ */

static void test_empty_text(void) {
        CHECK("", NULL);
        CHECK(" \t\n\r\n  \n", NULL);
        CU_ASSERT_EQUAL(nc_env_file_parse(NULL, "A=1", 3, NULL), -EINVAL);
}

static void test_comments(void) {
        CHECK("# c\n; c\n  \t# indented\nA=1\n", "A=1");
        /* only at the start of a line: elsewhere '#' and ';' are text */
        CHECK("B=1 # not a comment\nC=#x\nD#E=1\n", "B=1 # not a comment", "C=#x");
        CHECK("A=1;B=2\n;C=3\n", "A=1;B=2");
        CHECK(";c\\\nA=1\nB=2\n", "B=2"); /* ';' comments continue too */
        CHECK("A=\"a\" # c\n", "A=a# c");
}

static void test_comment_backslash(void) {
        CHECK("#x\\\nA=1\nB=2\n", "B=2");
        CHECK("#x\\\\\nA=1\n", "A=1");          /* the backslash is escaped */
        CHECK("#x\\\r\nA=1\nB=2\n", "A=1", "B=2"); /* it eats the \r only */
        CHECK("#x\\", NULL);
}

static void test_key_without_equals(void) {
        CHECK("FOO\nA=1\nBAR", "A=1");
        CHECK("   =x\nA=1\n", "A=1"); /* key "=x" is dropped at the newline */
        CHECK("A\r=1\nB=2\n", "B=2");  /* "\r" ends the key's line */
}

static void test_key_whitespace(void) {
        CHECK("A \t=1\n  B=2\nC D=3\n\tE\t= 5 \n", "A=1", "B=2", "E=5");
        CHECK("A =\r\nB= \r\n", "A=", "B=");
}

static void test_empty_values(void) {
        CHECK("A=\nB=  \nC=''\nD=\"\"\nE=\\\n", "A=", "B=", "C=", "D=", "E=");
        CHECK("A=\\", "A=");
        CHECK("A=\\\nb\nB=\\\n", "A=b", "B=");
}

static void test_unquoted_whitespace(void) {
        CHECK("A=a  b\t c  \t\nB=  x\n", "A=a  b\t c", "B=x");
        CHECK("A=a b \t ", "A=a b"); /* trimmed at the end of the text too */
        CHECK("A=\t\t\"a\"\t\n", "A=a");
}

/* systemd trims only whitespace that was not escaped. */
static void test_escaped_whitespace(void) {
        CHECK("A=a\\ \nB=a\\  \nC=a \\  \nD=a\\\t\t\n", "A=a ", "B=a ", "C=a  ", "D=a\t");
}

static void test_unquoted_escapes(void) {
        CHECK("A=\\n\\t\\x\nB=a\\\\b\n", "A=ntx", "B=a\\b");
        CHECK("A=\\'x'\nB=\\\"y\n", "A='x'", "B=\"y");
}

static void test_continuation(void) {
        CHECK("A=a\\\nb\nB=a \\\n b\n", "A=ab", "B=a  b");
        CHECK("A=a\\\rb\nB=a\\\r\nC=1\n", "A=ab", "B=a", "C=1");
}

static void test_quotes_inside_unquoted_are_literal(void) {
        CHECK("A=foo\"bar\"\nB=foo'bar\nC=a \"b\" c\n", "A=foo\"bar\"", "B=foo'bar", "C=a \"b\" c");
        CHECK("A=b=c\nB==\n", "A=b=c", "B==");
}

/* After a closing quote whitespace is skipped and the rest appended. */
static void test_concatenation(void) {
        CHECK("A=\"a\" 'b' c\nB='a'\"b\"\nC=\"a\"  \nD=\"a b\" 'c d'\n",
              "A=abc", "B=ab", "C=a", "D=a bc d");
        CHECK("E=\"a\"b\"c\"\nF=\"a\"#\nG= 'a' \\ b\n", "E=ab\"c\"", "F=a#", "G=a b");
        CHECK("A=''x\nB=\"\" y\n", "A=x", "B=y");
}

static void test_single_quotes(void) {
        CHECK("A='a\\b\"c$d'\nB='x\ny'\nC=1\n", "A=a\\b\"c$d", "B=x\ny", "C=1");
        CHECK("A='a\\\nb'\n", "A=a\\\nb");
        CHECK("A='abc", "A=abc");
}

static void test_double_quotes(void) {
        CHECK("A=\"\\\"\\\\\\`\\$\"\nB=\"\\a\\n\"\n", "A=\"\\`$", "B=\\a\\n");
        CHECK("C=\"x\\\ny\"\nD=\"x\ny\"\n", "C=xy", "D=x\ny");
        CHECK("E=\"x\\\r\ny\"\n", "E=x\\\r\ny"); /* backslash-CR is kept */
        CHECK("A=\"\\x\\'\\#\"\n", "A=\\x\\'\\#");
        CHECK("A=\"x\n y\" z \nB=2\n", "A=x\n yz", "B=2");
        CHECK("A=\"abc", "A=abc");
        CHECK("A=\"abc\\", "A=abc");
}

static void test_carriage_returns(void) {
        CHECK("A=1\rB=2\r\nC=3\r\n", "A=1", "B=2", "C=3");
}

/* Only " \t\n\r" is whitespace; other control characters are kept. */
static void test_control_characters(void) {
        CHECK("A=\va\v\nB=\fb \f \n\vC=1\n", "A=\va\v", "B=\fb \f");
        CHECK("A=\x1b[1m\x7f\x01\nB=\"\x02\"\n", "A=\x1b[1m\x7f\x01", "B=\x02");
}

static void test_duplicates_later_win(void) {
        CHECK("A=1\nB=2\nA=3\n", "A=3", "B=2");
        CHECK("X1=1\nX2=2\nX3=3\nX2=22\nX1=11\n", "X1=11", "X2=22", "X3=3");
}

static void test_invalid_names_dropped(void) {
        CHECK("1A=x\nA-B=y\n_ok=z\nä=w\n=v\n==x\nA.B=1\n", "_ok=z");
        CHECK("path_x=1\n", "path_x=1");
        CHECK("\xef\xbb\xbf" "A=1\nB=2\n", "B=2"); /* a BOM is part of the first key */
}

static void test_invalid_utf8_fails(void) {
        CHECK_FAIL("\xff=1\n", -EINVAL, "line 1: invalid UTF-8 in key");
        CHECK_FAIL("A B=\xff\n", -EINVAL, "line 1: invalid UTF-8 in value");
        CHECK_FAIL("A=caf\xe9\n", -EINVAL, "invalid UTF-8 in value of A");       /* Latin-1 */
        CHECK_FAIL("A=\xc0\xaf\n", -EINVAL, "invalid UTF-8 in value of A");      /* overlong */
        CHECK_FAIL("A=\xed\xa0\x80\n", -EINVAL, "invalid UTF-8 in value of A");  /* surrogate */
        CHECK_FAIL("A=\xf4\x90\x80\x80\n", -EINVAL, "invalid UTF-8");            /* > U+10FFFF */
        CHECK_FAIL("A=\xef\xb7\x90\n", -EINVAL, "invalid UTF-8");                /* U+FDD0 */
        CHECK_FAIL("A=\xf4\x8f\xbf\xbf\n", -EINVAL, "invalid UTF-8");            /* U+10FFFF */
        CHECK_FAIL("A=\xf8\x88\x80\x80\x80\n", -EINVAL, "invalid UTF-8");        /* 5 bytes */
        CHECK_FAIL("A=\xe2\x82", -EINVAL, "invalid UTF-8");                      /* truncated */
}

/* Lines that never become assignments are not checked. */
static void test_invalid_utf8_ignored_outside_assignments(void) {
        CHECK("# \xff\nA=1\n", "A=1");
        CHECK("\xff\nA=1\n", "A=1");
}

static void test_valid_utf8(void) {
        CHECK("A=\xf0\x9f\x98\x80\nB=\xf4\x8f\xbf\xbd\nC=\xef\xbf\xbd\nD=\xc3\xa9\n",
              "A=\xf0\x9f\x98\x80", "B=\xf4\x8f\xbf\xbd", "C=\xef\xbf\xbd", "D=\xc3\xa9");
}

/* The message names the line where the failing key starts. */
static void test_error_names_line(void) {
        CHECK_FAIL("A=1\n\nB=2\nC=\xff\n", -EINVAL, "line 4: invalid UTF-8 in value of C");
        CHECK_FAIL("A=1\n\n\nB=\"x\ny\"\nC=3\nD=\xff", -EINVAL, "line 7: invalid UTF-8 in value of D");
}

/* systemd reads the file as a C string: a NUL byte fails it (-EBADMSG). */
static void test_nul_byte_fails(void) {
        CHECK_FAIL("A=1\0B=2\n", -EBADMSG, "NUL");
}

static void test_merges_into_existing(void) {
        nc_env *env = nc_env_new();
        const char *text = "A=new\nC=c\nBAD NAME=1\n";

        nc_env_set(env, "B", "old");
        nc_env_set(env, "A", "x");
        CU_ASSERT_EQUAL(nc_env_file_parse(env, text, strlen(text), NULL), 0);
        assert_env_is(__LINE__, env, (const char *const[]){ "B=old", "A=new", "C=c", NULL });
        nc_env_free(env);
}

/* Assignments longer than ARG_MAX allows are dropped after replace-in-place,
 * so a huge A= after A=small removes A (checked against systemd 252). */
static void test_over_long_assignments(void) {
        long arg_max = sysconf(_SC_ARG_MAX);
        size_t max, len;
        char *text;
        nc_env *env;

        if (arg_max <= 0 || arg_max > 16 * 1024 * 1024)
                return; /* a huge ARG_MAX (unlimited stack): nothing to test */
        max = (size_t) arg_max;
        text = malloc(2 * max + 64);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);

        /* "A=" + max-3 bytes is the longest that passes; "AB=" + the same
         * makes the whole assignment too long. */
        env = nc_env_new();
        len = (size_t) sprintf(text, "AB=");
        memset(text + len, 'x', max - 3);
        len += max - 3;
        len += (size_t) sprintf(text + len, "\nA=");
        memset(text + len, 'y', max - 3);
        len += max - 3;
        CU_ASSERT_EQUAL(nc_env_file_parse(env, text, len, NULL), 0);
        CU_ASSERT_EQUAL(nc_env_count(env), 1);
        CU_ASSERT_PTR_NULL(nc_env_get(env, "AB"));
        CU_ASSERT_PTR_NOT_NULL(nc_env_get(env, "A"));
        CU_ASSERT(nc_env_get(env, "A") && strlen(nc_env_get(env, "A")) == max - 3);
        nc_env_free(env);

        /* A=small, then A= one byte over: A is gone, B stays. */
        env = nc_env_new();
        len = (size_t) sprintf(text, "A=small\nA=");
        memset(text + len, 'x', max - 2);
        len += max - 2;
        len += (size_t) sprintf(text + len, "\nB=1\n");
        CU_ASSERT_EQUAL(nc_env_file_parse(env, text, len, NULL), 0);
        assert_env_is(__LINE__, env, (const char *const[]){ "B=1", NULL });
        nc_env_free(env);

        /* over-long A first, then B, then A=small: A keeps the first place. */
        env = nc_env_new();
        len = (size_t) sprintf(text, "A=");
        memset(text + len, 'x', max - 2);
        len += max - 2;
        len += (size_t) sprintf(text + len, "\nB=1\nA=small\n");
        CU_ASSERT_EQUAL(nc_env_file_parse(env, text, len, NULL), 0);
        assert_env_is(__LINE__, env, (const char *const[]){ "A=small", "B=1", NULL });
        nc_env_free(env);
        free(text);
}

/* ---- nc_env_file_load ---------------------------------------------------- */

/* Writes `len` bytes of `text` (or `len` bytes of '#' when text is NULL) to
 * a new temporary file; the caller unlinks and frees the path. */
static char *write_temp(const char *text, size_t len) {
        char *path = strdup("/tmp/nc-test-env-file.XXXXXX");
        size_t done = 0;
        int fd;

        if (!path)
                return NULL;
        fd = mkstemp(path);
        if (fd < 0) {
                free(path);
                return NULL;
        }
        while (done < len) {
                char block[4096];
                size_t n = len - done < sizeof block ? len - done : sizeof block;
                ssize_t k;

                if (!text)
                        memset(block, '#', n);
                k = write(fd, text ? text + done : block, n);
                if (k <= 0)
                        break;
                done += (size_t) k;
        }
        close(fd);
        if (done < len) {
                unlink(path);
                free(path);
                return NULL;
        }
        return path;
}

static void test_load_file(void) {
        static const char text[] = "# container\nHOST_ADDRESS=10.0.0.1\nEXTRA_NSPAWN_FLAGS=\"--a --b\"\n";
        char *path = write_temp(text, sizeof text - 1);
        nc_env *env = nc_env_new();
        nc_error error = { .message = "" };

        CU_ASSERT_PTR_NOT_NULL_FATAL(path);
        CU_ASSERT_EQUAL(nc_env_file_load(env, path, &error), 0);
        assert_env_is(__LINE__, env,
                      (const char *const[]){ "HOST_ADDRESS=10.0.0.1", "EXTRA_NSPAWN_FLAGS=--a --b", NULL });
        unlink(path);
        free(path);
        nc_env_free(env);
}

static void test_load_missing_file(void) {
        nc_env *env = nc_env_new();
        nc_error error = { .message = "" };

        CU_ASSERT_EQUAL(nc_env_file_load(env, "/nonexistent/nc-test.conf", &error), -ENOENT);
        CU_ASSERT_STRING_EQUAL(error.message, "/nonexistent/nc-test.conf: No such file or directory");
        CU_ASSERT_EQUAL(nc_env_count(env), 0);
        CU_ASSERT_EQUAL(nc_env_file_load(env, "/tmp", &error), -EISDIR);
        CU_ASSERT_STRING_EQUAL(error.message, "/tmp: Is a directory");
        nc_env_free(env);
}

static void test_load_size_limit(void) {
        char *path = write_temp(NULL, NC_ENV_FILE_MAX + 1);
        nc_env *env = nc_env_new();
        nc_error error = { .message = "" };
        char expected[256];

        CU_ASSERT_PTR_NOT_NULL_FATAL(path);
        CU_ASSERT_EQUAL(nc_env_file_load(env, path, &error), -EFBIG);
        snprintf(expected, sizeof expected, "%s: larger than %u bytes", path, NC_ENV_FILE_MAX);
        CU_ASSERT_STRING_EQUAL(error.message, expected);
        /* one byte less is fine (it is all one comment) */
        CU_ASSERT_EQUAL(truncate(path, NC_ENV_FILE_MAX), 0);
        CU_ASSERT_EQUAL(nc_env_file_load(env, path, &error), 0);
        CU_ASSERT_EQUAL(nc_env_count(env), 0);
        unlink(path);
        free(path);
        nc_env_free(env);
}

static void test_load_error_names_file(void) {
        static const char text[] = "A=1\nB=\xff\n";
        char *path = write_temp(text, sizeof text - 1);
        nc_env *env = nc_env_new();
        nc_error error = { .message = "" };
        char expected[256];

        CU_ASSERT_PTR_NOT_NULL_FATAL(path);
        nc_env_set(env, "KEEP", "1");
        CU_ASSERT_EQUAL(nc_env_file_load(env, path, &error), -EINVAL);
        snprintf(expected, sizeof expected, "%s: line 2: invalid UTF-8 in value of B", path);
        CU_ASSERT_STRING_EQUAL(error.message, expected);
        assert_env_is(__LINE__, env, (const char *const[]){ "KEEP=1", NULL });
        unlink(path);
        free(path);
        nc_env_free(env);
}

void nc_test_register_env_file(void) {
        static const suite_test tests[] = {
                { "systemd vector: file 1", test_systemd_file_1 },
                { "systemd vector: file 2", test_systemd_file_2 },
                { "systemd vector: file 3 (comment continuation)", test_systemd_file_3 },
                { "systemd vector: file 4", test_systemd_file_4 },
                { "systemd vector: file 5", test_systemd_file_5 },
                { "systemd vector: file 6 (escapes and quotes)", test_systemd_file_6 },
                { "systemd vector: invalid UTF-8", test_systemd_invalid_utf8 },
                { "empty and blank text", test_empty_text },
                { "comments only at line start", test_comments },
                { "backslash in a comment", test_comment_backslash },
                { "key without '=' is dropped", test_key_without_equals },
                { "key whitespace", test_key_whitespace },
                { "empty values", test_empty_values },
                { "unquoted value whitespace", test_unquoted_whitespace },
                { "escaped whitespace is not trimmed", test_escaped_whitespace },
                { "unquoted escapes drop the backslash", test_unquoted_escapes },
                { "line continuation", test_continuation },
                { "quotes inside unquoted values are literal", test_quotes_inside_unquoted_are_literal },
                { "quoted segments concatenate", test_concatenation },
                { "single quotes", test_single_quotes },
                { "double quotes", test_double_quotes },
                { "carriage returns end lines", test_carriage_returns },
                { "control characters are kept", test_control_characters },
                { "duplicates: later wins in first position", test_duplicates_later_win },
                { "invalid names are dropped", test_invalid_names_dropped },
                { "invalid UTF-8 fails the file", test_invalid_utf8_fails },
                { "invalid UTF-8 outside assignments", test_invalid_utf8_ignored_outside_assignments },
                { "valid UTF-8", test_valid_utf8 },
                { "error names the line", test_error_names_line },
                { "NUL byte fails the file", test_nul_byte_fails },
                { "merges into an existing env", test_merges_into_existing },
                { "over-long assignments dropped after replace", test_over_long_assignments },
                { "load: reads a file", test_load_file },
                { "load: missing file, directory", test_load_missing_file },
                { "load: size limit", test_load_size_limit },
                { "load: error names the file", test_load_error_names_file },
        };

        suite_add("env-file", tests, ELEMENTSOF(tests));
}
