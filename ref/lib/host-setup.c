/* postStart (postStartScript in nixos-containers.nix): the host side. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc-util.h"
#include "error.h"
#include "host-setup.h"
#include "script-env.h"

/* ipcall = cfg: ipcmd: variable: attribute:
 *   if cfg.${attribute} == null then ''if [ -n "${variable}" ]; then ${ipcmd} add ${variable} dev $ifaceHost; fi''
 *   else "${ipcmd} add ${cfg.${attribute}} dev $ifaceHost";
 * A declarative value is baked into the script; only a null one is read
 * from the environment at run time. */
static int ipcall(nc_plan *plan, const nc_env *env, nc_step_kind kind, bool ipv6, const char *iface,
                  const char *static_value, const char *variable) {
        const char *env_value = nc_script_var(env, variable);

        if (static_value)
                return nc_plan_add_resolved(plan, kind, ipv6, env, iface, NC_VALUE_EXPANDED, static_value,
                                            NC_VALUE_SCRIPT);
        if (env_value[0])
                return nc_plan_add_resolved(plan, kind, ipv6, env, iface, NC_VALUE_EXPANDED, env_value,
                                            NC_VALUE_EXPANDED);
        return 0;
}

int nc_plan_host_setup(nc_plan *plan, const nc_container *container, const nc_env *env) {
        const nc_network *n = container ? &container->network : NULL;
        int r = 0;

        /* if [ -n "$HOST_ADDRESS" ] || ... ; then
         *   if [ -z "$HOST_BRIDGE" ]; then ifaceHost=ve-$INSTANCE */
        if (nc_script_any_address(env) && !nc_script_var(env, "HOST_BRIDGE")[0]) {
                const struct {
                        nc_step_kind kind;
                        bool ipv6;
                        const char *static_value;
                        const char *variable;
                } calls[] = {
                        { NC_STEP_ADDRESS_ADD, false, n ? n->host_address : NULL, "HOST_ADDRESS" },
                        { NC_STEP_ADDRESS_ADD, true, n ? n->host_address6 : NULL, "HOST_ADDRESS6" },
                        { NC_STEP_ROUTE_ADD, false, n ? n->local_address : NULL, "LOCAL_ADDRESS" },
                        { NC_STEP_ROUTE_ADD, true, n ? n->local_address6 : NULL, "LOCAL_ADDRESS6" },
                };
                _cleanup_free_ char *iface = NULL;

                if (asprintf(&iface, "ve-%s", nc_script_var(env, "INSTANCE")) < 0) {
                        iface = NULL; /* asprintf() leaves it undefined */
                        return -ENOMEM;
                }
                /* ip link set dev $ifaceHost up */
                r = nc_plan_add_resolved(plan, NC_STEP_LINK_UP, false, env, iface, NC_VALUE_EXPANDED, NULL,
                                         NC_VALUE_LITERAL);
                for (size_t i = 0; r >= 0 && i < ELEMENTSOF(calls); i++)
                        r = ipcall(plan, env, calls[i].kind, calls[i].ipv6, iface, calls[i].static_value,
                                   calls[i].variable);
                if (r < 0)
                        return r;
        }
        /* The extra veths come after the if, whatever the addresses. */
        return nc_plan_extra_veths(plan, container, env, NC_PLAN_HOST);
}

int nc_host_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error) {
        return nc_plan_build_and_run(netlink, nc_plan_host_setup, "host-setup", container, env, error);
}
