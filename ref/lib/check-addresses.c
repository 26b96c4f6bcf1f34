/* Addresses and ports that two definitions claim, and host and local
 * addresses that do not share the prefix one of them gives. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "check-internal.h"
#include "ip-address.h"

/* One address option of one container: its main network's or an extraVeth's. */
typedef struct address_use {
        const nc_container *container;
        const char *veth; /* NULL: the container's own */
        const char *option; /* "localAddress", ... */
        const char *value;
        bool local;
        nc_ip_prefix prefix;
} address_use;

typedef struct address_uses {
        address_use *items;
        size_t n, capacity;
} address_uses;

static int add_option(nc_check_finding *f, const address_use *u) {
        return u->veth ? nc_check_add_option(f, u->container->name, "extraVeths.%s.%s", u->veth, u->option)
                       : nc_check_add_option(f, u->container->name, "%s", u->option);
}

static int collect(address_uses *uses, const nc_container *c, const char *veth, const nc_network *n) {
        const struct {
                const char *option, *value;
                bool local;
        } options[] = {
                { "hostAddress", n->host_address, false },
                { "hostAddress6", n->host_address6, false },
                { "localAddress", n->local_address, true },
                { "localAddress6", n->local_address6, true },
        };

        for (size_t i = 0; i < ELEMENTSOF(options); i++) {
                address_use u = { c, veth, options[i].option, options[i].value, options[i].local, { 0 } };
                /* A value `ip` would not read is another step's failure (check-start.c). */
                if (!options[i].value || nc_ip_parse_prefix(options[i].value, AF_UNSPEC, &u.prefix) < 0 ||
                    u.prefix.byte_len == 0)
                        continue;
                if (NC_GROW(uses->items, uses->capacity, uses->n + 1, 16) < 0)
                        return -ENOMEM;
                uses->items[uses->n++] = u;
        }
        return 0;
}

static bool same_address(const address_use *a, const address_use *b) {
        return a->prefix.family == b->prefix.family && memcmp(a->prefix.bytes, b->prefix.bytes, a->prefix.byte_len) == 0;
}

/* Each address used as a localAddress and once more (but one
 * hostAddress in many containers): one finding with every use. */
static int shared(const address_uses *uses, nc_check_findings *findings) {
        for (size_t i = 0; i < uses->n; i++) {
                const address_use *first = &uses->items[i];
                bool seen = false, local = first->local;
                size_t count = 1;
                nc_check_finding *f;

                for (size_t j = 0; j < uses->n; j++)
                        if (j != i && same_address(first, &uses->items[j])) {
                                seen = seen || j < i;
                                local = local || uses->items[j].local;
                                count++;
                        }
                if (seen || count < 2 || !local)
                        continue;
                f = nc_check_add(findings, NC_CHECK_ADDRESS_SHARED, NC_CHECK_ERROR,
                                 "address %.*s is given %zu times: one container's routes and addresses lead to "
                                 "the other, or the second `ip route add` fails",
                                 (int) strcspn(first->value, "/"), first->value, count);
                if (!f)
                        return -ENOMEM;
                for (size_t j = i; j < uses->n; j++)
                        if (same_address(first, &uses->items[j]) && add_option(f, &uses->items[j]) < 0)
                                return -ENOMEM;
        }
        return 0;
}

/* The prefix `a` gives (a length shorter than the address's), and `b`
 * outside it. */
static bool outside(const address_use *a, const address_use *b) {
        unsigned len = a->prefix.prefix_len;

        if (!a->prefix.prefix_given || len >= a->prefix.byte_len * 8 || a->prefix.family != b->prefix.family)
                return false;
        for (unsigned bit = 0; bit < len; bit++) {
                unsigned mask = 0x80u >> (bit % 8);
                if ((a->prefix.bytes[bit / 8] & mask) != (b->prefix.bytes[bit / 8] & mask))
                        return true;
        }
        return false;
}

/* hostAddress and localAddress (and the 6 pair) of one network. */
static int subnets(const address_uses *uses, nc_check_findings *findings) {
        for (size_t i = 0; i < uses->n; i++)
                for (size_t j = 0; j < uses->n; j++) {
                        const address_use *host = &uses->items[i], *local = &uses->items[j];
                        nc_check_finding *f;

                        if (host->local || !local->local || host->container != local->container ||
                            host->veth != local->veth || host->prefix.family != local->prefix.family ||
                            !(outside(host, local) || outside(local, host)))
                                continue;
                        f = nc_check_add(findings, NC_CHECK_SUBNET_MISMATCH, NC_CHECK_WARNING,
                                         "%s and %s are not in one subnet: the prefix given puts the other "
                                         "address outside it, reached only by the module's host route",
                                         host->value, local->value);
                        if (!f || add_option(f, host) < 0 || add_option(f, local) < 0)
                                return -ENOMEM;
                }
        return 0;
}

int nc_check_addresses(const nc_config *config, nc_check_findings *findings) {
        _cleanup_free_ address_use *items = NULL;
        address_uses uses = { 0 };
        int r = 0;

        for (size_t i = 0; r >= 0 && i < config->n_containers; i++) {
                const nc_container *c = &config->containers[i];
                r = collect(&uses, c, NULL, &c->network);
                for (size_t v = 0; r >= 0 && v < c->n_extra_veths; v++)
                        r = collect(&uses, c, c->extra_veths[v].name, &c->extra_veths[v].network);
        }
        items = uses.items;
        if (r >= 0)
                r = shared(&uses, findings);
        if (r >= 0)
                r = subnets(&uses, findings);
        return r;
}

/* systemd-nspawn's --port=PROTOCOL:HOSTPORT:CONTAINERPORT, for each
 * forwardPorts entry of a container: one host port, one destination. */
typedef struct port_use {
        const nc_container *container;
        const nc_forward_port *port;
} port_use;

static bool same_port(const port_use *a, const port_use *b) {
        return a->port->host_port == b->port->host_port && strcmp(a->port->protocol, b->port->protocol) == 0;
}

int nc_check_host_ports(const nc_config *config, nc_check_findings *findings) {
        _cleanup_free_ port_use *uses = NULL;
        size_t n = 0, capacity = 0;

        for (size_t i = 0; i < config->n_containers; i++)
                for (size_t p = 0; p < config->containers[i].network.n_forward_ports; p++) {
                        if (NC_GROW(uses, capacity, n + 1, 16) < 0)
                                return -ENOMEM;
                        uses[n++] = (port_use) { &config->containers[i], &config->containers[i].network.forward_ports[p] };
                }
        for (size_t i = 0; i < n; i++) {
                nc_check_finding *f = NULL;
                bool first = true;

                for (size_t j = 0; j < i; j++)
                        first = first && !same_port(&uses[i], &uses[j]);
                for (size_t j = i + 1; first && j < n; j++) {
                        if (!same_port(&uses[i], &uses[j]))
                                continue;
                        if (!f && !(f = nc_check_add(findings, NC_CHECK_HOST_PORT_SHARED, NC_CHECK_ERROR,
                                                     "host port %s %lld is forwarded more than once: one "
                                                     "forward hides the other", uses[i].port->protocol,
                                                     uses[i].port->host_port)))
                                return -ENOMEM;
                        if (nc_check_add_option(f, uses[i].container->name, "forwardPorts") < 0 ||
                            nc_check_add_option(f, uses[j].container->name, "forwardPorts") < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}
