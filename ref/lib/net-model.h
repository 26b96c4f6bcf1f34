/* A small model of one network namespace and the kernel rules the module's
 * `ip` steps run into: links by name, addresses, routes of the main table.
 * `nixcontainer check` runs the containers' plans against it in start
 * order to predict the step that will fail and what iproute2 will print.
 *
 * What it models (each rule checked against `ip` in a throwaway network
 * namespace, harness/check/): a missing link ("Cannot find device"); a
 * link renamed onto a taken name, a duplicate route (same destination,
 * prefix and metric) and a duplicate address (IPv4: same address and
 * prefix; IPv6: same address) as EEXIST; an IPv4 route whose address has
 * host bits set (EINVAL), while IPv6 masks them; a route over a link that
 * is down (ENETDOWN); a default route whose gateway no route reaches
 * (IPv4 ENETUNREACH, IPv6 EHOSTUNREACH); the prefix route an address with
 * a prefix brings (IPv4 metric 0, IPv6 256; `ip route add` uses 0 and
 * 1024). What it does not: the host's own links, bridges and routes (a
 * hostBridge is taken to exist), the local table, link-local addresses.
 * A name nspawn shortens keeps the full one as an altname, so links are
 * known by the name the scripts use. */
#ifndef NC_NET_MODEL_H
#define NC_NET_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ip-address.h"
#include "net-plan.h"

typedef struct nc_model_link {
        char *name;
        char *owner; /* the container whose start made it; NULL: the namespace's own (lo) */
        int ifindex;
        bool up;
} nc_model_link;

typedef struct nc_model_address {
        int ifindex;
        nc_ip_prefix prefix;
} nc_model_address;

typedef struct nc_model_route {
        int ifindex;
        int family;
        uint8_t dst[16];
        unsigned prefix_len;
        unsigned metric;
} nc_model_route;

typedef struct nc_net_model {
        nc_model_link *links;
        size_t n_links, links_capacity;
        nc_model_address *addresses;
        size_t n_addresses, addresses_capacity;
        nc_model_route *routes;
        size_t n_routes, routes_capacity;
        int last_ifindex;
} nc_net_model;

/* Frees what the model holds and leaves it empty ({ 0 }). */
void nc_net_model_clear(nc_net_model *model);
/* The link called `name`, or NULL. */
const nc_model_link *nc_net_model_link(const nc_net_model *model, const char *name);
/* Creates a link (down) owned by `owner` (may be NULL). Returns 0; -EEXIST
 * when the name is taken; -ENOMEM. */
int nc_net_model_link_add(nc_net_model *model, const char *name, const char *owner, bool up);
/* Deletes the link called `name` with its addresses and routes, as `ip
 * link del dev NAME` does. Returns 0; -ENODEV when there is none;
 * -EOPNOTSUPP for the namespace's own (lo). */
int nc_net_model_link_delete(nc_net_model *model, const char *name);
/* Runs one step. Returns 0, -ENOMEM, or the -errno the kernel (or `ip`
 * itself) fails it with, and then writes into `why` (`why_size` bytes)
 * what iproute2 prints ("Error: Invalid prefix for given prefix length.",
 * "RTNETLINK answers: File exists"). On failure the model is unchanged. */
int nc_net_model_run(nc_net_model *model, const nc_step *step, char *why, size_t why_size);

#endif
