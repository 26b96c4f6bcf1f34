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
#include "text.h"
#include "unit-helpers.h"
#include "unit-tests.h"

/* A case: `input` (`len` bytes, NULs included) parsed into an env. */
typedef struct parse_case {
        unsigned line;           /* of the case in this file, for CUnit's report */
        const char *input;
        size_t len;
        const char *expected[8]; /* the entries of an empty env after it, in order */
        int err;                 /* else the error parsing fails with, */
        const char *fragment;    /* a part of its message; the env is left as it was */
} parse_case;

/* OK(input, "A=1", "B=2", ...): parsing `input` (a string literal) into an
 * empty env succeeds and gives exactly these entries in this order;
 * OK(input, NULL) gives none. */
#define OK(input, ...) { __LINE__, input, sizeof(input) - 1, { __VA_ARGS__ }, 0, NULL }

/* FAILS(input, -EINVAL, "line 3"): parsing fails with that error, the
 * message contains the fragment, and the env is left as it was. */
#define FAILS(input, err, fragment) { __LINE__, input, sizeof(input) - 1, { NULL }, err, fragment }

static char *render_env(const nc_env *env) {
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; i < nc_env_count(env); i++) {
                fputs(i ? ", \"" : "\"", f);
                print_escaped(f, nc_env_name_at(env, i), strlen(nc_env_name_at(env, i)));
                fputc('=', f);
                print_escaped(f, nc_env_value_at(env, i), strlen(nc_env_value_at(env, i)));
                fputc('"', f);
        }
        fclose(f);
        return out;
}

static char *render_list(const char *const *entries) {
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; entries[i]; i++) {
                fputs(i ? ", \"" : "\"", f);
                print_escaped(f, entries[i], strlen(entries[i]));
                fputc('"', f);
        }
        fclose(f);
        return out;
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

static void check_cases(const parse_case *cases, size_t n) {
        for (const parse_case *c = cases; c < cases + n; c++) {
                nc_env *env = nc_env_new();
                nc_error error = { .message = "" };
                char message[NC_ERROR_MAX + 64];
                int r;

                if (c->err)
                        nc_env_set(env, "KEEP", "1");
                r = nc_env_file_parse(env, c->input, c->len, &error);
                snprintf(message, sizeof message, "parse returned %d (%s), expected %d", r, error.message, c->err);
                CU_assertImplementation(r == c->err, c->line, message, __FILE__, "", CU_FALSE);
                if (c->err) {
                        snprintf(message, sizeof message, "message \"%s\" lacks \"%s\"", error.message, c->fragment);
                        CU_assertImplementation(strstr(error.message, c->fragment) != NULL, c->line, message, __FILE__,
                                                "", CU_FALSE);
                }
                assert_env_is(c->line, env, c->err ? (const char *const[]){ "KEEP=1", NULL } : c->expected);
                nc_env_free(env);
        }
}

/* ---- systemd's own vectors (src/test/test-env-file.c) ------------------- */

static const parse_case systemd_vectors[] = {
        /* file 1, as in v247 */
        OK("a=a\n"
           "b=b\\\n"
           "c\n"
           "d=d\\\n"
           "e\\\n"
           "f\n"
           "g=g\\ \n"
           "h=h\n"
           "i=i\\",
           "a=a", "b=bc", "d=def", "g=g ", "h=h", "i=i"),
        /* as in v252, with repeated keys and UTF-8 */
        OK("a=a\n"
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
           "a=a", "b=bc", "d=de  f", "g=g ", "h=ąęół śćńźżμ", "i=i"),
        /* file 2 */
        OK("a=a\\\n", "a=a"),
        /* file 3: a comment ending in a backslash swallows the next line (up to v253) */
        OK("#SPAMD_ARGS=\"-d --socketpath=/var/lib/bulwark/spamd \\\n"
           "#--nouser-config                                     \\\n"
           "normal=line",
           NULL),
        /* v254 changed this file's expectation to normal1=line111 and
         * normal2=line222; systemd 252 gives nothing. */
        OK("#SPAMD_ARGS=\"-d --socketpath=/var/lib/bulwark/spamd \\\n"
           "#--nouser-config                                     \\\n"
           "normal1=line\\\n"
           "111\n"
           ";normal=ignored                                      \\\n"
           "normal2=line222\n"
           "normal ignored                                       \\\n",
           NULL),
        /* file 4 */
        OK("# Generated\n"
           "\n"
           "HWMON_MODULES=\"coretemp f71882fg\"\n"
           "\n"
           "# For compatibility reasons\n"
           "\n"
           "MODULE_0=coretemp\n"
           "MODULE_1=f71882fg",
           "HWMON_MODULES=coretemp f71882fg", "MODULE_0=coretemp", "MODULE_1=f71882fg"),
        /* file 5 */
        OK("a=\n"
           "b=",
           "a=", "b="),
        /* file 6 (escapes and quotes) */
        OK("a=\\ \\n \\t \\x \\y \\' \n"
           "b= \\$'                  \n"
           "c= ' \\n\\t\\$\\`\\\\\n"
           "'   \n"
           "d= \" \\n\\t\\$\\`\\\\\n"
           "\"   \n",
           "a= n t x y '", "b=$'", "c= \\n\\t\\$\\`\\\\\n", "d= \\n\\t$`\\\n"),
        /* invalid UTF-8: noncharacters count as invalid for systemd */
        FAILS("fo\xef\xbf\xbeo=bar", -EINVAL, "line 1: invalid UTF-8 in key"),
        FAILS("foo=b\xef\xbf\xbf" "ar", -EINVAL, "line 1: invalid UTF-8 in value of foo"),
        FAILS("baz=hello world\xef\xbf\xbe", -EINVAL, "line 1: invalid UTF-8 in value of baz"),
};

