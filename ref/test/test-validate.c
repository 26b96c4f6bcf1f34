/* Strict mode's value checks. */
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "unit-helpers.h"
#include "unit-tests.h"
#include "validate.h"

/* A check, values it accepts and values it refuses. */
typedef struct validator_case {
        nc_validator check;
        const char *accepted[8];
        const char *refused[8];
} validator_case;

static void assert_check(nc_validator check, const char *value, bool ok) {
        char buf[160];
        const char *why = check(value, buf, sizeof buf);

        CU_ASSERT_EQUAL(why == NULL, ok);
        if ((why == NULL) != ok)
                fprintf(stderr, "\n  \"%.40s\": %s\n", value, why ? why : "accepted");
}

static void test_validators(void) {
        static char long_name[80], long_ifname[20], long_path[NC_MAX_PATH + 10];
        memset(long_name, 'a', 65);
        memset(long_ifname, 'a', 16);
        long_path[0] = '/';
        memset(long_path + 1, 'p', NC_MAX_PATH);
        const validator_case cases[] = {
                { nc_check_machine_name,
                  .accepted = { "web", "really-long-long-name-2", "a.b" },
                  .refused = { "web_1", "-web", "web-", "a..b", "a.", long_name } },
                { nc_check_ifname,
                  .accepted = { "eth0", "veth-extra-15ch" },
                  .refused = { long_ifname, "eth0:1", "a/b", "..", "" } },
                { nc_check_address,
                  .accepted = { "10.0.0.1", "10.0.0.1/24", "fc00::1", "fc00::1/7" },
                  .refused = { "10.0.0", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "host" } },
                { nc_check_address6,
                  .accepted = { "fc00::1/64" },
                  .refused = { "10.0.0.1", "fc00::1/129" } },
                { nc_check_protocol,
                  .accepted = { "tcp", "udp" },
                  .refused = { "sctp", "TCP" } },
                { nc_check_capability,
                  .accepted = { "CAP_NET_ADMIN", "cap_sys_time", "all" },
                  .refused = { "CAP_BOGUS", "NET_ADMIN" } },
                { nc_check_modifier,
                  .accepted = { "rwm", "r" },
                  .refused = { "rx" } },
                { nc_check_device_node,
                  .accepted = { "/dev/net/tun", "char-drm" },
                  .refused = { "char-", "dev/kvm" } },
                { nc_check_absolute_path,
                  .accepted = { "/srv/data" },
                  .refused = { "srv/data", long_path } },
                { nc_check_tmpfs,
                  .accepted = { "/var:mode=0755,size=1G" },
                  .refused = { "var" } },
                { nc_check_time_span,
                  .accepted = { "1min", "90", "5min 30s", "1.5h", "infinity", "2 weeks" },
                  .refused = { "", "soon", "5 parsecs", "min" } },
        };
        for (const validator_case *c = cases; c < cases + ELEMENTSOF(cases); c++) {
                for (size_t i = 0; i < ELEMENTSOF(c->accepted) && c->accepted[i]; i++)
                        assert_check(c->check, c->accepted[i], true);
                for (size_t i = 0; i < ELEMENTSOF(c->refused) && c->refused[i]; i++)
                        assert_check(c->check, c->refused[i], false);
        }
}

/* Issue 13, item 2: strict mode accepts what iproute2 reads as a person
 * reads it, and says what it reads otherwise. */
static void test_addresses_as_ip_reads_them(void) {
        char buf[256];
        const char *why;

        /* ip reads it, glibc's hosts file (networking.extraHosts) does not */
        why = nc_check_address("+10.0.0.1", buf, sizeof buf);
        CU_ASSERT_TRUE(contains(why, "is read by iproute2 as 10.0.0.1") && contains(why, "drops a sign") &&
                       contains(why, "write 10.0.0.1"));
        why = nc_check_address("10.+0.0.4", buf, sizeof buf);
        CU_ASSERT_TRUE(contains(why, "is read by iproute2 as 10.0.0.4") && contains(why, "write 10.0.0.4"));
        CU_ASSERT_PTR_NULL(nc_check_address("10.0.0.1/+24", buf, sizeof buf));
        CU_ASSERT_PTR_NULL(nc_check_address6("fc00::2/+64", buf, sizeof buf));
        why = nc_check_address("10.0.0.1/+", buf, sizeof buf);
        CU_ASSERT_TRUE(contains(why, "not a number"));
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
                                "containers.web.hostAddress: \"10.0.0\" is read by iproute2 as 10.0.0.0"));
        CU_ASSERT_TRUE(contains(load_error("{\"web\": {\"path\": \"/x\", \"extraVeths\": {\"veth-far-too-long\": {}}}}",
                                           NC_MODE_STRICT),
                                "containers.web.extraVeths.veth-far-too-long: \"veth-far-too-long\" is longer than 15 bytes"));
        /* compat reproduces the original, whatever the value means */
        CU_ASSERT_STRING_EQUAL(load_error("{\"web\": {\"path\": \"/x\", \"forwardPorts\": [{\"hostPort\": 70000}]}}",
                                          NC_MODE_COMPAT), "");
}

void nc_test_register_validate(void) {
        static const suite_test tests[] = {
                { "each check accepts and refuses", test_validators },
                { "messages name the option and the value", test_messages_name_option_and_value },
                { "glob characters where bash expands unquoted", test_glob_characters },
                { "addresses as iproute2 reads them", test_addresses_as_ip_reads_them },
        };

        suite_add("strict value checks", tests, ELEMENTSOF(tests));
}
