/* The argv builder: each branch of the start script. (The full argv is
 * compared with the module's own output by the conformance suite.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "unit-helpers.h"
#include "unit-tests.h"

#define P "\"path\": \"/nix/store/x-system\""

/* Builds the argv for container c of `json` (NULL: none, the imperative
 * template) with the unit environment: the env file the library renders,
 * plus `extra` assignments in the process environment. */
static char *argv_of(const char *json, nc_mode mode, const char *const *extra, const char *guest, int *ret_r) {
        nc_config *config = json ? load_json(json, mode, NULL) : NULL;
        const nc_container *c = config ? &config->containers[0] : NULL;
        nc_env *base = env_of(extra), *env = NULL;
        nc_argv_request request = { .init_path = "/init", .guest_system = guest, .mode = mode };
        nc_strv argv = { 0 };
        char *conf = NULL, *joined = NULL;
        size_t conf_len = 0;
        int r = 0;

        if (c)
                r = nc_render_env_file(c, &conf, &conf_len);
        if (r >= 0)
                r = nc_unit_environment(c, c ? c->name : "imp", base, conf, conf_len, &env, NULL);
        if (r >= 0)
                r = nc_build_argv(c, env, &request, &argv, NULL);
        if (r >= 0)
                joined = join_argv(&argv);
        *ret_r = r;
        nc_strv_clear(&argv);
        nc_env_free(env);
        nc_env_free(base);
        free(conf);
        nc_config_free(config);
        return joined;
}

static const char *const NONE[] = { NULL };

