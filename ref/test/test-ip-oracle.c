/* Addresses as `ip` itself reads them (issue 13, item 2): a generated
 * corpus of spellings, each given to `ip addr add X dev v0` and `ip route
 * add X dev v0` in a throwaway network namespace (root), compared with the
 * library's parser (nc_ip_parse_prefix) and strict mode (nc_check_address):
 * ip and the parser accept and refuse the same spellings, the kernel then
 * holds the address and prefix length (and routes the destination) that
 * the parser gives, and strict mode
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

/* The destination of v0's one route of `family` after `ip route add`, as
 * `ip -j route show dev v0` prints it ("10.21.0.0/24", "10.0.0.1",
 * "default"). */
static bool kernel_route(int family, char *ret_dst, size_t size) {
        const char *argv[] = { "ip", "-j", family == AF_INET6 ? "-6" : "-4", "route", "show", "dev", "v0", NULL };
        _cleanup_free_ char *out = NULL;
        json_t *root;
        bool ok = false;

        if (run_tool(argv, &out) != 0)
                return false;
        root = json_loads(out, 0, NULL);
        if (json_array_size(root) == 1) {
                snprintf(ret_dst, size, "%s", json_string_value(json_object_get(json_array_get(root, 0), "dst")) ?: "");
                ok = true;
        }
        json_decref(root);
        return ok;
}

/* The same, as the library's reading would show: the zero prefix is
 * "default", a full-length one the bare address; the host bits cleared, as
 * the kernel clears them for IPv6 (and refuses them for IPv4). */
static void route_text(const nc_ip_prefix *p, char *out, size_t size) {
        char address[INET6_ADDRSTRLEN] = "";
        uint8_t network[16] = { 0 };

        if (p->prefix_len == 0) {
                snprintf(out, size, "default");
                return;
        }
        for (unsigned bit = 0; bit < p->prefix_len && bit < p->byte_len * 8; bit++)
                network[bit / 8] |= (uint8_t) (p->bytes[bit / 8] & (0x80 >> (bit % 8)));
        inet_ntop(p->family, network, address, sizeof address);
        if (p->prefix_len == p->byte_len * 8)
                snprintf(out, size, "%s", address);
        else
                snprintf(out, size, "%s/%u", address, p->prefix_len);
}

static size_t differ;

static void report(const char *text, const char *what) {
        if (differ++ < 20)
                fprintf(stderr, "\n  \"%s\": %s", text, what);
}

/* Whether `ip COMMAND TEXT dev v0`, which exited with `status`, read TEXT
 * as the parser does: exit 1 is a value ip could not parse, 255 its usage;
 * 0 or 2 (the kernel's refusal) a value it read. */
static void compare_reading(const char *text, const char *command, int status, bool parsed) {
        char what[160];

        if (status < 0) {
                report(text, "ip could not be run");
                return;
        }
        if ((status == 1 || status == 255) != parsed)
                return;
        snprintf(what, sizeof what, parsed ? "the library reads it, ip %s does not" : "ip %s reads it, the library does not",
                 command);
        report(text, what);
}

/* How a person reads TEXT, independently of the library: the address as
 * inet_pton() reads it (dotted decimal without a sign or leading zeros, or
 * IPv6; also how glibc reads a hosts file line, where the module writes
 * localAddress),
 * then a decimal prefix length or a contiguous dotted netmask; missing: the
 * full length. False when a person would not read it as an address. */
static bool person_reads(const char *text, char *ret_address, size_t size, unsigned *ret_prefix_len) {
        char address[64];
        const char *slash = strchr(text, '/');
        size_t len = slash ? (size_t) (slash - text) : strlen(text);
        uint8_t bytes[16], mask[4];
        int family;

        if (len >= sizeof address)
                return false;
        memcpy(address, text, len);
        address[len] = '\0';
        family = strchr(address, ':') ? AF_INET6 : AF_INET;
        if (inet_pton(family, address, bytes) != 1)
                return false;
        inet_ntop(family, bytes, ret_address, (socklen_t) size);
        *ret_prefix_len = family == AF_INET ? 32 : 128;
        if (!slash)
                return true;
        /* a sign before the length too: /+24 */
        const char *length = slash + 1 + (slash[1] == '+');
        if (length[0] && strspn(length, "0123456789") == strlen(length) && (length[0] != '0' || !length[1])) {
                *ret_prefix_len = (unsigned) strtoul(length, NULL, 10);
                return *ret_prefix_len <= (family == AF_INET ? 32u : 128u);
        }
        if (inet_pton(AF_INET, slash + 1, mask) != 1)
                return false;
        uint32_t m = ((uint32_t) mask[0] << 24) | ((uint32_t) mask[1] << 16) | ((uint32_t) mask[2] << 8) | mask[3];
        *ret_prefix_len = 0;
        while (m & 0x80000000u)
                m <<= 1, ++*ret_prefix_len;
        return m == 0;
}

