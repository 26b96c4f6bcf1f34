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
        static const suite_test tests[] = {
                { "each check accepts and refuses", test_validators },
                { "messages name the option and the value", test_messages_name_option_and_value },
        };

        suite_add("strict value checks", tests, ELEMENTSOF(tests));
}
