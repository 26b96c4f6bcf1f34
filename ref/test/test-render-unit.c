/* The unit (render-unit.c): every fixture's whole unit, at every golden
 * set, is compared with the module's (golden/SET/FIXTURE/NAME.service.json)
 * by the conformance suite, as JSON values. Here only what that comparison
 * cannot see: the text's shape and nc_render_unit(NULL) (against a
 * golden's bytes), and JSON escaping (a round trip). And
 * utils.escapeSystemdPath (systemd-escape.c) against systemd's own
 * `systemd-escape --path` on a generated corpus of names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <jansson.h>

#include "read-file.h"
#include "strbuf.h"
#include "systemd-escape.h"
#include "unit-helpers.h"
#include "unit-tests.h"

#define P "\"path\": \"/nix/store/x-system\""

/* ---- utils.escapeSystemdPath ------------------------------------------ */

static char *escaped(const char *path) {
        char *out = NULL;
        return nc_escape_systemd_path(path, &out) < 0 ? NULL : out;
}

static void assert_escapes(const char *path, const char *expected) {
        _cleanup_free_ char *out = escaped(path);

        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        if (strcmp(out, expected) != 0)
                fprintf(stderr, "\n  escapeSystemdPath \"%s\": \"%s\", expected \"%s\"\n", path, out, expected);
        CU_ASSERT_STRING_EQUAL(out, expected);
}

static void test_escape_nixos_rules(void) {
        assert_escapes("eth0", "eth0");
        assert_escapes("eth-lan", "eth\\x2dlan");
        assert_escapes("lan.10", "lan.10");
        /* replacePrefix "." (escapeC [ "." ] ".") */
        assert_escapes(".dot", "\\x2edot");
        assert_escapes("a:b_c", "a:b_c");
        assert_escapes("/var/lib//", "var-lib");
        assert_escapes("//", "-");
        assert_escapes("/", "-");
        /* Where NixOS and systemd-escape --path part: NixOS's list has no
         * "?", leaves other bytes, keeps "." components and "". */
        assert_escapes("a?b", "a?b");
        assert_escapes("\xc3\xa9\x01", "\xc3\xa9\x01");
        assert_escapes("a/./b", "a-.-b");
        assert_escapes("", "");
}

/* Names systemd-escape --path takes and escapes as NixOS does: printable
 * ASCII but "?", paths of components that are not "." or "..", with or
 * without slashes around them. A xorshift generator, its seed printed so
 * that a failure can be replayed (NC_TEST_SEED=N). */
static const char alphabet[] = "abcXYZ019 !\"#$%&'()*+,-.:;<=>@[\\]^_`{|}~";

static unsigned next_random(unsigned *state) {
        *state ^= *state << 13;
        *state ^= *state >> 17;
        *state ^= *state << 5;
        return *state;
}

static int push_generated(nc_strv *corpus, unsigned *state) {
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        unsigned components = 1 + next_random(state) % 3;
        int r = 0;

        if (next_random(state) % 4 == 0)
                r = nc_strbuf_append(&b, next_random(state) % 2 ? "/" : "//");
        for (unsigned c = 0; c < components && r >= 0; c++) {
                size_t start, n = 1 + next_random(state) % 8;

                if (c > 0)
                        r = nc_strbuf_append(&b, next_random(state) % 3 ? "/" : "//");
                start = b.len;
                for (size_t i = 0; i < n && r >= 0; i++)
                        r = nc_strbuf_append_char(&b, alphabet[next_random(state) % (sizeof alphabet - 1)]);
                /* "." and ".." are not normalised paths to systemd. */
                if (r >= 0 && (strcmp(b.data + start, ".") == 0 || strcmp(b.data + start, "..") == 0))
                        r = nc_strbuf_append_char(&b, 'x');
        }
        if (r >= 0 && next_random(state) % 4 == 0)
                r = nc_strbuf_append(&b, "/");
        return r < 0 ? r : nc_strv_push(corpus, b.data);
}

