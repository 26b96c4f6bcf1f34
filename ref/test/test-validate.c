/* Strict mode's value checks. */
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "unit-helpers.h"
#include "unit-tests.h"
#include "validate.h"

typedef struct validator_case {
        nc_validator check;
        const char *value;
        bool ok;
} validator_case;

static void test_validators(void) {
        static char long_name[80], long_ifname[20], long_path[NC_MAX_PATH + 10];
        memset(long_name, 'a', 65);
        memset(long_ifname, 'a', 16);
        long_path[0] = '/';
        memset(long_path + 1, 'p', NC_MAX_PATH);
        const validator_case cases[] = {
                { nc_check_machine_name, "web", true },
                { nc_check_machine_name, "really-long-long-name-2", true },
                { nc_check_machine_name, "a.b", true },
                { nc_check_machine_name, "web_1", false },
                { nc_check_machine_name, "-web", false },
                { nc_check_machine_name, "web-", false },
                { nc_check_machine_name, "a..b", false },
                { nc_check_machine_name, "a.", false },
                { nc_check_machine_name, long_name, false },
                { nc_check_ifname, "eth0", true },
                { nc_check_ifname, "veth-extra-15ch", true },
                { nc_check_ifname, long_ifname, false },
                { nc_check_ifname, "eth0:1", false },
                { nc_check_ifname, "a/b", false },
                { nc_check_ifname, "..", false },
                { nc_check_ifname, "", false },
                { nc_check_address, "10.0.0.1", true },
                { nc_check_address, "10.0.0.1/24", true },
                { nc_check_address, "fc00::1", true },
                { nc_check_address, "fc00::1/7", true },
                { nc_check_address, "10.0.0", false },
                { nc_check_address, "10.0.0.1/33", false },
                { nc_check_address, "10.0.0.1/", false },
                { nc_check_address, "10.0.0.1/-1", false },
                { nc_check_address, "host", false },
                { nc_check_address6, "fc00::1/64", true },
                { nc_check_address6, "10.0.0.1", false },
                { nc_check_address6, "fc00::1/129", false },
                { nc_check_protocol, "tcp", true },
                { nc_check_protocol, "udp", true },
                { nc_check_protocol, "sctp", false },
                { nc_check_protocol, "TCP", false },
                { nc_check_capability, "CAP_NET_ADMIN", true },
                { nc_check_capability, "cap_sys_time", true },
                { nc_check_capability, "all", true },
                { nc_check_capability, "CAP_BOGUS", false },
                { nc_check_capability, "NET_ADMIN", false },
                { nc_check_modifier, "rwm", true },
                { nc_check_modifier, "r", true },
                { nc_check_modifier, "rx", false },
                { nc_check_device_node, "/dev/net/tun", true },
                { nc_check_device_node, "char-drm", true },
                { nc_check_device_node, "char-", false },
                { nc_check_device_node, "dev/kvm", false },
                { nc_check_absolute_path, "/srv/data", true },
                { nc_check_absolute_path, "srv/data", false },
                { nc_check_absolute_path, long_path, false },
                { nc_check_tmpfs, "/var:mode=0755,size=1G", true },
                { nc_check_tmpfs, "var", false },
                { nc_check_time_span, "1min", true },
                { nc_check_time_span, "90", true },
                { nc_check_time_span, "5min 30s", true },
                { nc_check_time_span, "1.5h", true },
                { nc_check_time_span, "infinity", true },
                { nc_check_time_span, "2 weeks", true },
                { nc_check_time_span, "", false },
                { nc_check_time_span, "soon", false },
                { nc_check_time_span, "5 parsecs", false },
                { nc_check_time_span, "min", false },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                char buf[160];
                const char *why = cases[i].check(cases[i].value, buf, sizeof buf);
                CU_ASSERT_EQUAL(why == NULL, cases[i].ok);
                if ((why == NULL) != cases[i].ok)
                        fprintf(stderr, "\n  case %zu \"%.40s\": %s\n", i, cases[i].value, why ? why : "accepted");
        }
}

/* Issue 13, item 2: strict mode accepts what iproute2 reads as a person
 * reads it, and says what it reads otherwise. */
