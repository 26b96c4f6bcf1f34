/* The JSON loader: the module's types, defaults and option names, and
 * strict mode's refusals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "unit-helpers.h"
#include "unit-tests.h"

#define P "\"path\": \"/nix/store/x-system\""

static void test_defaults(void) {
        nc_error error = { { 0 } };
        nc_config *config = load_json("{\"web\": {" P ", \"bindMounts\": {\"/data\": {}},"
                                      " \"forwardPorts\": [{\"hostPort\": 80}]}}", NC_MODE_STRICT, &error);
        const nc_container *c;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        c = nc_config_find(config, "web");
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        CU_ASSERT_STRING_EQUAL(c->timeout_start_sec, "1min");
        CU_ASSERT_FALSE(c->private_network);
        CU_ASSERT_FALSE(c->ephemeral);
        CU_ASSERT_PTR_NULL(c->network.host_address);
        CU_ASSERT_EQUAL(c->n_bind_mounts, 1);
        CU_ASSERT_STRING_EQUAL(c->bind_mounts[0].mount_point, "/data"); /* mkDefault name */
        CU_ASSERT_PTR_NULL(c->bind_mounts[0].host_path);
        CU_ASSERT_TRUE(c->bind_mounts[0].is_read_only);
        CU_ASSERT_STRING_EQUAL(c->network.forward_ports[0].protocol, "tcp");
        CU_ASSERT_FALSE(c->network.forward_ports[0].has_container_port);
        nc_config_free(config);
}

