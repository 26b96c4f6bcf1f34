/* The unit's properties (render-unit.c) per release, and
 * utils.escapeSystemdPath (systemd-escape.c) against systemd's own
 * `systemd-escape --path` on a generated corpus of names. (Every fixture's
 * whole unit is compared with the module's by the conformance suite.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <jansson.h>

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
        char file[] = "/tmp/nixcontainer-unit-escape.XXXXXX", command[128], *line = NULL;
        size_t size = 0;
        FILE *f, *out;
        int fd = mkstemp(file), r = 0;

        if (fd < 0)
                return -errno;
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

/* The unit of container `name` (NULL: the template) of `containers` at
 * `release` and stateVersion `state_version`, parsed. */
static json_t *unit_of(const char *release, const char *state_version, const char *containers, const char *name,
                       nc_mode mode) {
        nc_config *config = NULL;
        nc_error error = { { 0 } };
        char *text = NULL;
        size_t len = 0;
        json_t *unit = NULL;
        const nc_container *c;

        if (nc_config_load_json(containers, strlen(containers), mode, release, state_version, &config, &error) < 0) {
                fprintf(stderr, "\n  %s\n", error.message);
                return NULL;
        }
        c = name ? nc_config_find(config, name) : nc_config_template(config);
        if (c && nc_render_unit(c, name, &text, &len) == 0) {
                CU_ASSERT_EQUAL(len, strlen(text));
                unit = json_loadb(text, len, 0, NULL);
        }
        free(text);
        nc_config_free(config);
        return unit;
}

/* The compact JSON of the value at `path` ("serviceConfig.DeviceAllow"),
 * for assertions; "(absent)" when there is none. */
static char *at(const json_t *unit, const char *path) {
        _cleanup_free_ char *copy = strdup(path);
        const json_t *v = unit;
        char *dumped;

        for (char *k = strtok(copy, "."); v && k; k = strtok(NULL, "."))
                v = json_object_get(v, k);
        dumped = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        return dumped ? dumped : strdup("(absent)");
}

/* The 21.05 template as a whole, as `jq -S` prints it (the golden of
 * imperative-default, its store path a placeholder). */
static void test_template_text(void) {
        static const char expected[] =
                "{\n"
                "  \"after\": [],\n"
                "  \"description\": \"Container '%i'\",\n"
                "  \"environment\": {\n"
                "    \"INSTANCE\": \"%i\",\n"
                "    \"root\": \"/var/lib/containers/%i\"\n"
                "  },\n"
                "  \"path\": [\n"
                "    \"@pkgs.iproute2@\"\n"
                "  ],\n"
                "  \"restartIfChanged\": false,\n"
                "  \"restartTriggers\": [],\n"
                "  \"serviceConfig\": {\n"
                "    \"Delegate\": true,\n"
                "    \"DeviceAllow\": [],\n"
                "    \"DevicePolicy\": \"closed\",\n"
                "    \"EnvironmentFile\": \"-/etc/containers/%i.conf\",\n"
                "    \"KillMode\": \"mixed\",\n"
                "    \"KillSignal\": \"TERM\",\n"
                "    \"Restart\": \"on-failure\",\n"
                "    \"RestartForceExitStatus\": \"133\",\n"
                "    \"RuntimeDirectory\": [],\n"
                "    \"Slice\": \"machine.slice\",\n"
                "    \"SuccessExitStatus\": \"133\",\n"
                "    \"SyslogIdentifier\": \"container %i\",\n"
                "    \"TimeoutStartSec\": \"1min\",\n"
                "    \"Type\": \"notify\"\n"
                "  },\n"
                "  \"unitConfig\": {\n"
                "    \"RequiresMountsFor\": \"/var/lib/containers/%i\"\n"
                "  },\n"
                "  \"wantedBy\": [],\n"
                "  \"wants\": []\n"
                "}\n";
        char *text = NULL;
        size_t len = 0;

        /* NULL: the template of the default release. */
        CU_ASSERT_EQUAL_FATAL(nc_render_unit(NULL, NULL, &text, &len), 0);
        CU_ASSERT_STRING_EQUAL(text, expected);
        CU_ASSERT_EQUAL(len, strlen(expected));
        free(text);
}

