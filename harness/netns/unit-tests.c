#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "array.h"
#include "nspawn-sim.h"
#include "siphash24.h"
#include "suite.h"
#include "unit-tests.h"

/* The SipHash paper's appendix A: key 00..0f, message 00..0e. */
static void test_siphash24_paper_vector(void) {
        uint8_t key[16], message[15];

        for (int i = 0; i < 16; i++)
                key[i] = (uint8_t) i;
        for (int i = 0; i < 15; i++)
                message[i] = (uint8_t) i;
        CU_ASSERT_EQUAL(siphash24(message, sizeof message, key), UINT64_C(0xa129ca6149be45e5));
}

/* The names the NixOS containers-names test looks for, and one seen from
 * systemd-nspawn 252 for a macvlan. */
static void test_shorten_ifname_vectors(void) {
        static const char *const vectors[][2] = {
                { "ve-really-long-name", "ve-really-l3QgY" },
                { "vb-really-long-name", "vb-really-lE9s9" },
                { "ve-really-long-long-name-2", "ve-really-lFYWO" },
                { "vb-really-long-long-name-2", "vb-really-lJAdS" },
                { "mv-ethverylongnam", "mv-ethverylNKif" },
        };
        char name[NETNS_IFNAMSIZ];

        for (size_t i = 0; i < ELEMENTSOF(vectors); i++) {
                CU_ASSERT_TRUE(nspawn_shorten_ifname(vectors[i][0], name));
                CU_ASSERT_STRING_EQUAL(name, vectors[i][1]);
        }
}

static void test_shorten_ifname_short_names_kept(void) {
        char name[NETNS_IFNAMSIZ];

        CU_ASSERT_FALSE(nspawn_shorten_ifname("ve-web", name));
        CU_ASSERT_STRING_EQUAL(name, "ve-web");
        /* 15 bytes fit; 16 do not. */
        CU_ASSERT_FALSE(nspawn_shorten_ifname("ve-abcdefghijkl", name));
        CU_ASSERT_STRING_EQUAL(name, "ve-abcdefghijkl");
        CU_ASSERT_TRUE(nspawn_shorten_ifname("ve-abcdefghijklm", name));
        CU_ASSERT_EQUAL(strlen(name), 15);
}

static int parse(const char *const *words, nspawn_network *ret) {
        nc_strv argv = { 0 };
        int r = 0;

        for (size_t i = 0; words[i] && r >= 0; i++)
                r = nc_strv_push(&argv, words[i]);
        if (r >= 0)
                r = nspawn_network_parse(&argv, ret);
        nc_strv_clear(&argv);
        return r;
}

static void test_parse_module_argv(void) {
        const char *words[] = { "systemd-nspawn", "--keep-unit", "-M", "web", "-D", "/var/lib/containers/web",
                                "--private-network", "--network-veth", "--port=tcp:80:80", "--network-bridge=br0",
                                "--network-veth-extra=v1", "--network-veth-extra=v2:inner",
                                "--network-interface=eth1", "--network-macvlan=eth2", "--private-users=pick",
                                "--setenv", "HOST_BRIDGE=br0", "--setenv", "PATH=/x", "--setenv=A=b",
                                "/nix/store/x-container-init", "--network-zone=ignored-after-the-init", NULL };
        nspawn_network n;

        CU_ASSERT_EQUAL_FATAL(parse(words, &n), 0);
        CU_ASSERT_STRING_EQUAL(n.machine, "web");
        CU_ASSERT_TRUE(n.private_network);
        CU_ASSERT_TRUE(n.veth);
        CU_ASSERT_STRING_EQUAL(n.bridge, "br0");
        CU_ASSERT_EQUAL(n.extra_host.n, 2);
        CU_ASSERT_STRING_EQUAL(n.extra_container.items[0], "v1");
        CU_ASSERT_STRING_EQUAL(n.extra_container.items[1], "inner");
        CU_ASSERT_STRING_EQUAL(n.interfaces.items[0], "eth1");
        CU_ASSERT_STRING_EQUAL(n.macvlans.items[0], "eth2");
        CU_ASSERT_EQUAL(n.setenv.n, 3);
        CU_ASSERT_STRING_EQUAL(n.setenv.items[2], "A=b");
        CU_ASSERT_PTR_NULL(n.refused);
        nspawn_network_clear(&n);
}

static void test_parse_shared_network(void) {
        const char *words[] = { "systemd-nspawn", "-M", "shared", "--private-users=pick", "--bind-ro", "/a", "/init",
                                NULL };
        nspawn_network n;

        CU_ASSERT_EQUAL_FATAL(parse(words, &n), 0);
        CU_ASSERT_FALSE(n.private_network);
        CU_ASSERT_FALSE(n.veth);
        nspawn_network_clear(&n);
}

/* veth_extra_parse(): an invalid container name falls back to the host
 * name; a third field is refused. */
static void test_parse_veth_extra_rules(void) {
        const char *fallback[] = { "systemd-nspawn", "-M", "a", "--network-veth-extra=vx:bad/name", "/init", NULL };
        const char *three[] = { "systemd-nspawn", "-M", "a", "--network-veth-extra=a:b:c", "/init", NULL };
        nspawn_network n;

        CU_ASSERT_EQUAL_FATAL(parse(fallback, &n), 0);
        CU_ASSERT_STRING_EQUAL(n.extra_container.items[0], "vx");
        nspawn_network_clear(&n);
        CU_ASSERT_EQUAL_FATAL(parse(three, &n), 0);
        CU_ASSERT_PTR_NOT_NULL(n.refused);
        nspawn_network_clear(&n);
}

static void test_veth_host_names(void) {
        nspawn_network n = { .machine = (char *) "really-long-name" };
        char name[NETNS_IFNAMSIZ], *full = NULL;

        nspawn_veth_host_name(&n, name, &full);
        CU_ASSERT_STRING_EQUAL(name, "ve-really-l3QgY");
        CU_ASSERT_STRING_EQUAL(full, "ve-really-long-name");
        free(full);
        n.bridge = (char *) "br0";
        nspawn_veth_host_name(&n, name, &full);
        CU_ASSERT_STRING_EQUAL(name, "vb-really-lE9s9");
        free(full);
        n.machine = (char *) "web";
        nspawn_veth_host_name(&n, name, &full);
        CU_ASSERT_STRING_EQUAL(name, "vb-web");
        CU_ASSERT_PTR_NULL(full);
}

int netns_unit_tests_register(void) {
        static const suite_test hash[] = {
                { "SipHash-2-4 paper vector", test_siphash24_paper_vector },
                { "shortened names (containers-names test vectors)", test_shorten_ifname_vectors },
                { "names under 16 bytes kept", test_shorten_ifname_short_names_kept },
        };
        static const suite_test sim[] = {
                { "the module's argv", test_parse_module_argv },
                { "no private network", test_parse_shared_network },
                { "--network-veth-extra rules", test_parse_veth_extra_rules },
                { "host-side veth names", test_veth_host_names },
        };

        if (suite_add("siphash24", hash, ELEMENTSOF(hash)) < 0 ||
            suite_add("nspawn options", sim, ELEMENTSOF(sim)) < 0)
                return -1;
        return 0;
}