static void test_attribute_order(void) {
        nc_config *config = load_json("{\"zeta\": {" P "}, \"alpha\": {" P ", \"extraVeths\": {\"vz\": {}, \"va\": {}},"
                                      " \"bindMounts\": {\"/z\": {}, \"/a\": {}, \"/M\": {}}}}", NC_MODE_STRICT, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        CU_ASSERT_STRING_EQUAL(config->containers[0].name, "alpha");
        CU_ASSERT_STRING_EQUAL(config->containers[1].name, "zeta");
        CU_ASSERT_STRING_EQUAL(config->containers[0].extra_veths[0].name, "va");
        /* attrNames sorts bytewise: "/M" < "/a" < "/z". */
        CU_ASSERT_STRING_EQUAL(config->containers[0].bind_mounts[0].name, "/M");
        CU_ASSERT_STRING_EQUAL(config->containers[0].bind_mounts[2].name, "/z");
        nc_config_free(config);
}

typedef struct error_case {
        const char *json, *message;
} error_case;

/* Each case's JSON, put into `wrap` (a printf format with one %s), is
 * refused in strict mode with a message containing the case's message;
 * with `compat_loads`, compat mode loads it. */
static void check_refused(const error_case *cases, size_t n, const char *wrap, bool compat_loads) {
        for (size_t i = 0; i < n; i++) {
                char json[1024];
                const char *message;

                snprintf(json, sizeof json, wrap, cases[i].json);
                message = load_error(json, NC_MODE_STRICT);
                assert_case(contains(message, cases[i].message), json, "refused with", message);
                if (compat_loads)
                        assert_case(load_error(json, NC_MODE_COMPAT)[0] == '\0', json, "refused in compat mode with",
                                    load_error(json, NC_MODE_COMPAT));
        }
}

static void test_type_errors_name_the_option(void) {
        static const error_case cases[] = {
                { "{\"web\": {" P ", \"bogus\": 1}}",
                  "containers.web.bogus: the option does not exist" },
                { "{\"web\": {" P ", \"forwardPorts\": [{\"hostPort\": \"80\"}]}}",
                  "containers.web.forwardPorts[0].hostPort: \"80\" is not of type signed integer" },
                { "{\"web\": {" P ", \"forwardPorts\": [{\"hostPort\": 80.0}]}}",
                  "is not of type signed integer" },
                { "{\"web\": {\"privateNetwork\": true}}",
                  "containers.web.path: the option is used but not defined" },
                { "{\"web\": {\"path\": \"nix/store/x\"}}",
                  "containers.web.path: \"nix/store/x\" is not of type path" },
                { "{\"web\": {" P ", \"privateNetwork\": \"yes\"}}",
                  "containers.web.privateNetwork: \"yes\" is not of type boolean" },
                { "{\"web\": {" P ", \"interfaces\": [\"eth0\", 1]}}",
                  "containers.web.interfaces[1]: 1 is not of type string" },
                { "{\"web\": {" P ", \"extraVeths\": {\"v1\": {\"mtu\": 1}}}}",
                  "containers.web.extraVeths.v1.mtu: the option does not exist" },
                { "{\"web\": {" P ", \"bindMounts\": {\"/d\": {\"hostPath\": 1}}}}",
                  "containers.web.bindMounts.\"/d\".hostPath: 1 is not of type null or string" },
                { "{\"web\": {" P ", \"allowedDevices\": [{\"node\": \"/dev/x\"}]}}",
                  "containers.web.allowedDevices[0].modifier: the option is used but not defined" },
                { "{\"web\": {" P ", \"pkgs\": {}}}",
                  "containers.web.pkgs: the option definition no longer has any effect" },
                { "{\"web\": {\"config\": {}}}",
                  "containers.web.path" },
        };

        check_refused(cases, ELEMENTSOF(cases), "%s", false);
}

static void test_json_errors(void) {
        static const error_case cases[] = {
                { "{\"web\": {" P ",}",
                  "line 1, column" },
                { "[]",
                  "must be a JSON object" },
                { "{\"web\": {" P "}, \"web\": {" P "}}",
                  "duplicate" },
        };

        check_refused(cases, ELEMENTSOF(cases), "%s", false);
}

static void test_config_is_ignored_with_path(void) {
        nc_config *config = load_json("{\"web\": {" P ", \"config\": {\"services.httpd.enable\": true}}}",
                                      NC_MODE_STRICT, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        CU_ASSERT_TRUE(config->containers[0].has_config);
        nc_config_free(config);
}

/* What the original reinterprets (a value word-split, a line break that
 * starts another line of the env file): each definition of the container
 * web is refused in strict mode, and loads in compat mode. */
static void test_strict_refusals(void) {
        static const error_case cases[] = {
                { "\"extraFlags\": [\"--bind=/a /b\"]", "containers.web.extraFlags[0]: contains whitespace" },
                { "\"hostAddress\": \"10.0.0.1\\nextraFlags=--bind=/:/host\"",
                  "containers.web.hostAddress: contains a line break" },
                { "\"bindMounts\": {\"/b\": {\"hostPath\": \"/srv/a\\\"b\"}}",
                  "containers.web.bindMounts.\"/b\".hostPath: contains a double quote or backslash" },
                { "\"tmpfs\": [\"/var --bind=/:/host\"]", "containers.web.tmpfs[0]: contains whitespace" },
                { "\"tmpfs\": [\"/var;x\"]", "containers.web.tmpfs[0]: contains a shell metacharacter" },
                { "\"additionalCapabilities\": [\"CAP_A $X\"]", "containers.web.additionalCapabilities[0]" },
                { "\"interfaces\": [\"eth0 eth1\"]", "containers.web.interfaces[0]: contains whitespace" },
                { "\"forwardPorts\": [{\"hostPort\": 1, \"protocol\": \"tcp,udp\"}]",
                  "containers.web.forwardPorts[0].protocol: contains a comma" },
                { "\"extraVeths\": {\"v$x\": {}}", "containers.web.extraVeths.\"v$x\"" },
                { "\"timeoutStartSec\": \"1min\\nExecStartPre=/bin/sh\"",
                  "containers.web.timeoutStartSec: contains a line break" },
        };
        static const error_case names[] = {
                { "we b", "containers.\"we b\": \"we b\" is not a valid machine name" },
        };

        check_refused(cases, ELEMENTSOF(cases), "{\"web\": {" P ", %s}}", true);
        check_refused(names, ELEMENTSOF(names), "{\"%s\": {" P "}}", true);
}

static void test_nul_is_refused_in_both_modes(void) {
        const char *json = "{\"web\": {" P ", \"hostBridge\": \"br\\u00000\"}}";
        CU_ASSERT_TRUE(contains(load_error(json, NC_MODE_STRICT), "containers.web.hostBridge: contains a NUL byte"));
        CU_ASSERT_TRUE(contains(load_error(json, NC_MODE_COMPAT), "containers.web.hostBridge: contains a NUL byte"));
}

static void test_enable_tun_effective(void) {
        nc_config *config = load_json("{\"web\": {" P ", \"enableTun\": true, \"additionalCapabilities\": [\"CAP_SYS_TIME\"],"
                                      " \"allowedDevices\": [{\"node\": \"/dev/fuse\", \"modifier\": \"rwm\"}]}}",
                                      NC_MODE_STRICT, NULL);
        nc_container *effective = NULL;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        CU_ASSERT_EQUAL_FATAL(nc_container_effective(&config->containers[0], &effective), 0);
        /* cfg.additionalCapabilities ++ [ "CAP_NET_ADMIN" ], allowedDevices ++ [ tun rw ] */
        CU_ASSERT_EQUAL(effective->additional_capabilities.n, 2);
        CU_ASSERT_STRING_EQUAL(effective->additional_capabilities.items[1], "CAP_NET_ADMIN");
        CU_ASSERT_EQUAL(effective->n_allowed_devices, 2);
        CU_ASSERT_STRING_EQUAL(effective->allowed_devices[1].node, "/dev/net/tun");
        CU_ASSERT_STRING_EQUAL(effective->allowed_devices[1].modifier, "rw");
        /* The loaded config itself is unchanged. */
        CU_ASSERT_EQUAL(config->containers[0].additional_capabilities.n, 1);
        nc_container_free(effective);
        nc_config_free(config);
}

/* Every size from input has a limit: a 5 MB string and JSON nested
 * 100,000 deep are refused quickly, without a crash. */
static void test_huge_inputs(void) {
        size_t n = 5u << 20, depth = 100000;
        char *json = malloc(n + 64), *deep = malloc(2 * depth + 64);
        const char *message;

        CU_ASSERT_PTR_NOT_NULL_FATAL(json);
        CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
        strcpy(json, "{\"web\": {\"path\": \"/");
        memset(json + strlen(json), 'a', n);
        strcpy(json + strlen("{\"web\": {\"path\": \"/") + n, "\"}}");
        message = load_error(json, NC_MODE_STRICT);
        CU_ASSERT_TRUE(contains(message, "containers.web.path: \"/aaaa"));
        CU_ASSERT_TRUE(contains(message, "is longer than 4096 bytes"));
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        deep[2 * depth] = '\0';
        CU_ASSERT_TRUE(contains(load_error(deep, NC_MODE_COMPAT), "line 1"));
        memcpy(deep, "{\"web\":", 7);
        CU_ASSERT_TRUE(load_error(deep, NC_MODE_STRICT)[0] != '\0');
        free(json);
        free(deep);
}

/* Issue 13, item 5: with NC_LOAD_KEEP_REFUSED a name machined would refuse
 * ('_', a trailing '-', over 64 bytes) blocks only its own container; the
 * others load and render, and the hosts file leaves the refused one out. */
static void test_bad_name_blocks_only_its_container(void) {
        static const char *const bad[] = {
                "_x", "web-", "a.", "x23456789012345678901234567890123456789012345678901234567890123456",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char json[512], *hosts = NULL;
                nc_config *config = NULL;
                nc_error error = { { 0 } };
                size_t len;
                snprintf(json, sizeof json,
                         "{\"%s\": {" P ", \"localAddress\": \"10.0.0.9\"}, "
                         "\"web\": {" P ", \"localAddress\": \"10.0.0.2\"}}", bad[i]);
                /* Without the flag the whole config is refused, as before. */
                CU_ASSERT_EQUAL(nc_config_load_json(json, strlen(json), NC_MODE_STRICT, NULL, NULL, &config, &error),
                                -EINVAL);
                CU_ASSERT_EQUAL_FATAL(nc_config_load_json_flags(json, strlen(json), NC_MODE_STRICT, NC_LOAD_KEEP_REFUSED,
                                                                NULL, NULL, &config, &error), 0);
                CU_ASSERT_PTR_NULL(nc_container_refusal(nc_config_find(config, "web")));
                CU_ASSERT_PTR_NOT_NULL_FATAL(nc_container_refusal(nc_config_find(config, bad[i])));
                CU_ASSERT_TRUE(strncmp(nc_container_refusal(nc_config_find(config, bad[i])), "containers.", 11) == 0);
                CU_ASSERT_TRUE(contains(nc_container_refusal(nc_config_find(config, bad[i])), "machine name") ||
                               contains(nc_container_refusal(nc_config_find(config, bad[i])), "longer than 64"));
                CU_ASSERT_EQUAL_FATAL(nc_render_hosts(config, &hosts, &len), 0);
                CU_ASSERT_STRING_EQUAL(hosts, "10.0.0.2 web.containers\n");
                free(hosts);
                nc_config_free(config);
        }
}

/* The flag keeps every strict refusal of a value the module accepts (a
 * name, an address, a glob, a time span, port 0): the first blocks only
 * its container. The module's own refusals (a type error, an unknown
 * option) still refuse the config, as the module's evaluation fails; compat
 * mode has nothing to keep. */
static void test_keep_refused_keeps_strict_refusals(void) {
        static const char *const bad[][2] = {
                { "\"extraFlags\": [\"a b\"]", "containers.bad.extraFlags[0]: " },
                { "\"localAddress6\": \"fc00::1/0x40\"", "containers.bad.localAddress6: " },
                { "\"interfaces\": [\"*\"]", "containers.bad.interfaces[0]: " },
                { "\"timeoutStartSec\": \"5.s\"", "containers.bad.timeoutStartSec: " },
                { "\"forwardPorts\": [{\"hostPort\": 0}]", "containers.bad.forwardPorts[0].hostPort: " },
                { "\"extraVeths\": {\"v1\": {\"localAddress\": \"1.2.3\"}}", "containers.bad.extraVeths.v1.localAddress: " },
        };
        static const char *const module_refuses[] = { "\"privateNetwork\": \"yes\"", "\"hostPort\": 1" };
        static const char empty_name[] = "{\"\": {" P "}}";
        nc_config *config = NULL;
        nc_error error = { { 0 } };
        char json[512];

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *hosts = NULL;
                size_t len;
                snprintf(json, sizeof json,
                         "{\"bad\": {" P ", \"localAddress\": \"10.0.0.9\", %s}, "
                         "\"web\": {" P ", \"localAddress\": \"10.0.0.2\"}}", bad[i][0]);
                CU_ASSERT_EQUAL(nc_config_load_json(json, strlen(json), NC_MODE_STRICT, NULL, NULL, &config, &error),
                                -EINVAL);
                CU_ASSERT_EQUAL_FATAL(nc_config_load_json_flags(json, strlen(json), NC_MODE_STRICT, NC_LOAD_KEEP_REFUSED,
                                                                NULL, NULL, &config, &error), 0);
                CU_ASSERT_PTR_NULL(nc_container_refusal(nc_config_find(config, "web")));
                CU_ASSERT_PTR_NOT_NULL_FATAL(nc_container_refusal(nc_config_find(config, "bad")));
                CU_ASSERT_TRUE(strncmp(nc_container_refusal(nc_config_find(config, "bad")), bad[i][1],
                                       strlen(bad[i][1])) == 0);
                CU_ASSERT_EQUAL_FATAL(nc_render_hosts(config, &hosts, &len), 0);
                CU_ASSERT_STRING_EQUAL(hosts, "10.0.0.2 web.containers\n");
                free(hosts);
                nc_config_free(config);
                CU_ASSERT_EQUAL_FATAL(nc_config_load_json_flags(json, strlen(json), NC_MODE_COMPAT, NC_LOAD_KEEP_REFUSED,
                                                                NULL, NULL, &config, &error), 0);
                CU_ASSERT_PTR_NULL(nc_container_refusal(nc_config_find(config, "bad")));
                nc_config_free(config);
        }
        /* A name refused first stays the container's refusal. */
        snprintf(json, sizeof json, "{\"_x\": {" P ", %s}}", bad[0][0]);
        CU_ASSERT_EQUAL_FATAL(nc_config_load_json_flags(json, strlen(json), NC_MODE_STRICT, NC_LOAD_KEEP_REFUSED, NULL,
                                                        NULL, &config, &error), 0);
        CU_ASSERT_TRUE(contains(nc_container_refusal(nc_config_find(config, "_x")), "machine name"));
        nc_config_free(config);
        for (size_t i = 0; i < ELEMENTSOF(module_refuses); i++) {
                snprintf(json, sizeof json, "{\"bad\": {" P ", %s}, \"web\": {" P "}}", module_refuses[i]);
                CU_ASSERT_EQUAL(nc_config_load_json_flags(json, strlen(json), NC_MODE_STRICT, NC_LOAD_KEEP_REFUSED,
                                                          NULL, NULL, &config, &error), -EINVAL);
                CU_ASSERT_TRUE(contains(error.message, "containers.bad."));
        }
        /* An empty name is refused in both modes, and refuses the config. */
        CU_ASSERT_EQUAL(nc_config_load_json_flags(empty_name, strlen(empty_name), NC_MODE_STRICT,
                                                  NC_LOAD_KEEP_REFUSED, NULL, NULL, &config, &error), -EINVAL);
}

void nc_test_register_config(void) {
        static const suite_test tests[] = {
                { "defaults are the module's", test_defaults },
                { "attribute sets are in attrNames order", test_attribute_order },
                { "type errors name containers.NAME.OPTION", test_type_errors_name_the_option },
                { "JSON errors say where", test_json_errors },
                { "config is accepted and ignored when path is given", test_config_is_ignored_with_path },
                { "strict mode refuses what the original reinterprets", test_strict_refusals },
                { "a NUL byte is refused in both modes", test_nul_is_refused_in_both_modes },
                { "enableTun adds /dev/net/tun and CAP_NET_ADMIN", test_enable_tun_effective },
                { "a 5 MB string and 100,000 levels of nesting", test_huge_inputs },
                { "a refused name blocks only its own container", test_bad_name_blocks_only_its_container },
                { "every strict refusal is kept per container", test_keep_refused_keeps_strict_refusals },
        };

        suite_add("config loader", tests, ELEMENTSOF(tests));
}