/* One property of one unit: containers.NAME (NULL: the container@
 * template) of `containers` at `release` and host stateVersion
 * `state_version`, and the compact JSON of its value at `path`. */
typedef struct unit_case {
        const char *release;
        const char *state_version;
        const char *containers;
        const char *name;
        const char *path;
        const char *expected;
} unit_case;

static void check_cases(const unit_case *cases, size_t n) {
        for (size_t i = 0; i < n; i++) {
                const unit_case *c = &cases[i];
                json_t *unit = unit_of(c->release, c->state_version, c->containers, c->name, NC_MODE_STRICT);
                _cleanup_free_ char *value = at(unit, c->path);

                CU_ASSERT_PTR_NOT_NULL(unit);
                if (strcmp(value, c->expected) != 0)
                        fprintf(stderr, "\n  %s, %s of %s: %s, expected %s\n", c->release, c->path,
                                c->name ? c->name : "the template", value, c->expected);
                CU_ASSERT_STRING_EQUAL(value, c->expected);
                json_decref(unit);
        }
}

#define ONE "{\"c\": {" P "}}"
#define WEB "{\"web\": {" P ", \"autoStart\": true, \"interfaces\": [\"eth-lan\", \"lan.10\"]}}"
#define OFF "{\"w\": {" P ", \"autoStart\": true, \"restartIfChanged\": false}}"
#define NO_AUTO "{\"w\": {" P ", \"restartIfChanged\": true}}"
/* Two ephemeral bind mounts (attrValues: "/a" first), one mount point other than its name. */
#define MOUNTS                                                                                        \
        "{\"e\": {" P ", \"ephemeral\": true,"                                                        \
        " \"bindMounts\": {\"/z\": {}, \"/a\": {\"hostPath\": \"/h\"}}},"                              \
        " \"p\": {" P ", \"bindMounts\": {\"/m\": {\"mountPoint\": \"/n\"}}}}"
/* enableTun beside allowedDevices; privateUsers "pick" with privateNetwork. */
#define DEVICES                                                                                       \
        "{\"t\": {" P ", \"enableTun\": true,"                                                         \
        " \"allowedDevices\": [{\"node\": \"/dev/fuse\", \"modifier\": \"rw\"}]},"                   \
        " \"u\": {" P ", \"privateNetwork\": true, \"privateUsers\": \"pick\"}}"