static void test_minimal(void) {
        int r;
        char *argv = argv_of("{\"c\": {" P "}}", NC_MODE_STRICT, NONE, NULL, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(argv);
        CU_ASSERT_TRUE(strncmp(argv, "systemd-nspawn|--keep-unit|-M|c|-D|/var/lib/containers/c|--notify-ready=yes|", 76) == 0);
        CU_ASSERT_TRUE(contains(argv, "|--bind=/nix/var/nix/profiles/per-container/c:/nix/var/nix/profiles|"));
        CU_ASSERT_TRUE(contains(argv, "|--link-journal=try-guest|--setenv|PRIVATE_NETWORK=|--setenv|HOST_BRIDGE=|"));
        CU_ASSERT_TRUE(contains(argv, "|--setenv|PATH=|/init|/nix/store/x-system/init"));
        CU_ASSERT_FALSE(contains(argv, "--ephemeral"));
        free(argv);
}

static void test_network_flags(void) {
        int r;
        char *argv = argv_of("{\"c\": {" P ", \"privateNetwork\": true, \"localAddress6\": \"fc00::2\", \"hostBridge\": \"br0\","
                             " \"forwardPorts\": [{\"hostPort\": 80}, {\"protocol\": \"udp\", \"hostPort\": 53, \"containerPort\": 5353}],"
                             " \"extraVeths\": {\"v2\": {}, \"v1\": {}}, \"interfaces\": [\"eth1\"], \"macvlans\": [\"eth2\", \"eth3\"]}}",
                             NC_MODE_STRICT, NONE, NULL, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_TRUE(contains(argv, "|-D|/var/lib/containers/c|--private-network|--network-veth|--port=tcp:80:80|"
                                      "--port=udp:53:5353|--network-bridge=br0|--network-veth-extra=v1|"
                                      "--network-veth-extra=v2|--network-interface=eth1|--network-macvlan=eth2|"
                                      "--network-macvlan=eth3|--notify-ready=yes|"));
        free(argv);
}

static void test_bridge_alone_has_no_network_veth(void) {
        int r;
        char *argv = argv_of("{\"c\": {" P ", \"privateNetwork\": true, \"hostBridge\": \"br0\"}}", NC_MODE_STRICT, NONE, NULL, &r);
        CU_ASSERT_TRUE(contains(argv, "|--private-network|--network-bridge=br0|"));
        CU_ASSERT_FALSE(contains(argv, "--network-veth"));
        free(argv);
}

static void test_ephemeral_caps_tmpfs(void) {
        int r;
        char *argv = argv_of("{\"c\": {" P ", \"ephemeral\": true, \"enableTun\": true, \"additionalCapabilities\": [\"CAP_SYS_TIME\"],"
                             " \"tmpfs\": [\"/var\", \"/tmp:mode=1777\"]}}", NC_MODE_STRICT, NONE, NULL, &r);
        CU_ASSERT_TRUE(contains(argv, "|-D|/run/containers/c|"));
        CU_ASSERT_FALSE(contains(argv, "--link-journal"));
        CU_ASSERT_TRUE(contains(argv, "|PATH=|--ephemeral|--capability=CAP_SYS_TIME,CAP_NET_ADMIN|--tmpfs=/var|"
                                      "--tmpfs=/tmp:mode=1777|/init|"));
        free(argv);
}

static void test_extra_nspawn_flags_are_split(void) {
        int r;
        char *argv = argv_of("{\"c\": {" P ", \"extraFlags\": [\"--a\", \"--b=1\"], \"bindMounts\": {\"/d\": {}}}}",
                             NC_MODE_STRICT, NONE, NULL, &r);
        CU_ASSERT_TRUE(contains(argv, "|/var/lib/containers/c|--bind-ro=/d|--a|--b=1|--notify-ready=yes|"));
        free(argv);
}

static void test_personality(void) {
        int r;
        char *i686 = argv_of("{\"c\": {" P "}}", NC_MODE_STRICT, NONE, "i686-linux", &r);
        char *x86_64 = argv_of("{\"c\": {" P "}}", NC_MODE_STRICT, NONE, "x86_64-linux", &r);
        CU_ASSERT_TRUE(contains(i686, "|/var/lib/containers/c|--personality=x86|--notify-ready=yes|"));
        CU_ASSERT_FALSE(contains(x86_64, "--personality"));
        free(i686);
        free(x86_64);
}

static void test_imperative_template(void) {
        /* No config entry: everything comes from the environment. */
        static const char *const env[] = { "PRIVATE_NETWORK=1", "HOST_ADDRESS=10.233.1.1", "LOCAL_ADDRESS=10.233.1.2",
                                           "HOST_PORT=tcp:80:80,,udp:1:1", "SYSTEM_PATH=", "PATH=/bin", NULL };
        int r;
        char *argv = argv_of(NULL, NC_MODE_STRICT, env, NULL, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_TRUE(contains(argv, "|-M|imp|-D|/var/lib/containers/imp|--private-network|--network-veth|"
                                      "--port=tcp:80:80|--port=|--port=udp:1:1|--notify-ready=yes|"));
        CU_ASSERT_TRUE(contains(argv, "|--setenv|HOST_ADDRESS=10.233.1.1|"));
        CU_ASSERT_TRUE(contains(argv, "|--setenv|PATH=/bin|/init|/nix/var/nix/profiles/system/init"));
        free(argv);
}

static void test_extra_flags_variable_from_environment(void) {
        /* `extraFlags` is never initialised by the script. */
        static const char *const env[] = { "extraFlags=--bind=/:/host", NULL };
        int r;
        char *argv = argv_of("{\"c\": {" P "}}", NC_MODE_STRICT, env, NULL, &r);
        CU_ASSERT_TRUE(contains(argv, "|/var/lib/containers/c|--bind=/:/host|--notify-ready=yes|"));
        free(argv);
}

static void test_compat_reproduces_quirks(void) {
        int r;
        char *argv = argv_of("{\"c\": {" P ", \"tmpfs\": [\"/var --bind=/:/host\"]}}", NC_MODE_COMPAT, NONE, NULL, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_TRUE(contains(argv, "|--tmpfs=/var|--bind=/:/host|/init|"));
        free(argv);
        /* A newline in pasted text ends the exec line there. */
        argv = argv_of("{\"c\": {" P ", \"tmpfs\": [\"/a\\n/b\"]}}", NC_MODE_COMPAT, NONE, NULL, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_TRUE(contains(argv, "|--setenv|PATH=|--tmpfs=/a"));
        CU_ASSERT_FALSE(contains(argv, "/init"));
        free(argv);
        /* Capabilities sit in double quotes: $VARs expand, spaces stay. */
        argv = argv_of("{\"c\": {" P ", \"privateNetwork\": true, \"hostBridge\": \"br0\","
                       " \"additionalCapabilities\": [\"CAP_$HOST_BRIDGE x\"]}}", NC_MODE_COMPAT, NONE, NULL, &r);
        CU_ASSERT_TRUE(contains(argv, "|--capability=CAP_br0 x|"));
        free(argv);
        /* A quote that the script cannot close is refused, not guessed. */
        argv = argv_of("{\"c\": {" P ", \"tmpfs\": [\"/a'b\"]}}", NC_MODE_COMPAT, NONE, NULL, &r);
        CU_ASSERT_EQUAL(r, -ENOTSUP);
        free(argv);
}

void nc_test_register_argv(void) {
        static const suite_test tests[] = {
                { "a minimal container", test_minimal },
                { "network flags in the script's order", test_network_flags },
                { "hostBridge alone gives no --network-veth", test_bridge_alone_has_no_network_veth },
                { "ephemeral, capabilities and tmpfs", test_ephemeral_caps_tmpfs },
                { "EXTRA_NSPAWN_FLAGS is word-split", test_extra_nspawn_flags_are_split },
                { "--personality=x86 for an i686 guest", test_personality },
                { "the imperative template", test_imperative_template },
                { "extraFlags from the environment", test_extra_flags_variable_from_environment },
                { "compat reproduces the script's quirks", test_compat_reproduces_quirks },
        };

        suite_add("argv builder", tests, ELEMENTSOF(tests));
}