/* systemd-escape --path -- NAME... for the whole corpus (xargs -0 reads
 * it from a file): the escaped names, split at spaces and new lines (an
 * escaped name holds neither). */
static int systemd_escape(const nc_strv *corpus, nc_strv *ret) {
        _cleanup_free_ char *file = unit_temp_template("escape");
        char command[512], *line = NULL;
        size_t size = 0;
        FILE *f, *out;
        int fd = file ? mkstemp(file) : -1, r = 0;

        if (fd < 0)
                return file ? -errno : -ENOMEM;
        f = fdopen(fd, "w");
        for (size_t i = 0; f && i < corpus->n; i++)
                fwrite(corpus->items[i], 1, strlen(corpus->items[i]) + 1, f);
        if (!f || fclose(f) != 0) {
                unlink(file);
                return -EIO;
        }
        snprintf(command, sizeof command, "xargs -0 -a %s systemd-escape --path -- 2>/dev/null", file);
        out = popen(command, "r");
        while (out && r >= 0 && getline(&line, &size, out) > 0)
                for (char *word = strtok(line, " \n"); word && r >= 0; word = strtok(NULL, " \n"))
                        r = nc_strv_push(ret, word);
        if (!out || pclose(out) != 0)
                r = -ECHILD;
        free(line);
        unlink(file);
        return r;
}

static void test_escape_against_systemd_escape(void) {
        static const char *const fixed[] = {
                "eth0", "eth-lan", "lan.10", "en@x", "a b", "wl+1", "x_y", "br~0", "a%b", ".dot", "ve-web",
                "a=b", "a:b", "A,b", "q\"x", "it's", "a\\b", "$x", "(p)", "[s]", "{c}", "a|b", "^h", "`t`",
                "#h", "&a", "*s", "<l>", "!e", "/dev/sda", "/var/lib//", "/", "-", "--", ".-", "a/.b",
        };
        const char *seed_text = getenv("NC_TEST_SEED");
        unsigned seed = seed_text ? (unsigned) strtoul(seed_text, NULL, 10)
                                  : (unsigned) time(NULL) ^ (unsigned) getpid();
        unsigned state = seed ? seed : 1;
        _cleanup_(nc_strv_clear) nc_strv corpus = { 0 }, theirs = { 0 };
        size_t differ = 0;

        printf("\n  escape corpus: seed %u (NC_TEST_SEED=%u replays it)\n", seed, seed);
        for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
                CU_ASSERT_EQUAL_FATAL(nc_strv_push(&corpus, fixed[i]), 0);
        for (char c = ' '; c < 0x7f; c++) {
                char one[2] = { c, '\0' };
                /* "?" is not on NixOS's list; "." is not a normalised path. */
                if (c != '?' && c != '.')
                        CU_ASSERT_EQUAL_FATAL(nc_strv_push(&corpus, one), 0);
        }
        for (int i = 0; i < 400; i++)
                CU_ASSERT_EQUAL_FATAL(push_generated(&corpus, &state), 0);
        if (access("/usr/bin/systemd-escape", X_OK) != 0 && access("/bin/systemd-escape", X_OK) != 0)
                CU_FAIL_FATAL("systemd-escape (package systemd) is needed as the oracle");
        CU_ASSERT_EQUAL_FATAL(systemd_escape(&corpus, &theirs), 0);
        CU_ASSERT_EQUAL_FATAL(theirs.n, corpus.n);
        for (size_t i = 0; i < corpus.n; i++) {
                _cleanup_free_ char *ours = escaped(corpus.items[i]);
                if (!ours || strcmp(ours, theirs.items[i]) != 0) {
                        fprintf(stderr, "\n  \"%s\": escapeSystemdPath gives \"%s\", systemd-escape --path \"%s\"",
                                corpus.items[i], ours ? ours : "(failed)", theirs.items[i]);
                        differ++;
                }
        }
        CU_ASSERT_EQUAL(differ, 0);
}

/* ---- the unit's properties -------------------------------------------- */