/* One property of one unit per row. */
static const unit_case unit_cases[] = {
        /* ---- the container@ template */
        { "22.11", "21.05", ONE, NULL, "enableStrictShellChecks", "(absent)" },
        { "22.11", "21.05", ONE, NULL, "unitConfig.RequiresMountsFor", "\"/var/lib/containers/%i\"" },
        /* configurationPrefix from stateVersion 22.05 */
        { "22.11", "22.05", ONE, NULL, "unitConfig.RequiresMountsFor", "\"/var/lib/nixos-containers/%i\"" },
        { "22.11", "22.05", ONE, NULL, "environment.root", "\"/var/lib/nixos-containers/%i\"" },
        { "22.11", "22.05", ONE, NULL, "serviceConfig.EnvironmentFile", "\"-/etc/nixos-containers/%i.conf\"" },
        /* 25.11: path = [ pkgs.iproute2 config.nix.package ]; enableStrictShellChecks = true; */
        { "26.05", "26.05", ONE, NULL, "path", "[\"" NC_UNIT_IPROUTE2 "\",\"" NC_UNIT_NIX_PACKAGE "\"]" },
        { "26.05", "26.05", ONE, NULL, "enableStrictShellChecks", "true" },
        { "26.05", "26.05", ONE, NULL, "restartIfChanged", "false" },
        /* ---- autoStart */
        { "21.05", "21.05", WEB, "web", "wantedBy", "[\"machines.target\"]" },
        { "21.05", "21.05", WEB, "web", "wants", "[\"network.target\"]" },
        { "21.05", "21.05", WEB, "web", "after", "[\"network.target\"]" },
        { "21.05", "21.05", WEB, "web", "restartIfChanged", "true" },
        { "21.05", "21.05", WEB, "web", "restartTriggers",
          "[\"/nix/store/x-system\",\"@etc/containers/web.conf@\"]" },
        /* 25.11: "sys-subsystem-net-devices-${i}.device" */
        { "25.11", "21.05", WEB, "web", "wants",
          "[\"network.target\",\"sys-subsystem-net-devices-eth-lan.device\","
          "\"sys-subsystem-net-devices-lan.10.device\"]" },
        /* 26.05: "sys-subsystem-net-devices-${utils.escapeSystemdPath i}.device" */
        { "26.05", "26.05", WEB, "web", "after",
          "[\"network.target\",\"sys-subsystem-net-devices-eth\\\\x2dlan.device\","
          "\"sys-subsystem-net-devices-lan.10.device\"]" },
        { "26.05", "26.05", WEB, "web", "restartTriggers",
          "[\"/nix/store/x-system\",\"@etc/nixos-containers/web.conf@\"]" },
        /* ---- restartIfChanged = containerConfig.restartIfChanged; only with autoStart */
        { "25.11", "21.05", OFF, "w", "restartIfChanged", "false" },
        { "25.11", "21.05", OFF, "w", "wantedBy", "[\"machines.target\"]" },
        { "25.11", "21.05", NO_AUTO, "w", "restartIfChanged", "false" },
        { "25.11", "21.05", NO_AUTO, "w", "restartTriggers", "[]" },
        /* ---- ephemeral, RequiresMountsFor and bind mounts */
        { "21.05", "21.05", MOUNTS, "e", "environment.root", "\"/run/containers/%i\"" },
        { "21.05", "21.05", MOUNTS, "e", "serviceConfig.RuntimeDirectory", "[\"containers/%i\"]" },
        { "21.05", "21.05", MOUNTS, "e", "unitConfig.RequiresMountsFor", "[]" },
        /* "/run/nixos-containers/%i" whatever the stateVersion; bind mounts by attribute name */
        { "25.11", "21.05", MOUNTS, "e", "environment.root", "\"/run/nixos-containers/%i\"" },
        { "25.11", "21.05", MOUNTS, "e", "serviceConfig.RuntimeDirectory", "[\"containers/%i\"]" },
        { "25.11", "21.05", MOUNTS, "e", "unitConfig.RequiresMountsFor", "[\"/h\",\"/z\"]" },
        { "25.11", "25.11", MOUNTS, "p", "unitConfig.RequiresMountsFor",
          "[\"/var/lib/nixos-containers/%i\",\"/n\"]" },
        /* ---- DeviceAllow of containerConfig (enableTun, privateUsers) */
        { "21.05", "21.05", "{\"t\": {" P ", \"enableTun\": true}}", "t", "serviceConfig.DeviceAllow",
          "[\"/dev/net/tun rw\"]" },
        { "25.11", "21.05", DEVICES, "t", "serviceConfig.DeviceAllow",
          "[\"/dev/fuse rw\",\"/dev/net/tun rwm\"]" },
        /* privateUsers "pick" with privateNetwork: /dev/net/tun without enableTun */
        { "25.11", "21.05", DEVICES, "u", "serviceConfig.DeviceAllow", "[\"/dev/net/tun rwm\"]" },
};

static void test_properties(void) {
        check_cases(unit_cases, ELEMENTSOF(unit_cases));
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
                { "the container@ template as jq -S prints it", test_template_text },
                { "each property per release and stateVersion", test_properties },
                { "JSON escaping", test_json_escaping },
        };

        suite_add("unit properties", tests, ELEMENTSOF(tests));
}
