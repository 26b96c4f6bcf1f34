/* The env-file and hosts renderers: the rules of the module's templates.
 * (Whole files are compared with the module's own output by the
 * conformance suite.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "unit-helpers.h"
#include "unit-tests.h"

#define P "\"path\": \"/nix/store/x-system\""

static char *env_file_of(const char *json) {
        nc_config *config = load_json(json, NC_MODE_STRICT, NULL);
        char *text = NULL;
        size_t len;

        if (config && nc_render_env_file(&config->containers[0], &text, &len) < 0)
                text = NULL;
        nc_config_free(config);
        return text;
}

static size_t count_lines(const char *text) {
        size_t n = 0;
        for (; *text; text++)
                n += *text == '\n';
        return n;
}

/* A rule of the env-file template: the file rendered for `json`. */
typedef struct render_case {
        const char *what;
        const char *json;
        size_t lines;           /* it has this many lines (0: not counted) */
        text_expect expect;
} render_case;

static const render_case cases[] = {
        /* ${optionalString cfg.privateNetwork ''PRIVATE_NETWORK=1 ... HOST_ADDRESS=...''}
         * Blank lines stay where the empty optionalStrings were: the line
         * count depends only on which blocks are present. */
        { .what = "without privateNetwork, no network block",
          .json = "{\"c\": {" P ", \"hostAddress\": \"10.0.0.1\", \"hostBridge\": \"br0\"}}",
          .lines = 6,
          .expect = { .absent = { "HOST_ADDRESS", "HOST_BRIDGE" } } },
        { .what = "with privateNetwork, the network block",
          .json = "{\"c\": {" P ", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\"}}",
          .lines = 14,
          .expect = { .present = { "\nPRIVATE_NETWORK=1\n", "\nHOST_ADDRESS=10.0.0.1\n" } } },
        /* mkPortStr: containerPort null -> hostPort again. */
        { .what = "HOST_PORT from forwardPorts",
          .json = "{\"c\": {" P ", \"privateNetwork\": true, \"forwardPorts\": ["
                  "{\"hostPort\": 8080, \"containerPort\": 80}, {\"protocol\": \"udp\", \"hostPort\": 53}]}}",
          .expect = { .present = { "\nHOST_PORT=tcp:8080:80,udp:53:53\n" } } },
        /* mkBindFlags (sorted, each with a leading space) + " " + extraFlags */
        { .what = "EXTRA_NSPAWN_FLAGS from bindMounts and extraFlags",
          .json = "{\"c\": {" P ", \"extraFlags\": [\"--x\", \"--y\"], \"bindMounts\": {"
                  "\"/b\": {\"hostPath\": \"/srv/b\", \"isReadOnly\": false}, \"/a\": {}}}}",
          .expect = { .present = { "\nEXTRA_NSPAWN_FLAGS=\" --bind-ro=/a --bind=/srv/b:/b --x --y\"\n" } } },
        { .what = "EXTRA_NSPAWN_FLAGS, INTERFACES and MACVLANS empty",
          .json = "{\"c\": {" P "}}",
          .expect = { .present = { "\nEXTRA_NSPAWN_FLAGS=\"\"\n", "\nINTERFACES=\"\"\nMACVLANS=\"\"\n" } } },
        { .what = "AUTO_START, INTERFACES and MACVLANS",
          .json = "{\"c\": {" P ", \"autoStart\": true, \"interfaces\": [\"eth1\", \"eth2\"], \"macvlans\": [\"eth3\"]}}",
          .expect = { .starts = "SYSTEM_PATH=/nix/store/x-system\n\n",
                      .present = { "\nINTERFACES=\"eth1 eth2\"\nMACVLANS=\"eth3\"\nAUTO_START=1\n\nEXTRA" } } },
};

static void test_env_file_rules(void) {
        for (const render_case *c = cases; c < cases + ELEMENTSOF(cases); c++) {
                char *text = env_file_of(c->json), lines[32];

                assert_case(text != NULL, c->what, "cannot render", c->json);
                if (!text)
                        continue;
                snprintf(lines, sizeof lines, "%zu", count_lines(text));
                assert_case(c->lines == 0 || count_lines(text) == c->lines, c->what, "has lines:", lines);
                assert_text(c->what, text, &c->expect);
                free(text);
        }
}

static void test_hosts(void) {
        nc_config *config = load_json("{\"b\": {" P ", \"localAddress\": \"10.0.0.2/24\"}, \"a\": {" P ","
                                      " \"localAddress\": \"fc00::1\"}, \"c\": {" P ", \"localAddress6\": \"fc00::2\"}}",
                                      NC_MODE_STRICT, NULL);
        char *text = NULL;
        size_t len = 0;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        CU_ASSERT_EQUAL(nc_render_hosts(config, &text, &len), 0);
        /* head (splitString "/" localAddress); localAddress6 never counts. */
        CU_ASSERT_STRING_EQUAL(text, "fc00::1 a.containers\n10.0.0.2 b.containers\n");
        CU_ASSERT_EQUAL(len, strlen(text));
        free(text);
        nc_config_free(config);
}

void nc_test_register_render(void) {
        static const suite_test tests[] = {
                { "the env-file template's rules", test_env_file_rules },
                { "hosts fragment", test_hosts },
        };

        suite_add("renderers", tests, ELEMENTSOF(tests));
}