/* ---- the state machine, rule by rule ------------------------------------ */

static const parse_case state_machine[] = {
        /* empty and blank text */
        OK("", NULL),
        OK(" \t\n\r\n  \n", NULL),
        /* comments only at line start */
        OK("# c\n; c\n  \t# indented\nA=1\n", "A=1"),
        /* ... only at the start of a line: elsewhere '#' and ';' are text */
        OK("B=1 # not a comment\nC=#x\nD#E=1\n", "B=1 # not a comment", "C=#x"),
        OK("A=1;B=2\n;C=3\n", "A=1;B=2"),
        OK(";c\\\nA=1\nB=2\n", "B=2"), /* ';' comments continue too */
        OK("A=\"a\" # c\n", "A=a# c"),
        /* backslash in a comment */
        OK("#x\\\nA=1\nB=2\n", "B=2"),
        OK("#x\\\\\nA=1\n", "A=1"),          /* the backslash is escaped */
        OK("#x\\\r\nA=1\nB=2\n", "A=1", "B=2"), /* it eats the \r only */
        OK("#x\\", NULL),
        /* key without '=' is dropped */
        OK("FOO\nA=1\nBAR", "A=1"),
        OK("   =x\nA=1\n", "A=1"), /* key "=x" is dropped at the newline */
        OK("A\r=1\nB=2\n", "B=2"),  /* "\r" ends the key's line */
        /* key whitespace */
        OK("A \t=1\n  B=2\nC D=3\n\tE\t= 5 \n", "A=1", "B=2", "E=5"),
        OK("A =\r\nB= \r\n", "A=", "B="),
        /* empty values */
        OK("A=\nB=  \nC=''\nD=\"\"\nE=\\\n", "A=", "B=", "C=", "D=", "E="),
        OK("A=\\", "A="),
        OK("A=\\\nb\nB=\\\n", "A=b", "B="),
        /* unquoted value whitespace */
        OK("A=a  b\t c  \t\nB=  x\n", "A=a  b\t c", "B=x"),
        OK("A=a b \t ", "A=a b"), /* trimmed at the end of the text too */
        OK("A=\t\t\"a\"\t\n", "A=a"),
        /* escaped whitespace is not trimmed: systemd trims only what was not escaped */
        OK("A=a\\ \nB=a\\  \nC=a \\  \nD=a\\\t\t\n", "A=a ", "B=a ", "C=a  ", "D=a\t"),
        /* unquoted escapes drop the backslash */
        OK("A=\\n\\t\\x\nB=a\\\\b\n", "A=ntx", "B=a\\b"),
        OK("A=\\'x'\nB=\\\"y\n", "A='x'", "B=\"y"),
        /* line continuation */
        OK("A=a\\\nb\nB=a \\\n b\n", "A=ab", "B=a  b"),
        OK("A=a\\\rb\nB=a\\\r\nC=1\n", "A=ab", "B=a", "C=1"),
        /* quotes inside unquoted values are literal */
        OK("A=foo\"bar\"\nB=foo'bar\nC=a \"b\" c\n", "A=foo\"bar\"", "B=foo'bar", "C=a \"b\" c"),
        OK("A=b=c\nB==\n", "A=b=c", "B=="),
        /* quoted segments concatenate: after a closing quote whitespace is skipped, the rest appended */
        OK("A=\"a\" 'b' c\nB='a'\"b\"\nC=\"a\"  \nD=\"a b\" 'c d'\n",
           "A=abc", "B=ab", "C=a", "D=a bc d"),
        OK("E=\"a\"b\"c\"\nF=\"a\"#\nG= 'a' \\ b\n", "E=ab\"c\"", "F=a#", "G=a b"),
        OK("A=''x\nB=\"\" y\n", "A=x", "B=y"),
        /* single quotes */
        OK("A='a\\b\"c$d'\nB='x\ny'\nC=1\n", "A=a\\b\"c$d", "B=x\ny", "C=1"),
        OK("A='a\\\nb'\n", "A=a\\\nb"),
        OK("A='abc", "A=abc"),
        /* double quotes */
        OK("A=\"\\\"\\\\\\`\\$\"\nB=\"\\a\\n\"\n", "A=\"\\`$", "B=\\a\\n"),
        OK("C=\"x\\\ny\"\nD=\"x\ny\"\n", "C=xy", "D=x\ny"),
        OK("E=\"x\\\r\ny\"\n", "E=x\\\r\ny"), /* backslash-CR is kept */
        OK("A=\"\\x\\'\\#\"\n", "A=\\x\\'\\#"),
        OK("A=\"x\n y\" z \nB=2\n", "A=x\n yz", "B=2"),
        OK("A=\"abc", "A=abc"),
        OK("A=\"abc\\", "A=abc"),
        /* carriage returns end lines */
        OK("A=1\rB=2\r\nC=3\r\n", "A=1", "B=2", "C=3"),
        /* control characters are kept: only " \t\n\r" is whitespace */
        OK("A=\va\v\nB=\fb \f \n\vC=1\n", "A=\va\v", "B=\fb \f"),
        OK("A=\x1b[1m\x7f\x01\nB=\"\x02\"\n", "A=\x1b[1m\x7f\x01", "B=\x02"),
        /* duplicates: later wins in first position */
        OK("A=1\nB=2\nA=3\n", "A=3", "B=2"),
        OK("X1=1\nX2=2\nX3=3\nX2=22\nX1=11\n", "X1=11", "X2=22", "X3=3"),
        /* invalid names are dropped */
        OK("1A=x\nA-B=y\n_ok=z\nä=w\n=v\n==x\nA.B=1\n", "_ok=z"),
        OK("path_x=1\n", "path_x=1"),
        OK("\xef\xbb\xbf" "A=1\nB=2\n", "B=2"), /* a BOM is part of the first key */
        /* invalid UTF-8 fails the file */
        FAILS("\xff=1\n", -EINVAL, "line 1: invalid UTF-8 in key"),
        FAILS("A B=\xff\n", -EINVAL, "line 1: invalid UTF-8 in value"),
        FAILS("A=caf\xe9\n", -EINVAL, "invalid UTF-8 in value of A"),       /* Latin-1 */
        FAILS("A=\xc0\xaf\n", -EINVAL, "invalid UTF-8 in value of A"),      /* overlong */
        FAILS("A=\xed\xa0\x80\n", -EINVAL, "invalid UTF-8 in value of A"),  /* surrogate */
        FAILS("A=\xf4\x90\x80\x80\n", -EINVAL, "invalid UTF-8"),            /* > U+10FFFF */
        FAILS("A=\xef\xb7\x90\n", -EINVAL, "invalid UTF-8"),                /* U+FDD0 */
        FAILS("A=\xf4\x8f\xbf\xbf\n", -EINVAL, "invalid UTF-8"),            /* U+10FFFF */
        FAILS("A=\xf8\x88\x80\x80\x80\n", -EINVAL, "invalid UTF-8"),        /* 5 bytes */
        FAILS("A=\xe2\x82", -EINVAL, "invalid UTF-8"),                      /* truncated */
        /* invalid UTF-8 outside assignments: lines that never become assignments are not checked */
        OK("# \xff\nA=1\n", "A=1"),
        OK("\xff\nA=1\n", "A=1"),
        /* valid UTF-8 */
        OK("A=\xf0\x9f\x98\x80\nB=\xf4\x8f\xbf\xbd\nC=\xef\xbf\xbd\nD=\xc3\xa9\n",
           "A=\xf0\x9f\x98\x80", "B=\xf4\x8f\xbf\xbd", "C=\xef\xbf\xbd", "D=\xc3\xa9"),
        /* the message names the line where the failing key starts */
        FAILS("A=1\n\nB=2\nC=\xff\n", -EINVAL, "line 4: invalid UTF-8 in value of C"),
        FAILS("A=1\n\n\nB=\"x\ny\"\nC=3\nD=\xff", -EINVAL, "line 7: invalid UTF-8 in value of D"),
        /* systemd reads the file as a C string: a NUL byte fails it (-EBADMSG) */
        FAILS("A=1\0B=2\n", -EBADMSG, "NUL"),
};

