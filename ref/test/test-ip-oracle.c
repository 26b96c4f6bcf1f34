/* Addresses as `ip` itself reads them (issue 13, item 2): a generated
 * corpus of spellings, each given to `ip addr add X dev v0` and `ip route
 * add X dev v0` in a throwaway network namespace (root), compared with the
 * library's parser (nc_ip_parse_prefix) and strict mode (nc_check_address):
 * ip and the parser accept and refuse the same spellings, the kernel then
 * holds the address and prefix length the parser gives, and strict mode
 * accepts nothing ip refuses. `ip` exits 1 when it cannot parse its
 * arguments and 2 when the kernel refuses the request. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <jansson.h>

#include "ip-address.h"
#include "unit-helpers.h"
#include "unit-tests.h"
#include "validate.h"

/* What the kernel holds on v0 after `ip addr add`: its one address and
 * prefix length, from `ip -j addr show dev v0`. */
static bool kernel_address(char *ret_local, size_t size, unsigned *ret_prefix_len) {
        const char *argv[] = { "ip", "-j", "addr", "show", "dev", "v0", NULL };
        _cleanup_free_ char *out = NULL;
        json_t *root, *info;
        bool ok = false;

        if (run_tool(argv, &out) != 0)
                return false;
        root = json_loads(out, 0, NULL);
        info = json_object_get(json_array_get(root, 0), "addr_info");
        if (json_array_size(info) == 1) {
                json_t *a = json_array_get(info, 0);
                snprintf(ret_local, size, "%s", json_string_value(json_object_get(a, "local")) ?: "");
                *ret_prefix_len = (unsigned) json_integer_value(json_object_get(a, "prefixlen"));
                ok = true;
        }
        json_decref(root);
        return ok;
}

static size_t differ;

static void report(const char *text, const char *what) {
        if (differ++ < 20)
                fprintf(stderr, "\n  \"%s\": %s", text, what);
}

static void compare(const char *text) {
        const char *flush[] = { "ip", "addr", "flush", "dev", "v0", NULL };
        const char *add[] = { "ip", "addr", "add", text, "dev", "v0", NULL };
        const char *route[] = { "ip", "route", "add", text, "dev", "v0", NULL };
        char buf[256], ours[INET6_ADDRSTRLEN] = "", theirs[INET6_ADDRSTRLEN] = "";
        nc_ip_prefix p;
        unsigned prefix_len = 0;
        bool parsed = nc_ip_parse_prefix(text, AF_UNSPEC, &p) == 0;
        bool routed_parsed = parsed && !nc_ip_is_route_type(text);
        static const uint8_t zero[16];
        bool strict = nc_check_address(text, buf, sizeof buf) == NULL;
        int added, routed;

        run_tool(flush, NULL);
        added = run_tool(add, NULL);
        routed = run_tool(route, NULL);
        if (added < 0 || routed < 0) {
                report(text, "ip could not be run");
                return;
        }
        /* 1: ip could not parse its arguments; 255: it printed its usage */
        if ((added == 1 || added == 255) == parsed)
                report(text, parsed ? "the library reads it, ip addr add does not" : "ip addr add reads it, the library does not");
        if ((routed == 1 || routed == 255) == routed_parsed)
                report(text, routed_parsed ? "the library reads it, ip route add does not"
                                           : "ip route add reads it, the library does not");
        if (strict && added != 0)
                report(text, "strict mode accepts it, ip addr add fails");
        /* (The kernel keeps 0.0.0.0 with prefix length 0, whatever it is asked.) */
        if (added == 0 && parsed && p.byte_len > 0 && memcmp(p.bytes, zero, p.byte_len) != 0) {
                inet_ntop(p.family, p.bytes, ours, sizeof ours);
                if (!kernel_address(theirs, sizeof theirs, &prefix_len) || strcmp(ours, theirs) != 0 ||
                    prefix_len != p.prefix_len) {
                        char what[160];
                        snprintf(what, sizeof what, "the kernel holds %s/%u, the library reads %s/%u", theirs, prefix_len,
                                 ours, p.prefix_len);
                        report(text, what);
                }
        }
}

static const char *const parts[] = {
        "10", "0", "1", "255", "256", "010", "08", "0x0a", "0X1f", "+10", "-0", "-1", " 10", "", "a", "4294967306",
};
static const char *const prefixes[] = {
        "", "/24", "/0", "/32", "/33", "/024", "/0x18", "/+24", "/-0", "/ 24", "/255.255.255.0", "/255.255.0.0",
        "/255.0.255.0", "/0.0.0.0", "/255.255.255.255", "/abc", "/", "/24x", "/0xffffffff",
};
static const char *const whole[] = {
        "default", "all", "any", "10.0.0.1.5", "10", "10.1", "10.0.1", "1.2.3.4/24/8", "fc00::2", "fc00::2/64",
        "fc00::2/0x40", "fc00::2/129", "fc00::2/255.255.255.0", "fc00:::2", "::ffff:10.0.0.1", "fe80::1%v0",
        "10.0.0.1:80", "web.example", "+fc00::2", "+10", "local", "uni", "throw", "0x10", "-0",
};

static void test_agrees_with_ip(void) {
        const char *seed_text = getenv("NC_TEST_SEED");
        unsigned seed = seed_text ? (unsigned) strtoul(seed_text, NULL, 10)
                                  : (unsigned) time(NULL) ^ (unsigned) getpid();
        const char *veth[] = { "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1", NULL };
        char text[128];
        int host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

        /* The test process itself moves into a new namespace and back. */
        CU_ASSERT_TRUE_FATAL(host >= 0);
        if (unshare(CLONE_NEWNET) < 0) {
                close(host);
                CU_FAIL_FATAL("ip as the oracle needs root (a network namespace of its own)");
        }
        differ = 0;
        printf("\n  ip corpus: seed %u (NC_TEST_SEED=%u replays it)\n", seed, seed);
        CU_ASSERT_EQUAL(run_tool(veth, NULL), 0);
        for (size_t i = 0; i < ELEMENTSOF(whole); i++)
                compare(whole[i]);
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++) {
                snprintf(text, sizeof text, "10.21.0.2%s", prefixes[i]);
                compare(text);
        }
        /* Each spelling of a part, first and last. */
        for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
                snprintf(text, sizeof text, "%s.0.0.1", parts[i]);
                compare(text);
                snprintf(text, sizeof text, "10.0.0.%s", parts[i]);
                compare(text);
        }
        srand(seed);
        for (int i = 0; i < 60; i++) {
                size_t n = 1 + (size_t) rand() % 4;
                int len = 0;
                for (size_t j = 0; j < n; j++)
                        len += snprintf(text + len, sizeof text - (size_t) len, "%s%s", j ? "." : "",
                                        parts[(size_t) rand() % ELEMENTSOF(parts)]);
                snprintf(text + len, sizeof text - (size_t) len, "%s", prefixes[(size_t) rand() % ELEMENTSOF(prefixes)]);
                compare(text);
        }
        CU_ASSERT_EQUAL(setns(host, CLONE_NEWNET), 0);
        close(host);
        CU_ASSERT_EQUAL(differ, 0);
}

void nc_test_register_ip_oracle(void) {
        static const nc_test_case tests[] = {
                { "a generated corpus: as ip addr add and ip route add read it", test_agrees_with_ip },
        };

        nc_test_add_suite("ip addresses against ip", tests, ELEMENTSOF(tests));
}
