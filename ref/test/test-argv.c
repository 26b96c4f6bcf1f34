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

/* A branch of the start script: the argv built for `json` in `mode`. */
typedef struct argv_case {
        const char *what;
        const char *json;        /* NULL: no config entry, the imperative template */
        nc_mode mode;
        const char *env[8];      /* assignments in the process environment */
        const char *guest;       /* the guest's system, for --personality */
        int r;                   /* what building returns */
        text_expect expect;      /* of the argv, joined by '|' */
} argv_case;

static const argv_case cases[] = {
        { .what = "a minimal container",
          .json = "{\"c\": {" P "}}",
          .expect = { .starts = "systemd-nspawn|--keep-unit|-M|c|-D|/var/lib/containers/c|--notify-ready=yes|",
                      .present = { "|--bind=/nix/var/nix/profiles/per-container/c:/nix/var/nix/profiles|",
                                   "|--link-journal=try-guest|--setenv|PRIVATE_NETWORK=|--setenv|HOST_BRIDGE=|",
                                   "|--setenv|PATH=|/init|/nix/store/x-system/init" },
                      .absent = { "--ephemeral" } } },
        { .what = "network flags in the script's order",
          .json = "{\"c\": {" P ", \"privateNetwork\": true, \"localAddress6\": \"fc00::2\", \"hostBridge\": \"br0\","
                  " \"forwardPorts\": [{\"hostPort\": 80}, {\"protocol\": \"udp\", \"hostPort\": 53, \"containerPort\": 5353}],"
                  " \"extraVeths\": {\"v2\": {}, \"v1\": {}}, \"interfaces\": [\"eth1\"], \"macvlans\": [\"eth2\", \"eth3\"]}}",
          .expect = { .present = { "|-D|/var/lib/containers/c|--private-network|--network-veth|--port=tcp:80:80|"
                                   "--port=udp:53:5353|--network-bridge=br0|--network-veth-extra=v1|"
                                   "--network-veth-extra=v2|--network-interface=eth1|--network-macvlan=eth2|"
                                   "--network-macvlan=eth3|--notify-ready=yes|" } } },
        { .what = "hostBridge alone gives no --network-veth",
          .json = "{\"c\": {" P ", \"privateNetwork\": true, \"hostBridge\": \"br0\"}}",
          .expect = { .present = { "|--private-network|--network-bridge=br0|" },
                      .absent = { "--network-veth" } } },
        { .what = "ephemeral, capabilities and tmpfs",
          .json = "{\"c\": {" P ", \"ephemeral\": true, \"enableTun\": true, \"additionalCapabilities\": [\"CAP_SYS_TIME\"],"
                  " \"tmpfs\": [\"/var\", \"/tmp:mode=1777\"]}}",
          .expect = { .present = { "|-D|/run/containers/c|",
                                   "|PATH=|--ephemeral|--capability=CAP_SYS_TIME,CAP_NET_ADMIN|--tmpfs=/var|--tmpfs=/tmp:mode=1777|/init|" },
                      .absent = { "--link-journal" } } },
        { .what = "EXTRA_NSPAWN_FLAGS is word-split",
          .json = "{\"c\": {" P ", \"extraFlags\": [\"--a\", \"--b=1\"], \"bindMounts\": {\"/d\": {}}}}",
          .expect = { .present = { "|/var/lib/containers/c|--bind-ro=/d|--a|--b=1|--notify-ready=yes|" } } },
        { .what = "--personality=x86 for an i686 guest",
          .json = "{\"c\": {" P "}}",
          .guest = "i686-linux",
          .expect = { .present = { "|/var/lib/containers/c|--personality=x86|--notify-ready=yes|" } } },
        { .what = "no --personality for an x86_64 guest",
          .json = "{\"c\": {" P "}}",
          .guest = "x86_64-linux",
          .expect = { .absent = { "--personality" } } },
        { .what = "the imperative template: everything comes from the environment",
          .env = { "PRIVATE_NETWORK=1", "HOST_ADDRESS=10.233.1.1", "LOCAL_ADDRESS=10.233.1.2",
                   "HOST_PORT=tcp:80:80,,udp:1:1", "SYSTEM_PATH=", "PATH=/bin" },
          .expect = { .present = { "|-M|imp|-D|/var/lib/containers/imp|--private-network|--network-veth|"
                                   "--port=tcp:80:80|--port=|--port=udp:1:1|--notify-ready=yes|",
                                   "|--setenv|HOST_ADDRESS=10.233.1.1|",
                                   "|--setenv|PATH=/bin|/init|/nix/var/nix/profiles/system/init" } } },
        { .what = "`extraFlags` is never initialised by the script: the environment's is used",
          .json = "{\"c\": {" P "}}",
          .env = { "extraFlags=--bind=/:/host" },
          .expect = { .present = { "|/var/lib/containers/c|--bind=/:/host|--notify-ready=yes|" } } },
        { .what = "compat reproduces the script's word splitting",
          .json = "{\"c\": {" P ", \"tmpfs\": [\"/var --bind=/:/host\"]}}",
          .mode = NC_MODE_COMPAT,
          .expect = { .present = { "|--tmpfs=/var|--bind=/:/host|/init|" } } },
        { .what = "compat: a newline in pasted text ends the exec line there",
          .json = "{\"c\": {" P ", \"tmpfs\": [\"/a\\n/b\"]}}",
          .mode = NC_MODE_COMPAT,
          .expect = { .present = { "|--setenv|PATH=|--tmpfs=/a" },
                      .absent = { "/init" } } },
        { .what = "compat: capabilities sit in double quotes, $VARs expand, spaces stay",
          .json = "{\"c\": {" P ", \"privateNetwork\": true, \"hostBridge\": \"br0\","
                  " \"additionalCapabilities\": [\"CAP_$HOST_BRIDGE x\"]}}",
          .mode = NC_MODE_COMPAT,
          .expect = { .present = { "|--capability=CAP_br0 x|" } } },
        { .what = "compat: a quote that the script cannot close is refused, not guessed",
          .json = "{\"c\": {" P ", \"tmpfs\": [\"/a'b\"]}}",
          .mode = NC_MODE_COMPAT,
          .r = -ENOTSUP },
};

static void test_branches(void) {
        for (const argv_case *c = cases; c < cases + ELEMENTSOF(cases); c++) {
                int r;
                char *argv = argv_of(c->json, c->mode, c->env, c->guest, &r), returned[32];

                snprintf(returned, sizeof returned, "%d", r);
                assert_case(r == c->r, c->what, "returned", returned);
                assert_text(c->what, argv, &c->expect);
                free(argv);
        }
}

void nc_test_register_argv(void) {
        static const suite_test tests[] = {
                { "each branch of the start script", test_branches },
        };

        suite_add("argv builder", tests, ELEMENTSOF(tests));
}