/* The golden the template of the default release is: what `make golden`
 * wrote, with `jq -S`, for the fixture imperative-default. Read from the
 * source tree (make unit runs there). */
#define TEMPLATE_GOLDEN "golden/" NC_RELEASE_DEFAULT "/imperative-default/foo.service.json"

/* `golden` with its one store path of iproute2 (path[0]) replaced by the
 * library's placeholder; NULL when it has none. */
static char *with_placeholder(const char *golden, size_t len) {
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        json_t *unit = json_loadb(golden, len, 0, NULL);
        const char *store_path = json_string_value(json_array_get(json_object_get(unit, "path"), 0));
        const char *at = store_path ? strstr(golden, store_path) : NULL;
        char *out = NULL;

        if (at && nc_strbuf_append_len(&b, golden, (size_t) (at - golden)) >= 0 &&
            nc_strbuf_append(&b, NC_UNIT_IPROUTE2) >= 0 && nc_strbuf_append(&b, at + strlen(store_path)) >= 0)
                nc_strbuf_steal(&b, &out, NULL);
        json_decref(unit);
        return out;
}

/* nc_render_unit(NULL): the template of the default release, byte for
 * byte the golden. The conformance suite compares every unit with its
 * golden as JSON values; the text's shape (keys sorted, two spaces a
 * level, a final newline) and the NULL case are checked here. */
static void test_template_is_golden(void) {
        _cleanup_free_ char *golden = NULL, *expected = NULL, *text = NULL;
        size_t golden_len = 0, len = 0;

        if (nc_read_file(TEMPLATE_GOLDEN, 1 << 20, &golden, &golden_len) < 0)
                CU_FAIL_FATAL("no " TEMPLATE_GOLDEN " (make unit runs from the source tree)");
        expected = with_placeholder(golden, golden_len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(expected);
        CU_ASSERT_EQUAL_FATAL(nc_render_unit(NULL, NULL, &text, &len), 0);
        if (strcmp(text, expected) != 0)
                fprintf(stderr, "\n  the template:\n%s\n  differs from " TEMPLATE_GOLDEN ":\n%s", text, expected);
        CU_ASSERT_STRING_EQUAL(text, expected);
        CU_ASSERT_EQUAL(len, strlen(expected));
}

/* Values go into JSON strings escaped as jq escapes them: what compat
 * mode lets through (a line break, quotes, control characters) parses
 * back to the same bytes. */
static void test_json_escaping(void) {
        static const char containers[] =
                "{\"c\": {" P ", \"timeoutStartSec\": \"1min\\n\\\"x\\\"\\\\ \\u0001\\u007f\\t\u00e9\"}}";
        nc_config *config = NULL;
        char *text = NULL;
        size_t len;
        json_t *unit;

        CU_ASSERT_EQUAL_FATAL(nc_config_load_json(containers, strlen(containers), NC_MODE_COMPAT, NULL, NULL, &config,
                                                  NULL), 0);
        CU_ASSERT_EQUAL_FATAL(nc_render_unit(nc_config_find(config, "c"), NULL, &text, &len), 0);
        CU_ASSERT_TRUE(contains(text, "\"TimeoutStartSec\": \"1min\\n\\\"x\\\"\\\\ \\u0001\\u007f\\t\u00e9\",\n"));
        unit = json_loadb(text, len, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(unit);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(unit, "serviceConfig"),
                                                                 "TimeoutStartSec")),
                               "1min\n\"x\"\\ \x01\x7f\t\u00e9");
        json_decref(unit);
        free(text);
        nc_config_free(config);
}

void nc_test_register_render_unit(void) {
        static const suite_test tests[] = {
                { "escapeSystemdPath: NixOS's rules", test_escape_nixos_rules },
                { "escapeSystemdPath: as systemd-escape --path on a generated corpus",
                  test_escape_against_systemd_escape },
                { "the default template is its golden, byte for byte", test_template_is_golden },
                { "JSON escaping", test_json_escaping },
        };

        suite_add("unit properties", tests, ELEMENTSOF(tests));
}
