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

static void test_network_block_needs_private_network(void) {
        /* ${optionalString cfg.privateNetwork ''PRIVATE_NETWORK=1 ... HOST_ADDRESS=...''} */
        char *without = env_file_of("{\"c\": {" P ", \"hostAddress\": \"10.0.0.1\", \"hostBridge\": \"br0\"}}");
        char *with = env_file_of("{\"c\": {" P ", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\"}}");

        CU_ASSERT_PTR_NOT_NULL_FATAL(without);
        CU_ASSERT_PTR_NOT_NULL_FATAL(with);
        CU_ASSERT_FALSE(contains(without, "HOST_ADDRESS"));
        CU_ASSERT_FALSE(contains(without, "HOST_BRIDGE"));
        CU_ASSERT_TRUE(contains(with, "\nPRIVATE_NETWORK=1\n"));
        CU_ASSERT_TRUE(contains(with, "\nHOST_ADDRESS=10.0.0.1\n"));
        /* Blank lines stay where the empty optionalStrings were: the line
         * count depends only on which blocks are present. */
        CU_ASSERT_EQUAL(count_lines(without), 6);
        CU_ASSERT_EQUAL(count_lines(with), 14);
        free(without);
        free(with);
}

static void test_host_port(void) {
        char *text = env_file_of("{\"c\": {" P ", \"privateNetwork\": true, \"forwardPorts\": ["
                                 "{\"hostPort\": 8080, \"containerPort\": 80}, {\"protocol\": \"udp\", \"hostPort\": 53}]}}");
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        /* mkPortStr: containerPort null -> hostPort again. */
        CU_ASSERT_TRUE(contains(text, "\nHOST_PORT=tcp:8080:80,udp:53:53\n"));
        free(text);
}

static void test_extra_nspawn_flags(void) {
        char *text = env_file_of("{\"c\": {" P ", \"extraFlags\": [\"--x\", \"--y\"], \"bindMounts\": {"
                                 "\"/b\": {\"hostPath\": \"/srv/b\", \"isReadOnly\": false}, \"/a\": {}}}}");
        char *none = env_file_of("{\"c\": {" P "}}");
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(none);
        /* mkBindFlags (sorted, each with a leading space) + " " + extraFlags */
        CU_ASSERT_TRUE(contains(text, "\nEXTRA_NSPAWN_FLAGS=\" --bind-ro=/a --bind=/srv/b:/b --x --y\"\n"));
        CU_ASSERT_TRUE(contains(none, "\nEXTRA_NSPAWN_FLAGS=\"\"\n"));
        CU_ASSERT_TRUE(contains(none, "\nINTERFACES=\"\"\nMACVLANS=\"\"\n"));
        free(text);
        free(none);
}

static void test_auto_start_and_lists(void) {
        char *text = env_file_of("{\"c\": {" P ", \"autoStart\": true, \"interfaces\": [\"eth1\", \"eth2\"],"
                                 " \"macvlans\": [\"eth3\"]}}");
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT_TRUE(contains(text, "\nINTERFACES=\"eth1 eth2\"\nMACVLANS=\"eth3\"\nAUTO_START=1\n\nEXTRA"));
        CU_ASSERT_TRUE(strncmp(text, "SYSTEM_PATH=/nix/store/x-system\n\n", 33) == 0);
        free(text);
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
                { "the network block needs privateNetwork", test_network_block_needs_private_network },
                { "HOST_PORT from forwardPorts", test_host_port },
                { "EXTRA_NSPAWN_FLAGS from bindMounts and extraFlags", test_extra_nspawn_flags },
                { "AUTO_START, INTERFACES and MACVLANS", test_auto_start_and_lists },
                { "hosts fragment", test_hosts },
        };

        suite_add("renderers", tests, ELEMENTSOF(tests));
}
