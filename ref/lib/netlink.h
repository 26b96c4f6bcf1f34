/* The library's route netlink requests. netlink.c is the only file that
 * calls libnl, and the only place where libnl's -NLE_* codes become
 * -errno. Requests are built as iproute2 builds them, so that the kernel
 * sees the same messages as from `ip`. */
#ifndef NC_NETLINK_H
#define NC_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "ip-address.h"
#include "nixcontainer.h"

/* The socket a script runs on: *netlink when the caller gave one, else a
 * new one (nc_netlink_open(): CAP_NET_ADMIN checked), stored in *netlink
 * and in *ret_own for the caller to free with nc_netlink_free(). Returns 0,
 * or nc_netlink_open()'s -errno with `error` filled and nothing changed. */
int nc_netlink_open_unless_given(nc_netlink **netlink, nc_netlink **ret_own, nc_error *error);

/* After a failed request: the kernel's extended ACK text, or "" when it
 * sent none. */
const char *nc_nl_kernel_message(const nc_netlink *nl);

typedef struct nc_nl_link {
        int ifindex;
        unsigned flags; /* IFF_* */
        uint32_t group;
        char kind[16];  /* IFLA_INFO_KIND ("veth", "dummy", ...); "" for a link without one (lo, hardware) */
} nc_nl_link;

/* RTM_GETLINK by IFLA_IFNAME, or IFLA_ALT_IFNAME for a name longer than
 * IFNAMSIZ-1, as iproute2's ll_name_to_index() asks; the kernel matches
 * names and altnames. -ENODEV when there is none. */
int nc_nl_link_get(nc_netlink *nl, const char *name, nc_nl_link *ret);

typedef struct nc_nl_link_settings {
        const char *new_name; /* IFLA_IFNAME, or NULL */
        int master_ifindex;   /* IFLA_MASTER when > 0 */
        bool set_up;          /* IFF_UP in ifi_flags and ifi_change */
        bool set_group;
        uint32_t group;       /* IFLA_GROUP */
        const uint8_t *address; /* IFLA_ADDRESS (the link-layer address), or NULL */
        size_t address_len;
} nc_nl_link_settings;

/* RTM_NEWLINK on an existing link, as `ip link set` sends it. */
int nc_nl_link_change(nc_netlink *nl, int ifindex, const nc_nl_link_settings *change);

/* RTM_DELLINK by index; or, with ifindex 0, every link in `group` at once
 * (the kernel unregisters them in one batch). */
int nc_nl_link_delete(nc_netlink *nl, int ifindex, uint32_t group);

/* Collects the IFLA_GROUP of every link (a dump), for picking an unused one. */
int nc_nl_link_groups(nc_netlink *nl, uint32_t **ret_groups, size_t *ret_n);

/* One request of a batch: nc_nl_link_change() (change != NULL) or
 * nc_nl_link_delete(). */
typedef struct nc_nl_request {
        int ifindex;
        const nc_nl_link_settings *change;
        uint32_t group; /* for a deletion by group (ifindex 0) */
} nc_nl_request;

/* Sends the `n` requests in one sendmsg(): the kernel carries them all
 * out within that system call, in order, each after whatever became of the
 * ones before (a refusal does not stop the rest), so that a process killed
 * at any point has had all of them or none. Then reads the answers:
 * ret_errors[i] is 0 or the -errno of request i. Returns 0; or -errno when
 * the batch could not be sent (nothing done) or its answers not read (all
 * done; ret_errors[] unknown, -EIO). */
int nc_nl_batch(nc_netlink *nl, const nc_nl_request *requests, size_t n, int *ret_errors);

/* RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL, IFA_LOCAL = IFA_ADDRESS, scope
 * as iproute2's default_scope(), as `ip addr add P dev D` sends it.
 * `prefix` NULL: `ip addr add dev D`, a request of `family` without an
 * address (the kernel refuses it); `family` is unused otherwise. */
int nc_nl_address_add(nc_netlink *nl, int ifindex, int family, const nc_ip_prefix *prefix);

/* RTM_NEWROUTE with NLM_F_CREATE|NLM_F_EXCL in table main, protocol boot,
 * type unicast, scope link without a gateway (IPv4), universe otherwise, as
 * `ip route add DST [via GW] [dev D]` sends it. `gateway` and `ifindex`
 * (0) are optional. */
int nc_nl_route_add(nc_netlink *nl, int family, const nc_ip_prefix *dst, const nc_ip_prefix *gateway, int ifindex);

#endif
