/* Placeholder until the netlink implementation lands. */
#include <errno.h>

#include "error.h"

int nc_netlink_open(nc_netlink **ret_netlink, nc_error *error) {
        (void) ret_netlink;
        return nc_error_set(error, -ENOSYS, "netlink: not implemented yet");
}

void nc_netlink_free(nc_netlink *netlink) {
        (void) netlink;
}

int nc_host_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        return nc_error_set(error, -ENOSYS, "host-setup: not implemented yet");
}

int nc_init_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        return nc_error_set(error, -ENOSYS, "init-setup: not implemented yet");
}

int nc_prestart(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                const nc_prestart_request *request, nc_error *error) {
        return nc_error_set(error, -ENOSYS, "prestart: not implemented yet");
}