/* Strict mode accepts a spelling when ip reads it as a person does, and
 * refuses it when ip reads another address or none (a test of its own
 * reading: person_reads() is written apart from the library's). */
static void compare_strict(const char *text, bool kernel_holds, const char *address, unsigned prefix_len) {
        char buf[256], read[INET6_ADDRSTRLEN] = "";
        unsigned read_len = 0;
        bool strict = nc_check_address(text, buf, sizeof buf) == NULL;
        bool as_read = kernel_holds && person_reads(text, read, sizeof read, &read_len) && strcmp(read, address) == 0 &&
                       read_len == prefix_len;

        if (strict && !as_read)
                report(text, "strict mode accepts it, but ip does not read it as written");
        if (!strict && as_read)
                report(text, "ip reads it as written, but strict mode refuses it");
}

/* `ip addr add TEXT dev v0`: ip and the parser read the same spellings,
 * and the kernel then holds the address the parser gives. */
static void compare_address(const char *text, bool parsed, const nc_ip_prefix *p) {
        const char *flush[] = { "ip", "addr", "flush", "dev", "v0", NULL };
        const char *add[] = { "ip", "addr", "add", text, "dev", "v0", NULL };
        static const uint8_t zero[16];
        char ours[INET6_ADDRSTRLEN] = "", theirs[INET6_ADDRSTRLEN] = "", what[160];
        unsigned prefix_len = 0;
        int added;

        run_tool(flush, NULL);
        added = run_tool(add, NULL);
        compare_reading(text, "addr add", added, parsed);
        /* (The kernel keeps 0.0.0.0 with prefix length 0, whatever it is asked.) */
        if (added != 0 || !parsed || p->byte_len == 0 || memcmp(p->bytes, zero, p->byte_len) == 0) {
                if (added != 0)
                        compare_strict(text, false, "", 0);
                return;
        }
        inet_ntop(p->family, p->bytes, ours, sizeof ours);
        bool held = kernel_address(theirs, sizeof theirs, &prefix_len);
        compare_strict(text, held, theirs, prefix_len);
        if (!held || strcmp(ours, theirs) != 0 || prefix_len != p->prefix_len) {
                snprintf(what, sizeof what, "the kernel holds %s/%u, the library reads %s/%u", theirs, prefix_len, ours,
                         p->prefix_len);
                report(text, what);
        }
        run_tool(flush, NULL);
}

/* `ip route add TEXT dev v0`: the same, with the route's destination;
 * "any" (and other route type words) is no destination to ip. */
static void compare_route(const char *text, bool parsed, const nc_ip_prefix *p) {
        const char *flush[] = { "ip", "route", "flush", "dev", "v0", NULL };
        const char *flush6[] = { "ip", "-6", "route", "flush", "dev", "v0", NULL };
        const char *add[] = { "ip", "route", "add", text, "dev", "v0", NULL };
        char theirs[INET6_ADDRSTRLEN + 8] = "", ours[INET6_ADDRSTRLEN + 8], what[160];
        int routed;

        parsed = parsed && !nc_ip_is_route_type(text);
        run_tool(flush, NULL);
        run_tool(flush6, NULL);
        routed = run_tool(add, NULL);
        compare_reading(text, "route add", routed, parsed);
        if (routed != 0 || !parsed || p->family == AF_UNSPEC)
                return;
        route_text(p, ours, sizeof ours);
        if (!kernel_route(p->family, theirs, sizeof theirs) || strcmp(theirs, ours) != 0) {
                snprintf(what, sizeof what, "the kernel routes %s, the library reads %s", theirs, ours);
                report(text, what);
        }
}

static void compare(const char *text) {
        nc_ip_prefix p = { 0 };
        bool parsed = nc_ip_parse_prefix(text, AF_UNSPEC, &p) == 0;

        compare_address(text, parsed, &p);
        compare_route(text, parsed, &p);
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
        const char *up[] = { "ip", "link", "set", "v0", "up", NULL };
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
        /* Up (without a carrier: no link-local address, no prefix route)
         * so that the kernel takes routes through it. */
        CU_ASSERT_EQUAL(run_tool(up, NULL), 0);
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
        static const suite_test tests[] = {
                { "a generated corpus: as ip addr add and ip route add read it", test_agrees_with_ip },
        };

        suite_add("ip addresses against ip", tests, ELEMENTSOF(tests));
}
