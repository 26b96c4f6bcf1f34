/* The network part of containerInit (nixos-containers.nix): the container
 * side, run by the container's PID 1 before stage 2. */
#include <errno.h>

#include "error.h"
#include "net-plan.h"

#define SCRIPT NC_VALUE_SCRIPT
#define EXPANDED NC_VALUE_EXPANDED
#define LITERAL NC_VALUE_LITERAL

#define var nc_plan_var

/* renderExtraVeth: up, local addresses, routes to the host addresses; no
 * default route. Names and values are pasted into the script. */
static int plan_extra_veth(nc_plan *plan, const nc_env *env, const nc_extra_veth *veth) {
        const nc_network *n = &veth->network;
        const char *name = veth->name;
        int r;

        if ((r = nc_plan_add_resolved(plan, NC_STEP_LINK_UP, false, env, name, SCRIPT, NULL, LITERAL)) < 0)
                return r;
        if (n->local_address &&
            (r = nc_plan_add_resolved(plan, NC_STEP_ADDRESS_ADD, false, env, name, SCRIPT, n->local_address, SCRIPT)) < 0)
                return r;
        if (n->local_address6 &&
            (r = nc_plan_add_resolved(plan, NC_STEP_ADDRESS_ADD, true, env, name, SCRIPT, n->local_address6, SCRIPT)) < 0)
                return r;
        if (n->host_address &&
            (r = nc_plan_add_resolved(plan, NC_STEP_ROUTE_ADD, false, env, name, SCRIPT, n->host_address, SCRIPT)) < 0)
                return r;
        if (n->host_address6)
                r = nc_plan_add_resolved(plan, NC_STEP_ROUTE_ADD, true, env, name, SCRIPT, n->host_address6, SCRIPT);
        return r;
}

static int add_eth0(nc_plan *plan, const nc_env *env, nc_step_kind kind, bool ipv6, const char *value) {
        /* ip addr add $LOCAL_ADDRESS dev eth0 -- an unquoted expansion */
        return nc_plan_add_resolved(plan, kind, ipv6, env, "eth0", LITERAL, value, EXPANDED);
}

int nc_plan_init_setup(nc_plan *plan, const nc_container *c, const nc_env *env) {
        const char *host = var(env, "HOST_ADDRESS"), *host6 = var(env, "HOST_ADDRESS6");
        const char *local = var(env, "LOCAL_ADDRESS"), *local6 = var(env, "LOCAL_ADDRESS6");
        int r = 0;

        /* HOST_BRIDGE counts here, unlike in the start script: a bridged
         * container without addresses still gets its eth0 up. */
        if (host[0] || host6[0] || local[0] || local6[0] || var(env, "HOST_BRIDGE")[0]) {
                /* ip link set host0 name eth0; ip link set dev eth0 up */
                if ((r = nc_plan_add(plan, NC_STEP_LINK_RENAME, false, "host0", "eth0")) < 0 ||
                    (r = nc_plan_add(plan, NC_STEP_LINK_UP, false, "eth0", NULL)) < 0)
                        return r;
                if (local[0] && (r = add_eth0(plan, env, NC_STEP_ADDRESS_ADD, false, local)) < 0)
                        return r;
                if (local6[0] && (r = add_eth0(plan, env, NC_STEP_ADDRESS_ADD, true, local6)) < 0)
                        return r;
                /* ip route add $HOST_ADDRESS dev eth0; ip route add default via $HOST_ADDRESS */
                if (host[0] && ((r = add_eth0(plan, env, NC_STEP_ROUTE_ADD, false, host)) < 0 ||
                                (r = nc_plan_add_resolved(plan, NC_STEP_DEFAULT_ROUTE_ADD, false, env, NULL, LITERAL,
                                                          host, EXPANDED)) < 0))
                        return r;
                if (host6[0] && ((r = add_eth0(plan, env, NC_STEP_ROUTE_ADD, true, host6)) < 0 ||
                                 (r = nc_plan_add_resolved(plan, NC_STEP_DEFAULT_ROUTE_ADD, true, env, NULL, LITERAL,
                                                           host6, EXPANDED)) < 0))
                        return r;
        }
        /* ${concatStringsSep "\n" (mapAttrsToList renderExtraVeth cfg.extraVeths)}, outside the if. */
        for (size_t i = 0; c && i < c->n_extra_veths && r >= 0; i++)
                r = plan_extra_veth(plan, env, &c->extra_veths[i]);
        return r;
}

int nc_init_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        return nc_plan_build_and_run(netlink, nc_plan_init_setup, "init-setup", container, env, error);
}
