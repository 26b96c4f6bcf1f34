/* The network part of containerInit (nixos-containers.nix): the container
 * side, run by the container's PID 1 before stage 2. */
#include <errno.h>

#include "error.h"
#include "net-plan.h"

static const char *var(const nc_env *env, const char *name) {
        const char *value = nc_env_get(env, name);
        return value ? value : "";
}

static int plan_extra_veth(nc_plan *plan, const nc_extra_veth *veth) {
        const nc_network *n = &veth->network;
        int r;

        /* renderExtraVeth: up, local addresses, routes to the host
         * addresses; no default route. */
        if ((r = nc_plan_add(plan, NC_STEP_LINK_UP, false, veth->name, NULL)) < 0)
                return r;
        if (n->local_address && (r = nc_plan_add(plan, NC_STEP_ADDRESS_ADD, false, veth->name, n->local_address)) < 0)
                return r;
        if (n->local_address6 && (r = nc_plan_add(plan, NC_STEP_ADDRESS_ADD, true, veth->name, n->local_address6)) < 0)
                return r;
        if (n->host_address && (r = nc_plan_add(plan, NC_STEP_ROUTE_ADD, false, veth->name, n->host_address)) < 0)
                return r;
        if (n->host_address6)
                r = nc_plan_add(plan, NC_STEP_ROUTE_ADD, true, veth->name, n->host_address6);
        return r;
}

static int plan_init_setup(nc_plan *plan, const nc_container *c, const nc_env *env) {
        const char *host = var(env, "HOST_ADDRESS"), *host6 = var(env, "HOST_ADDRESS6");
        const char *local = var(env, "LOCAL_ADDRESS"), *local6 = var(env, "LOCAL_ADDRESS6");
        int r = 0;

        /* HOST_BRIDGE counts here, unlike in the start script: a bridged
         * container without addresses still gets its eth0 up. */
        if (host[0] || host6[0] || local[0] || local6[0] || var(env, "HOST_BRIDGE")[0]) {
                if ((r = nc_plan_add(plan, NC_STEP_LINK_RENAME, false, "host0", "eth0")) < 0 ||
                    (r = nc_plan_add(plan, NC_STEP_LINK_UP, false, "eth0", NULL)) < 0)
                        return r;
                if (local[0] && (r = nc_plan_add(plan, NC_STEP_ADDRESS_ADD, false, "eth0", local)) < 0)
                        return r;
                if (local6[0] && (r = nc_plan_add(plan, NC_STEP_ADDRESS_ADD, true, "eth0", local6)) < 0)
                        return r;
                if (host[0] && ((r = nc_plan_add(plan, NC_STEP_ROUTE_ADD, false, "eth0", host)) < 0 ||
                                (r = nc_plan_add(plan, NC_STEP_DEFAULT_ROUTE_ADD, false, NULL, host)) < 0))
                        return r;
                if (host6[0] && ((r = nc_plan_add(plan, NC_STEP_ROUTE_ADD, true, "eth0", host6)) < 0 ||
                                 (r = nc_plan_add(plan, NC_STEP_DEFAULT_ROUTE_ADD, true, NULL, host6)) < 0))
                        return r;
        }
        for (size_t i = 0; c && i < c->n_extra_veths && r >= 0; i++)
                r = plan_extra_veth(plan, &c->extra_veths[i]);
        return r;
}

int nc_init_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        nc_plan plan = { 0 };
        int r = plan_init_setup(&plan, container, env);

        if (r < 0)
                r = nc_error_set(error, r, "init-setup: out of memory");
        else
                r = nc_plan_run(netlink, &plan, error);
        nc_plan_clear(&plan);
        return r;
}
