/* The kernel rules `nixcontainer check` predicts with (net-model.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "net-model.h"

/* `ip route add` without `metric`: IPv4 0, IPv6 1024 (IP6_RT_PRIO_USER);
 * an address's prefix route: IPv4 0, IPv6 256 (IP6_RT_PRIO_ADDRCONF). */
#define ROUTE_METRIC(family) ((family) == AF_INET6 ? 1024u : 0u)
#define PREFIX_ROUTE_METRIC(family) ((family) == AF_INET6 ? 256u : 0u)

void nc_net_model_clear(nc_net_model *model) {
        for (size_t i = 0; i < model->n_links; i++) {
                free(model->links[i].name);
                free(model->links[i].owner);
        }
        free(model->links);
        free(model->addresses);
        free(model->routes);
        *model = (nc_net_model) { 0 };
}

static nc_model_link *find_link(const nc_net_model *model, const char *name) {
        for (size_t i = 0; name && i < model->n_links; i++)
                if (strcmp(model->links[i].name, name) == 0)
                        return &model->links[i];
        return NULL;
}

static nc_model_link *find_ifindex(const nc_net_model *model, int ifindex) {
        for (size_t i = 0; i < model->n_links; i++)
                if (model->links[i].ifindex == ifindex)
                        return &model->links[i];
        return NULL;
}

const nc_model_link *nc_net_model_link(const nc_net_model *model, const char *name) {
        return find_link(model, name);
}

int nc_net_model_link_add(nc_net_model *model, const char *name, const char *owner, bool up) {
        nc_model_link link = { .ifindex = model->last_ifindex + 1, .up = up };

        if (find_link(model, name))
                return -EEXIST;
        if (NC_GROW(model->links, model->links_capacity, model->n_links + 1, 8) < 0)
                return -ENOMEM;
        link.name = strdup(name);
        link.owner = owner ? strdup(owner) : NULL;
        if (!link.name || (owner && !link.owner)) {
                free(link.name);
                free(link.owner);
                return -ENOMEM;
        }
        model->links[model->n_links++] = link;
        model->last_ifindex = link.ifindex;
        return 0;
}

int nc_net_model_link_delete(nc_net_model *model, const char *name) {
        nc_model_link *link = find_link(model, name);
        size_t kept = 0;
        int ifindex;

        if (!link)
                return -ENODEV;
        if (!link->owner) /* lo: "RTNETLINK answers: Operation not supported" */
                return -EOPNOTSUPP;
        ifindex = link->ifindex;
        free(link->name);
        free(link->owner);
        *link = model->links[--model->n_links];
        for (size_t i = 0; i < model->n_addresses; i++)
                if (model->addresses[i].ifindex != ifindex)
                        model->addresses[kept++] = model->addresses[i];
        model->n_addresses = kept;
        kept = 0;
        for (size_t i = 0; i < model->n_routes; i++)
                if (model->routes[i].ifindex != ifindex)
                        model->routes[kept++] = model->routes[i];
        model->n_routes = kept;
        return 0;
}

static unsigned full_length(int family) {
        return family == AF_INET6 ? 128 : 32;
}

/* Whether the first `prefix_len` bits of a and b agree. */
static bool same_prefix(const uint8_t *a, const uint8_t *b, unsigned prefix_len) {
        unsigned bytes = prefix_len / 8, bits = prefix_len % 8;
        uint8_t mask = (uint8_t) (0xff00u >> bits);

        return memcmp(a, b, bytes) == 0 && (bits == 0 || ((a[bytes] ^ b[bytes]) & mask) == 0);
}

static bool host_bits_set(const nc_ip_prefix *p) {
        for (unsigned i = p->prefix_len; i < p->byte_len * 8; i++)
                if (p->bytes[i / 8] & (0x80u >> (i % 8)))
                        return true;
        return false;
}

/* The route with this destination, prefix and metric (NLM_F_EXCL's test). */
static const nc_model_route *find_route(const nc_net_model *model, const nc_model_route *route) {
        for (size_t i = 0; i < model->n_routes; i++) {
                const nc_model_route *r = &model->routes[i];
                if (r->family == route->family && r->prefix_len == route->prefix_len &&
                    r->metric == route->metric && memcmp(r->dst, route->dst, sizeof r->dst) == 0)
                        return r;
        }
        return NULL;
}

/* Whether a route over a link that is up reaches `address`. */
static bool reachable(const nc_net_model *model, const nc_ip_prefix *address) {
        for (size_t i = 0; i < model->n_routes; i++) {
                const nc_model_route *r = &model->routes[i];
                const nc_model_link *link = find_ifindex(model, r->ifindex);
                if (r->family == address->family && link && link->up &&
                    same_prefix(r->dst, address->bytes, r->prefix_len))
                        return true;
        }
        return false;
}

static int add_route(nc_net_model *model, const nc_model_route *route) {
        if (NC_GROW(model->routes, model->routes_capacity, model->n_routes + 1, 8) < 0)
                return -ENOMEM;
        model->routes[model->n_routes++] = *route;
        return 0;
}

/* The destination of a route to `p`: its first prefix_len bits. */
static nc_model_route route_to(const nc_ip_prefix *p, int ifindex, unsigned metric) {
        nc_model_route route = { .ifindex = ifindex, .family = p->family, .prefix_len = p->prefix_len, .metric = metric };

        for (unsigned i = 0; i < p->prefix_len; i++)
                route.dst[i / 8] |= p->bytes[i / 8] & (0x80u >> (i % 8));
        return route;
}

static int say(char *why, size_t size, int r, const char *format, const char *value) {
        snprintf(why, size, format, value);
        return r;
}