static void test_systemd_vectors(void) {
        check_cases(systemd_vectors, ELEMENTSOF(systemd_vectors));
}

static void test_state_machine(void) {
        check_cases(state_machine, ELEMENTSOF(state_machine));
}

static void test_null_env(void) {
        CU_ASSERT_EQUAL(nc_env_file_parse(NULL, "A=1", 3, NULL), -EINVAL);
}

static void test_merges_into_existing(void) {
        nc_env *env = nc_env_new();
        const char *input = "A=new\nC=c\nBAD NAME=1\n";

        nc_env_set(env, "B", "old");
        nc_env_set(env, "A", "x");
        CU_ASSERT_EQUAL(nc_env_file_parse(env, input, strlen(input), NULL), 0);
        assert_env_is(__LINE__, env, (const char *const[]){ "B=old", "A=new", "C=c", NULL });
        nc_env_free(env);
}

/* `before`, `n` bytes of `c`, then `after`, at `at`; returns the length. */
static size_t fill(char *at, const char *before, char c, size_t n, const char *after) {
        size_t len = strlen(before);

        memcpy(at, before, len);
        memset(at + len, c, n);
        strcpy(at + len + n, after);
        return len + n + strlen(after);
}

/* Assignments longer than ARG_MAX allows are dropped after replace-in-place,
 * so a huge A= after A=small removes A (checked against systemd 252). */
