/* nixcontainer check: the kernel model's rules one by one (each also met
 * by the real `ip` in the check-test tier), and the findings of
 * nc_config_check() for small configs. */
#include <errno.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "net-model.h"
#include "unit-helpers.h"
#include "unit-tests.h"

/* Runs one step on the model; returns its result, the text in `why`. */
static int step(nc_net_model *m, nc_step_kind kind, bool ipv6, const char *dev, const char *value, char why[256]) {
        nc_plan plan = { 0 };
        int r = nc_plan_add(&plan, kind, ipv6, dev, value);

        why[0] = '\0';
        if (r >= 0)
                r = nc_net_model_run(m, &plan.steps[0], why, 256);
        nc_plan_clear(&plan);
        return r;
}

static void test_model_routes(void) {
        nc_net_model m = { 0 };
        char why[256];

        CU_ASSERT_EQUAL(nc_net_model_link_add(&m, "ve-a", "a", false), 0);
        CU_ASSERT_EQUAL(nc_net_model_link_add(&m, "ve-b", "b", false), 0);
        CU_ASSERT_EQUAL(nc_net_model_link_add(&m, "ve-a", "b", false), -EEXIST);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "ve-a", "10.0.0.2", why), -ENETDOWN);
        CU_ASSERT_STRING_EQUAL(why, "Error: Device for nexthop is not up.");
        CU_ASSERT_EQUAL(step(&m, NC_STEP_LINK_UP, false, "ve-a", NULL, why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_LINK_UP, false, "ve-b", NULL, why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "ve-a", "10.0.7.2/24", why), -EINVAL);
        CU_ASSERT_STRING_EQUAL(why, "Error: Invalid prefix for given prefix length.");
        /* IPv6 masks the host bits. */
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, true, "ve-a", "fc00::2/64", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, true, "ve-b", "fc00::/64", why), -EEXIST);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "ve-a", "10.0.0.2", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "ve-b", "10.0.0.2", why), -EEXIST);
        CU_ASSERT_STRING_EQUAL(why, "RTNETLINK answers: File exists");
        /* An address's prefix route (metric 0) meets `ip route add`'s. */
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ADDRESS_ADD, false, "ve-a", "10.2.0.1/24", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "ve-b", "10.2.0.0/24", why), -EEXIST);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "nope", "10.9.0.1", why), -ENODEV);
        CU_ASSERT_STRING_EQUAL(why, "Cannot find device \"nope\"");
        /* Deleting a link takes its routes: the route can be added again. */
        CU_ASSERT_EQUAL(nc_net_model_link_delete(&m, "ve-a"), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ROUTE_ADD, false, "ve-b", "10.0.0.2", why), 0);
        CU_ASSERT_EQUAL(nc_net_model_link_delete(&m, "ve-a"), -ENODEV);
        nc_net_model_clear(&m);
}

static void test_model_addresses_and_gateways(void) {
        nc_net_model m = { 0 };
        char why[256];

        CU_ASSERT_EQUAL(nc_net_model_link_add(&m, "lo", NULL, true), 0);
        CU_ASSERT_EQUAL(nc_net_model_link_delete(&m, "lo"), -EOPNOTSUPP);
        CU_ASSERT_EQUAL(nc_net_model_link_add(&m, "host0", NULL, false), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_LINK_RENAME, false, "host0", "lo", why), -EEXIST);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_LINK_RENAME, false, "host0", "eth0", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_LINK_UP, false, "eth0", NULL, why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ADDRESS_ADD, false, "eth0", "10.1.0.1", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ADDRESS_ADD, false, "eth0", "10.1.0.1", why), -EEXIST);
        CU_ASSERT_STRING_EQUAL(why, "Error: ipv4: Address already assigned.");
        /* IPv4: another prefix is another address; IPv6: the same. */
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ADDRESS_ADD, false, "eth0", "10.1.0.1/24", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ADDRESS_ADD, true, "eth0", "fc00::1", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_ADDRESS_ADD, true, "eth0", "fc00::1/64", why), -EEXIST);
        CU_ASSERT_STRING_EQUAL(why, "Error: ipv6: address already assigned.");
        CU_ASSERT_EQUAL(step(&m, NC_STEP_DEFAULT_ROUTE_ADD, false, NULL, "10.5.0.1", why), -ENETUNREACH);
        CU_ASSERT_STRING_EQUAL(why, "Error: Nexthop has invalid gateway.");
        CU_ASSERT_EQUAL(step(&m, NC_STEP_DEFAULT_ROUTE_ADD, true, NULL, "fc05::1", why), -EHOSTUNREACH);
        CU_ASSERT_STRING_EQUAL(why, "RTNETLINK answers: No route to host");
        CU_ASSERT_EQUAL(step(&m, NC_STEP_DEFAULT_ROUTE_ADD, false, NULL, "10.1.0.9", why), 0);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_DEFAULT_ROUTE_ADD, false, NULL, "10.1.0.9", why), -EEXIST);
        CU_ASSERT_EQUAL(step(&m, NC_STEP_DEFAULT_ROUTE_ADD, false, NULL, "172.16.0.1/32", why), -EINVAL);
        CU_ASSERT_STRING_EQUAL(why, "Error: any valid address is expected rather than \"172.16.0.1/32\".");
        nc_net_model_clear(&m);
}