static void test_addresses_as_ip_reads_them(void) {
        char buf[256];
        const char *why;

        CU_ASSERT_PTR_NULL(nc_check_address("+10.0.0.1", buf, sizeof buf));
        CU_ASSERT_PTR_NULL(nc_check_address("10.21.0.2/255.255.255.0", buf, sizeof buf));
        CU_ASSERT_PTR_NULL(nc_check_address("fc00::2/64", buf, sizeof buf));
        why = nc_check_address("012.0.0.3", buf, sizeof buf);
        CU_ASSERT_TRUE(contains(why, "is read by iproute2 as 10.0.0.3"));
        why = nc_check_address("10.0.0.1/010", buf, sizeof buf);
        CU_ASSERT_TRUE(contains(why, "reads as 8"));
        why = nc_check_address("10.0.0.1/255.0.255.0", buf, sizeof buf);
        CU_ASSERT_TRUE(contains(why, "not contiguous"));
        CU_ASSERT_PTR_NOT_NULL(nc_check_address("default", buf, sizeof buf));
        CU_ASSERT_PTR_NOT_NULL(nc_check_address6("10.0.0.1", buf, sizeof buf));
}

/* Issue 13, item 1: every value bash expands unquoted is a glob pattern
 * too; strict mode refuses *, ? and [ there, naming the option, and
 * --compat keeps the value as written (no pathname expansion). */
static void test_glob_characters(void) {
        static const char *const cases[][2] = {
                { "{\"web\": {\"path\": \"/x\", \"interfaces\": [\"*\"]}}", "containers.web.interfaces[0]: " },
                { "{\"web\": {\"path\": \"/x\", \"macvlans\": [\"eth?\"]}}", "containers.web.macvlans[0]: " },
                { "{\"web\": {\"path\": \"/x\", \"extraFlags\": [\"/etc/pass*\"]}}", "containers.web.extraFlags[0]: " },
                { "{\"web\": {\"path\": \"/x\", \"bindMounts\": {\"/d\": {\"hostPath\": \"/srv/[ab]\"}}}}",
                  "containers.web.bindMounts.\"/d\".hostPath: " },
                { "{\"web\": {\"path\": \"/x\", \"bindMounts\": {\"/d*\": {}}}}", "containers.web.bindMounts.\"/d*\"" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *message = load_error(cases[i][0], NC_MODE_STRICT);
                CU_ASSERT_TRUE(strncmp(message, cases[i][1], strlen(cases[i][1])) == 0);
                CU_ASSERT_TRUE(contains(message, "glob character"));
                CU_ASSERT_STRING_EQUAL(load_error(cases[i][0], NC_MODE_COMPAT), "");
        }
        /* --compat reproduces the rest and says what it does not do */
        nc_config *config = load_json(cases[0][0], NC_MODE_COMPAT, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        CU_ASSERT_TRUE(contains(nc_container_compat_note(nc_config_find(config, "web")),
                                "containers.web.interfaces[0]: \"*\" is passed as written: --compat does no "
                                "pathname expansion"));
        nc_config_free(config);
        config = load_json("{\"web\": {\"path\": \"/x\"}}", NC_MODE_COMPAT, NULL);
        CU_ASSERT_PTR_NULL(nc_container_compat_note(nc_config_find(config, "web")));
        nc_config_free(config);
}

static void test_messages_name_option_and_value(void) {
        CU_ASSERT_TRUE(contains(load_error("{\"web\": {\"path\": \"/x\", \"forwardPorts\": [{\"hostPort\": 70000}]}}",
                                           NC_MODE_STRICT),
                                "containers.web.forwardPorts[0].hostPort: 70000 is not a port (1-65535)"));
        CU_ASSERT_TRUE(contains(load_error("{\"web\": {\"path\": \"/x\", \"hostAddress\": \"10.0.0\"}}", NC_MODE_STRICT),
                                "containers.web.hostAddress: \"10.0.0\" is not an IPv4 or IPv6 address"));
        CU_ASSERT_TRUE(contains(load_error("{\"web\": {\"path\": \"/x\", \"extraVeths\": {\"veth-far-too-long\": {}}}}",
                                           NC_MODE_STRICT),
                                "containers.web.extraVeths.veth-far-too-long: \"veth-far-too-long\" is longer than 15 bytes"));
        /* compat reproduces the original, whatever the value means */
        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {\"path\": \"/x\", \"forwardPorts\": [{\"hostPort\": 70000}]}}",
                                          NC_MODE_COMPAT), "");
}

void nc_test_register_validate(void) {
        static const nc_test_case tests[] = {
                { "each check accepts and refuses", test_validators },
                { "messages name the option and the value", test_messages_name_option_and_value },
                { "glob characters where bash expands unquoted", test_glob_characters },
                { "addresses as iproute2 reads them", test_addresses_as_ip_reads_them },
        };

        nc_test_add_suite("strict value checks", tests, ELEMENTSOF(tests));
}