static void test_over_long_assignments(void) {
        /* An assignment one byte over ARG_MAX between `before` and `after`. */
        static const struct {
                const char *before, *after;
                const char *expected[3];
        } replaced[] = {
                /* A=small, then A= one byte over: A is gone, B stays. */
                { "A=small\nA=", "\nB=1\n", { "B=1" } },
                /* over-long A first, then B, then A=small: A keeps the first place. */
                { "A=", "\nB=1\nA=small\n", { "A=small", "B=1" } },
        };
        long arg_max = sysconf(_SC_ARG_MAX);
        size_t max, len;
        char *input;
        nc_env *env;

        if (arg_max <= 0 || arg_max > 16 * 1024 * 1024)
                return; /* a huge ARG_MAX (unlimited stack): nothing to test */
        max = (size_t) arg_max;
        input = malloc(2 * max + 64);
        CU_ASSERT_PTR_NOT_NULL_FATAL(input);

        /* "A=" + max-3 bytes is the longest that passes; "AB=" + the same
         * makes the whole assignment too long. */
        env = nc_env_new();
        len = fill(input, "AB=", 'x', max - 3, "\n");
        len += fill(input + len, "A=", 'y', max - 3, "");
        CU_ASSERT_EQUAL(nc_env_file_parse(env, input, len, NULL), 0);
        CU_ASSERT_EQUAL(nc_env_count(env), 1);
        CU_ASSERT_PTR_NULL(nc_env_get(env, "AB"));
        CU_ASSERT_PTR_NOT_NULL(nc_env_get(env, "A"));
        CU_ASSERT(nc_env_get(env, "A") && strlen(nc_env_get(env, "A")) == max - 3);
        nc_env_free(env);

        for (size_t i = 0; i < ELEMENTSOF(replaced); i++) {
                env = nc_env_new();
                len = fill(input, replaced[i].before, 'x', max - 2, replaced[i].after);
                CU_ASSERT_EQUAL(nc_env_file_parse(env, input, len, NULL), 0);
                assert_env_is(__LINE__, env, replaced[i].expected);
                nc_env_free(env);
        }
        free(input);
}

/* ---- nc_env_file_load ---------------------------------------------------- */

/* Writes `len` bytes of `input` (or `len` bytes of '#' when input is NULL) to
 * a new temporary file; the caller unlinks and frees the path. */
static char *write_temp(const char *input, size_t len) {
        char *path = unit_temp_template("env-file");
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

                if (!input)
                        memset(block, '#', n);
                k = write(fd, input ? input + done : block, n);
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
        static const char input[] = "# container\nHOST_ADDRESS=10.0.0.1\nEXTRA_NSPAWN_FLAGS=\"--a --b\"\n";
        char *path = write_temp(input, sizeof input - 1);
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
        static const char input[] = "A=1\nB=\xff\n";
        char *path = write_temp(input, sizeof input - 1);
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
                { "systemd's own vectors", test_systemd_vectors },
                { "the state machine, rule by rule", test_state_machine },
                { "a NULL env is refused", test_null_env },
                { "merges into an existing env", test_merges_into_existing },
                { "over-long assignments dropped after replace", test_over_long_assignments },
                { "load: reads a file", test_load_file },
                { "load: missing file, directory", test_load_missing_file },
                { "load: size limit", test_load_size_limit },
                { "load: error names the file", test_load_error_names_file },
        };

        suite_add("env-file", tests, ELEMENTSOF(tests));
}
