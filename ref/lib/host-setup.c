/* postStart (postStartScript in nixos-containers.nix): the host side. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "net-plan.h"

#define SCRIPT NC_VALUE_SCRIPT
#define EXPANDED NC_VALUE_EXPANDED
#define LITERAL NC_VALUE_LITERAL

#define var nc_plan_var

/* ipcall = cfg: ipcmd: variable: attribute:
 *   if cfg.${attribute} == null then ''if [ -n "${variable}" ]; then ${ipcmd} add ${variable} dev $ifaceHost; fi''
 *   else "${ipcmd} add ${cfg.${attribute}} dev $ifaceHost";
 * A declarative value is baked into the script; only a null one is read
 * from the environment at run time. */
static int ipcall(nc_plan *plan, const nc_env *env, nc_step_kind kind, bool ipv6, const char *iface,
                  const char *static_value, const char *env_value) {
        if (static_value)
                return nc_plan_add_resolved(plan, kind, ipv6, env, iface, EXPANDED, static_value, SCRIPT);
        if (env_value[0])
                return nc_plan_add_resolved(plan, kind, ipv6, env, iface, EXPANDED, env_value, EXPANDED);
        return 0;
}

/* renderExtraVeth: names and values are pasted into the script. */
static int plan_extra_veth(nc_plan *plan, const nc_env *env, const nc_extra_veth *veth) {
        const nc_network *n = &veth->network;
        const char *name = veth->name;
        int r = 0;

        /* if cfg.hostBridge != null then "ip link set dev ${name} master ${cfg.hostBridge} up" */
        if (n->host_bridge)
                return nc_plan_add_resolved(plan, NC_STEP_LINK_MASTER_UP, false, env, name, SCRIPT, n->host_bridge,
                                            SCRIPT);
        if ((r = nc_plan_add_resolved(plan, NC_STEP_LINK_UP, false, env, name, SCRIPT, NULL, LITERAL)) < 0)
                return r;
        if (n->host_address &&
            (r = nc_plan_add_resolved(plan, NC_STEP_ADDRESS_ADD, false, env, name, SCRIPT, n->host_address, SCRIPT)) < 0)
                return r;
        if (n->host_address6 &&
            (r = nc_plan_add_resolved(plan, NC_STEP_ADDRESS_ADD, true, env, name, SCRIPT, n->host_address6, SCRIPT)) < 0)
                return r;
        if (n->local_address &&
            (r = nc_plan_add_resolved(plan, NC_STEP_ROUTE_ADD, false, env, name, SCRIPT, n->local_address, SCRIPT)) < 0)
                return r;
        if (n->local_address6)
                r = nc_plan_add_resolved(plan, NC_STEP_ROUTE_ADD, true, env, name, SCRIPT, n->local_address6, SCRIPT);
        return r;
}

int nc_plan_host_setup(nc_plan *plan, const nc_container *c, const nc_env *env) {
        const nc_network *n = c ? &c->network : NULL;
        int r = 0;

        /* if [ -n "$HOST_ADDRESS" ] || [ -n "$LOCAL_ADDRESS" ] ||
         *    [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then
         *   if [ -z "$HOST_BRIDGE" ]; then ifaceHost=ve-$INSTANCE */
        if ((var(env, "HOST_ADDRESS")[0] || var(env, "LOCAL_ADDRESS")[0] || var(env, "HOST_ADDRESS6")[0] ||
             var(env, "LOCAL_ADDRESS6")[0]) &&
            !var(env, "HOST_BRIDGE")[0]) {
                char *iface;
                if (asprintf(&iface, "ve-%s", var(env, "INSTANCE")) < 0)
                        return -ENOMEM;
                /* ip link set dev $ifaceHost up */
                r = nc_plan_add_resolved(plan, NC_STEP_LINK_UP, false, env, iface, EXPANDED, NULL, LITERAL);
                if (r >= 0)
                        r = ipcall(plan, env, NC_STEP_ADDRESS_ADD, false, iface, n ? n->host_address : NULL,
                                   var(env, "HOST_ADDRESS"));
                if (r >= 0)
                        r = ipcall(plan, env, NC_STEP_ADDRESS_ADD, true, iface, n ? n->host_address6 : NULL,
                                   var(env, "HOST_ADDRESS6"));
                if (r >= 0)
                        r = ipcall(plan, env, NC_STEP_ROUTE_ADD, false, iface, n ? n->local_address : NULL,
                                   var(env, "LOCAL_ADDRESS"));
                if (r >= 0)
                        r = ipcall(plan, env, NC_STEP_ROUTE_ADD, true, iface, n ? n->local_address6 : NULL,
                                   var(env, "LOCAL_ADDRESS6"));
                free(iface);
                if (r < 0)
                        return r;
        }
        /* ${concatStringsSep "\n" (mapAttrsToList renderExtraVeth cfg.extraVeths)}, outside the if. */
        for (size_t i = 0; c && i < c->n_extra_veths && r >= 0; i++)
                r = plan_extra_veth(plan, env, &c->extra_veths[i]);
        return r;
}

int nc_host_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        return nc_plan_build_and_run(netlink, nc_plan_host_setup, "host-setup", container, env, error);
}
