/* The MAC addresses nspawn gives the links it makes. The namespace tier's
 * simulation leaves them to the kernel (random); nspawn derives them from
 * the machine ID and the machine's name, so that they stay the same from
 * one start to the next. The .net dump leaves MAC addresses out, so no
 * golden can show this: the live tier checks it here, as evidence for what
 * a fix of the simulation has to do. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "live.h"
#include "netns.h"
#include "nspawn-sim.h"
#include "siphash24.h"
#include "text.h"

/* src/nspawn/nspawn-network.c (v252) */
static const uint8_t HOST_HASH_KEY[16] = { 0x1a, 0x37, 0x6f, 0xc7, 0x46, 0xec, 0x45, 0x0b,
                                           0xad, 0xa3, 0xd5, 0x31, 0x06, 0x60, 0x5d, 0xb1 };
static const uint8_t CONTAINER_HASH_KEY[16] = { 0xc3, 0xc4, 0xf9, 0x19, 0xb5, 0x57, 0xb2, 0x1c,
                                                0xe6, 0xcf, 0x14, 0x27, 0x03, 0x9c, 0xee, 0xa2 };
static const uint8_t VETH_EXTRA_HOST_HASH_KEY[16] = { 0x48, 0xc7, 0xf6, 0xb7, 0xea, 0x9d, 0x4c, 0x9e,
                                                      0xb7, 0x28, 0xd4, 0xde, 0x91, 0xd5, 0xbf, 0x66 };
static const uint8_t VETH_EXTRA_CONTAINER_HASH_KEY[16] = { 0xaf, 0x50, 0x17, 0x61, 0xce, 0xf9, 0x4d, 0x35,
                                                           0x84, 0x0d, 0x2b, 0x20, 0x54, 0xbe, 0xce, 0x59 };
static const uint8_t MACVLAN_HASH_KEY[16] = { 0x00, 0x13, 0x6d, 0xbc, 0x66, 0x83, 0x44, 0x81,
                                              0xbb, 0x0c, 0xf9, 0x51, 0x1f, 0x24, 0xa6, 0x6f };

/* generate_mac(): siphash24(machine ID || machine name [|| le64 idx when
 * idx > 0], key); the first six bytes, unicast, locally administered. */
static void generate_mac(const uint8_t id[16], const char *machine, const uint8_t key[16], uint64_t idx,
                         char ret[18]) {
        size_t len = strlen(machine), n = 0;
        uint8_t *buffer = malloc(16 + len + 8), mac[8];
        uint64_t hash;

        if (!buffer) {
                strcpy(ret, "?");
                return;
        }
        memcpy(buffer, id, 16);
        memcpy(buffer + 16, machine, len);
        n = 16 + len;
        if (idx > 0)
                for (int i = 0; i < 8; i++)
                        buffer[n++] = (uint8_t) (idx >> (8 * i));
        hash = siphash24(buffer, n, key);
        for (int i = 0; i < 8; i++)
                mac[i] = (uint8_t) (hash >> (8 * i)); /* htole64 */
        mac[0] = (uint8_t) ((mac[0] & 0xfe) | 0x02);
        snprintf(ret, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        free(buffer);
}

static int machine_id(uint8_t ret[16]) {
        FILE *in = fopen("/etc/machine-id", "re");
        char line[64] = "";
        int r = 0;

        if (!in)
                return -errno;
        if (!fgets(line, sizeof line, in) || strcspn(line, "\n") != 32)
                r = -ENOMEDIUM;
        fclose(in);
        for (int i = 0; r >= 0 && i < 16; i++)
                if (sscanf(line + 2 * i, "%2hhx", &ret[i]) != 1)
                        r = -EINVAL;
        return r;
}

/* The address of `name` in the namespace of `netns_fd`, or NULL. */
static char *address_of(json_t *links, const char *name) {
        json_t *link;
        size_t i;

        json_array_foreach(links, i, link) {
                const char *ifname = json_string_value(json_object_get(link, "ifname"));
                const char *address = json_string_value(json_object_get(link, "address"));
                if (ifname && address && strcmp(ifname, name) == 0)
                        return strdup(address);
        }
        return NULL;
}

static json_t *links_of(int netns_fd) {
        char *out = NULL, *error = NULL;
        json_t *links = NULL;

        if (netns_ip_output(netns_fd, &out, &error, "-j link show") >= 0)
                links = json_loads(out, 0, NULL);
        free(out);
        free(error);
        return links;
}

static void expect(text *differences, unsigned *checked, json_t *links, const char *name, const char *where,
                   const uint8_t id[16], const char *machine, const uint8_t key[16], uint64_t idx) {
        char wanted[18], *got = address_of(links, name);

        generate_mac(id, machine, key, idx, wanted);
        (*checked)++;
        if (!got || strcmp(got, wanted) != 0)
                text_printf(differences, "%s%s %s has %s, generate_mac() gives %s", text_length(differences) ? "; " : "",
                                  where, name, got ? got : "(no such link)", wanted);
        free(got);
}

char *live_check_macs(const nspawn_network *n, int container_fd) {
        json_t *host = NULL, *container = NULL;
        text differences = { 0 };
        unsigned checked = 0;
        uint8_t id[16];
        char *out = NULL;

        if (!n->private_network || container_fd < 0)
                return NULL;
        if (machine_id(id) < 0)
                return strdup("not checked: no machine ID in /etc/machine-id");
        host = links_of(-1);
        container = links_of(container_fd);
        if (!json_is_array(host) || !json_is_array(container)) {
                json_decref(host);
                json_decref(container);
                return strdup("not checked: cannot list the links");
        }
        if (n->veth) {
                char name[NETNS_IFNAMSIZ], *full = NULL;
                nspawn_veth_host_name(n, name, &full);
                free(full);
                expect(&differences, &checked, host, name, "host", id, n->machine, HOST_HASH_KEY, 0);
                /* host0, renamed eth0 by the container-init when it has addresses */
                char *eth0 = address_of(container, "eth0");
                expect(&differences, &checked, container, eth0 ? "eth0" : "host0", "container", id, n->machine,
                       CONTAINER_HASH_KEY, 0);
                free(eth0);
        }
        for (size_t i = 0; i < n->extra_host.n; i++) {
                expect(&differences, &checked, host, n->extra_host.items[i], "host", id, n->machine,
                       VETH_EXTRA_HOST_HASH_KEY, i);
                expect(&differences, &checked, container, n->extra_container.items[i], "container", id, n->machine,
                       VETH_EXTRA_CONTAINER_HASH_KEY, i);
        }
        for (size_t i = 0; i < n->macvlans.n; i++) {
                char *full = NULL, name[NETNS_IFNAMSIZ];
                if (asprintf(&full, "mv-%s", n->macvlans.items[i]) < 0)
                        break;
                nspawn_shorten_ifname(full, name);
                free(full);
                expect(&differences, &checked, container, name, "container", id, n->machine, MACVLAN_HASH_KEY, i);
        }
        json_decref(host);
        json_decref(container);
        if (text_length(&differences))
                out = text_steal(&differences, NULL);
        else if (checked == 0 || asprintf(&out, "as nspawn's generate_mac() (%u link(s))", checked) < 0)
                out = NULL;
        text_free(&differences);
        return out;
}
