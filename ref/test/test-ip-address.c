/* Addresses as iproute2's get_prefix()/get_addr() read them. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "ip-address.h"
#include "unit-helpers.h"
#include "unit-tests.h"

static void check_prefix(const char *text, int family, int want_family, const char *want_address,
                         unsigned want_len) {
        nc_ip_prefix p;
        char shown[64] = "";

        CU_ASSERT_EQUAL_FATAL(nc_ip_parse_prefix(text, family, &p), 0);
        CU_ASSERT_EQUAL(p.family, want_family);
        CU_ASSERT_EQUAL(p.prefix_len, want_len);
        if (p.byte_len)
                inet_ntop(p.family, p.bytes, shown, sizeof shown);
        CU_ASSERT_STRING_EQUAL(shown, want_address);
}

static void test_prefixes(void) {
        check_prefix("10.0.0.1", AF_UNSPEC, AF_INET, "10.0.0.1", 32);
        check_prefix("192.168.0.100/24", AF_UNSPEC, AF_INET, "192.168.0.100", 24);
        check_prefix("fc00::2", AF_UNSPEC, AF_INET6, "fc00::2", 128);
        check_prefix("fc00::2/7", AF_INET6, AF_INET6, "fc00::2", 7);
        /* get_addr_ipv4: strtoul base 0, missing parts are zero */
        check_prefix("10.1", AF_UNSPEC, AF_INET, "10.1.0.0", 32);
        check_prefix("0x0a.0.0.012", AF_UNSPEC, AF_INET, "10.0.0.10", 32);
        /* get_netmask: a dotted mask works too */
        check_prefix("10.0.0.1/255.255.255.0", AF_UNSPEC, AF_INET, "10.0.0.1", 24);
        check_prefix("10.0.0.1/0x10", AF_UNSPEC, AF_INET, "10.0.0.1", 16);
        /* "default" is the zero prefix; with -6 it carries ::, without a family nothing */
        check_prefix("default", AF_INET6, AF_INET6, "::", 0);
        check_prefix("default", AF_UNSPEC, AF_UNSPEC, "", 0);
}

static void test_refused(void) {
        static const struct { const char *text; int family; } cases[] = {
                { "10.0.0.1", AF_INET6 },       /* ip -6 with an IPv4 literal */
                { "fc00::1", AF_INET },
                { "10.0.0.256", AF_UNSPEC },
                { "10.0.0.1/33", AF_UNSPEC },
                { "fc00::1/129", AF_UNSPEC },
                { "10.0.0.1/255.0.255.0", AF_UNSPEC },
                { "default/0", AF_UNSPEC },
                { "10.0.0.1.5", AF_UNSPEC },
                { "garbage", AF_UNSPEC },
                { "", AF_UNSPEC },
                { "-1.0.0.0", AF_UNSPEC },
                { "fc00:::1", AF_UNSPEC },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                nc_ip_prefix p;
                CU_ASSERT_EQUAL(nc_ip_parse_prefix(cases[i].text, cases[i].family, &p), -EINVAL);
        }
}

/* strtoul takes a sign (issue 13, item 2): ip reads +10.0.0.1 as
 * 10.0.0.1 and -0 as 0. */
static void test_signs(void) {
        static const struct {
                const char *text, *address;
                unsigned prefix_len;
        } cases[] = { { "+10.0.0.1", "10.0.0.1", 32 }, { "-0.0.0.5", "0.0.0.5", 32 }, { "10.0.0.1/+24", "10.0.0.1", 24 } };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                check_prefix(cases[i].text, AF_UNSPEC, AF_INET, cases[i].address, cases[i].prefix_len);
}

/* `ip route add any dev D` reads "any" as the route type anycast. */
static void test_route_types(void) {
        CU_ASSERT_TRUE(nc_ip_is_route_type("any"));
        CU_ASSERT_TRUE(nc_ip_is_route_type("uni"));
        CU_ASSERT_TRUE(nc_ip_is_route_type("local"));
        CU_ASSERT_TRUE(nc_ip_is_route_type("+10"));
        CU_ASSERT_FALSE(nc_ip_is_route_type("10"));
        CU_ASSERT_FALSE(nc_ip_is_route_type("+10.0.0.1"));
        CU_ASSERT_FALSE(nc_ip_is_route_type("all"));
        CU_ASSERT_FALSE(nc_ip_is_route_type("default"));
}

static void test_gateway_has_no_prefix(void) {
        nc_ip_prefix p;
        CU_ASSERT_EQUAL(nc_ip_parse_address("10.0.0.1", AF_UNSPEC, &p), 0);
        CU_ASSERT_EQUAL(p.family, AF_INET);
        CU_ASSERT_EQUAL(nc_ip_parse_address("10.0.0.1/24", AF_UNSPEC, &p), -EINVAL);
        CU_ASSERT_EQUAL(nc_ip_parse_address("fc00::1", AF_UNSPEC, &p), 0);
        CU_ASSERT_EQUAL(p.family, AF_INET6);
}

void nc_test_register_ip_address(void) {
        static const suite_test tests[] = {
                { "prefixes as get_prefix reads them", test_prefixes },
                { "what get_prefix refuses", test_refused },
                { "gateways take no prefix", test_gateway_has_no_prefix },
                { "signs, as strtoul reads them", test_signs },
                { "route type words before the destination", test_route_types },
        };

        suite_add("ip addresses", tests, ELEMENTSOF(tests));
}