/* get_prefix()/get_addr() failures, in iproute2's words. */
static int parse_error(char *why, size_t size, int family, const char *what, const char *value) {
        snprintf(why, size, "Error: %s %s is expected rather than \"%.200s\".", nc_ip_family_name(family), what, value);
        return -EINVAL;
}

static int run_address_add(nc_net_model *model, const nc_model_link *link, const nc_ip_prefix *p, char *why,
                           size_t size) {
        nc_model_route prefix_route;

        for (size_t i = 0; i < model->n_addresses; i++) {
                const nc_model_address *a = &model->addresses[i];
                if (a->ifindex == link->ifindex && a->prefix.family == p->family &&
                    memcmp(a->prefix.bytes, p->bytes, p->byte_len) == 0 &&
                    (p->family == AF_INET6 || a->prefix.prefix_len == p->prefix_len))
                        return say(why, size, -EEXIST, "%s",
                                   p->family == AF_INET6 ? "Error: ipv6: address already assigned."
                                                         : "Error: ipv4: Address already assigned.");
        }
        if (NC_GROW(model->addresses, model->addresses_capacity, model->n_addresses + 1, 8) < 0)
                return -ENOMEM;
        prefix_route = route_to(p, link->ifindex, PREFIX_ROUTE_METRIC(p->family));
        if (p->prefix_len < full_length(p->family) && !find_route(model, &prefix_route) &&
            add_route(model, &prefix_route) < 0)
                return -ENOMEM;
        model->addresses[model->n_addresses++] = (nc_model_address) { .ifindex = link->ifindex, .prefix = *p };
        return 0;
}

static int run_route_add(nc_net_model *model, const nc_model_link *link, const nc_ip_prefix *p, char *why,
                         size_t size) {
        nc_model_route route = route_to(p, link->ifindex, ROUTE_METRIC(p->family));

        /* fib_table_insert(): "Invalid prefix for given prefix length"; IPv6 masks them. */
        if (p->family == AF_INET && host_bits_set(p))
                return say(why, size, -EINVAL, "%s", "Error: Invalid prefix for given prefix length.");
        if (!link->up)
                return say(why, size, -ENETDOWN, "%s",
                           p->family == AF_INET ? "Error: Device for nexthop is not up."
                                                : "Error: Nexthop device is not up.");
        if (find_route(model, &route))
                return say(why, size, -EEXIST, "%s", "RTNETLINK answers: File exists");
        return add_route(model, &route);
}

static int run_default_route_add(nc_net_model *model, const nc_ip_prefix *gateway, char *why, size_t size) {
        nc_model_route route = { .family = gateway->family, .metric = ROUTE_METRIC(gateway->family) };

        if (!reachable(model, gateway))
                return gateway->family == AF_INET
                               ? say(why, size, -ENETUNREACH, "%s", "Error: Nexthop has invalid gateway.")
                               : say(why, size, -EHOSTUNREACH, "%s", "RTNETLINK answers: No route to host");
        if (find_route(model, &route))
                return say(why, size, -EEXIST, "%s", "RTNETLINK answers: File exists");
        /* Over the link of the route that reaches the gateway. */
        for (size_t i = 0; i < model->n_routes; i++)
                if (model->routes[i].family == gateway->family &&
                    same_prefix(model->routes[i].dst, gateway->bytes, model->routes[i].prefix_len)) {
                        route.ifindex = model->routes[i].ifindex;
                        break;
                }
        return add_route(model, &route);
}

int nc_net_model_run(nc_net_model *model, const nc_step *step, char *why, size_t why_size) {
        int family = step->ipv6 ? AF_INET6 : AF_UNSPEC;
        nc_model_link *link = NULL;
        nc_ip_prefix p;

        /* `ip` parses the value before it looks the link up. */
        switch (step->kind) {
        case NC_STEP_ADDRESS_ADD:
        case NC_STEP_ROUTE_ADD:
                if (nc_ip_parse_prefix(step->value, family, &p) < 0 ||
                    (step->kind == NC_STEP_ADDRESS_ADD && p.byte_len == 0))
                        return parse_error(why, why_size, family, "prefix", step->value);
                if (p.family == AF_UNSPEC) /* "default": iproute_modify() falls back to inet */
                        p = (nc_ip_prefix) { .family = AF_INET, .byte_len = 4 };
                break;
        case NC_STEP_DEFAULT_ROUTE_ADD:
                if (nc_ip_parse_address(step->value, family, &p) < 0 || p.byte_len == 0)
                        return parse_error(why, why_size, family, "address", step->value);
                return run_default_route_add(model, &p, why, why_size);
        default:
                break;
        }
        link = find_link(model, step->dev);
        if (!link)
                return say(why, why_size, -ENODEV, "Cannot find device \"%.200s\"", step->dev);
        switch (step->kind) {
        case NC_STEP_ADDRESS_ADD:
                return run_address_add(model, link, &p, why, why_size);
        case NC_STEP_ROUTE_ADD:
                return run_route_add(model, link, &p, why, why_size);
        case NC_STEP_LINK_RENAME: {
                char *name;
                if (find_link(model, step->value))
                        return say(why, why_size, -EEXIST, "%s", "RTNETLINK answers: File exists");
                if (!(name = strdup(step->value)))
                        return -ENOMEM;
                free(link->name);
                link->name = name;
                return 0;
        }
        case NC_STEP_LINK_UP:
        case NC_STEP_LINK_MASTER_UP: /* the bridge is the host's: taken to exist */
                link->up = true;
                return 0;
        default: /* NC_STEP_LINK_ADDRESS: the loader checked the MAC's form */
                return 0;
        }
}