/* The kinds found in `json`, joined by ' ', each with its step's error. */
static void assert_findings(const char *json, const char *expected, int expected_errors) {
        nc_config *config = load_json(json, NC_MODE_STRICT, NULL);
        nc_check_findings findings = { 0 };
        char text[2048] = "";
        int r;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        r = nc_config_check(config, &findings, NULL);
        CU_ASSERT_EQUAL(r, expected_errors);
        for (size_t i = 0; i < findings.n; i++) {
                const nc_check_finding *f = &findings.items[i];
                size_t len = strlen(text);
                snprintf(text + len, sizeof text - len, "%s%s%s%s", len ? " " : "", nc_check_kind_name(f->kind),
                         f->step_error ? ":" : "", f->step_error ? f->step_error : "");
        }
        CU_ASSERT_STRING_EQUAL(text, expected);
        nc_check_findings_clear(&findings);
        nc_config_free(config);
}

static void test_findings(void) {
        assert_findings("{\"a\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\","
                        " \"localAddress\": \"10.0.0.2\"},"
                        " \"b\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\","
                        " \"localAddress\": \"10.0.0.3\"}}",
                        "", 0);
        assert_findings("{\"a\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\","
                        " \"localAddress\": \"10.0.0.2\", \"extraVeths\": {\"ve-b\": {}}},"
                        " \"b\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\","
                        " \"localAddress\": \"10.0.0.2\", \"interfaces\": [\"x\"], \"extraVeths\": {\"x\": {}}}}",
                        "extra-veth-name extra-veth-in-interfaces address-shared:RTNETLINK answers: File exists", 3);
        assert_findings("{\"w\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostBridge\": \"br0\","
                        " \"hostAddress\": \"10.0.8.1\", \"localAddress\": \"10.0.7.2/24\","
                        " \"forwardPorts\": [{\"hostPort\": 80}, {\"hostPort\": 80, \"protocol\": \"udp\"},"
                        " {\"hostPort\": 80}]}}",
                        "subnet-mismatch host-port-shared", 1);
        assert_findings("{\"w\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.5.1/24\","
                        " \"localAddress\": \"10.0.5.2/24\"}}",
                        "route-host-bits:Error: Invalid prefix for given prefix length.", 1);
}

static void test_names(void) {
        CU_ASSERT_STRING_EQUAL(nc_check_kind_name(NC_CHECK_STEP_FAILS), "step-fails");
        CU_ASSERT_PTR_NULL(nc_check_kind_name((nc_check_kind) 99));
        CU_ASSERT_STRING_EQUAL(nc_check_severity_name(NC_CHECK_WARNING), "warning");
        CU_ASSERT_EQUAL(nc_config_check(NULL, NULL, NULL), -EINVAL);
        nc_check_findings_clear(NULL);
}

void nc_test_register_check(void) {
        static const suite_test tests[] = {
                { "the model: links and routes", test_model_routes },
                { "the model: addresses and gateways", test_model_addresses_and_gateways },
                { "findings of small configs", test_findings },
                { "kind and severity names", test_names },
        };

        suite_add("check", tests, ELEMENTSOF(tests));
}
