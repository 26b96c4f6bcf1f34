/* The network part of containerInit (nixos-containers.nix): the container
 * side, run by the container's PID 1 before stage 2. */
#include <errno.h>

#include "alloc-util.h"
#include "error.h"
#include "init-setup.h"
#include "option-table.h"
#include "script-env.h"

int nc_plan_init_setup(nc_plan *plan, const nc_container *container, const nc_env *env) {
        int r;

        /* 26.05 sets the MAC address: LOCAL_MAC_ADDRESS joins the trigger
         * list, and `ip link set dev eth0 address "$LOCAL_MAC_ADDRESS"`
         * comes before eth0 goes up. */
        bool mac = nc_option_find(&nc_network_options, "localMacAddress", nc_container_release(container)->id) != NULL;
        const char *mac_address = mac ? nc_script_var(env, "LOCAL_MAC_ADDRESS") : "";

        /* HOST_BRIDGE counts here, unlike in the start script: a bridged
         * container without addresses still gets its eth0 up. */
        if (nc_script_any_address(env) || nc_script_var(env, "HOST_BRIDGE")[0] || mac_address[0]) {
                const char *host = nc_script_var(env, "HOST_ADDRESS"), *host6 = nc_script_var(env, "HOST_ADDRESS6");
                /* ip addr add $LOCAL_ADDRESS dev eth0, ...: unquoted expansions,
                 * each step only when its variable is set. */
                const struct {
                        nc_step_kind kind;
                        bool ipv6;
                        const char *value;
                } steps[] = {
                        { NC_STEP_ADDRESS_ADD, false, nc_script_var(env, "LOCAL_ADDRESS") },
                        { NC_STEP_ADDRESS_ADD, true, nc_script_var(env, "LOCAL_ADDRESS6") },
                        /* ip route add $HOST_ADDRESS dev eth0; ip route add default via $HOST_ADDRESS */
                        { NC_STEP_ROUTE_ADD, false, host },
                        { NC_STEP_DEFAULT_ROUTE_ADD, false, host },
                        { NC_STEP_ROUTE_ADD, true, host6 },
                        { NC_STEP_DEFAULT_ROUTE_ADD, true, host6 },
                };

                /* ip link set host0 name eth0; ip link set dev eth0 up */
                if ((r = nc_plan_add(plan, NC_STEP_LINK_RENAME, false, "host0", "eth0")) < 0 ||
                    (mac_address[0] && (r = nc_plan_add(plan, NC_STEP_LINK_ADDRESS, false, "eth0", mac_address)) < 0) ||
                    (r = nc_plan_add(plan, NC_STEP_LINK_UP, false, "eth0", NULL)) < 0)
                        return r;
                for (size_t i = 0; i < ELEMENTSOF(steps); i++) {
                        const char *dev = steps[i].kind == NC_STEP_DEFAULT_ROUTE_ADD ? NULL : "eth0";
                        if (steps[i].value[0] &&
                            (r = nc_plan_add_resolved(plan, steps[i].kind, steps[i].ipv6, env, dev, NC_VALUE_LITERAL,
                                                      steps[i].value, NC_VALUE_EXPANDED)) < 0)
                                return r;
                }
        }
        /* The extra veths come after the if, whatever the addresses. */
        return nc_plan_extra_veths(plan, container, env, NC_PLAN_CONTAINER);
}

int nc_init_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        return nc_plan_build_and_run(netlink, nc_plan_init_setup, "init-setup", container, env, error);
}
