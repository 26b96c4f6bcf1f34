/* A what-if for row 2, never used for the ref's own rows: the ref with its
 * name lookups done by SIOCGIFINDEX rather than RTM_GETLINK. The kernel
 * answers RTM_GETLINK for a veth whose peer is in another namespace with
 * IFLA_LINK_NETNSID, which it finds by scanning the namespace's table of
 * peer namespace ids (one per container on a host); SIOCGIFINDEX only
 * looks the name up. Linked through -Wl,--wrap=nc_nl_link_get. */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "bench.h"
#include "netlink.h"

int __real_nc_nl_link_get(nc_netlink *nl, const char *name, nc_nl_link *ret);
int __wrap_nc_nl_link_get(nc_netlink *nl, const char *name, nc_nl_link *ret);

bool whatif_ioctl_lookup;

int __wrap_nc_nl_link_get(nc_netlink *nl, const char *name, nc_nl_link *ret) {
        unsigned ifindex;

        if (!whatif_ioctl_lookup || strlen(name) >= IFNAMSIZ)
                return __real_nc_nl_link_get(nl, name, ret);
        ifindex = if_nametoindex(name);
        if (ifindex == 0)
                return errno == ENODEV || errno == ENXIO ? -ENODEV : -errno;
        *ret = (nc_nl_link) { .ifindex = (int) ifindex };
        return 0;
}
