/* The unit's environment as the module's shell scripts read it. */
#ifndef NC_SCRIPT_ENV_H
#define NC_SCRIPT_ENV_H

#include <stdbool.h>

#include "nixcontainer.h"

/* "$NAME" in a script: the value, or "" when unset. */
const char *nc_script_var(const nc_env *env, const char *name);

/* if [ -n "$HOST_ADDRESS" ] || [ -n "$LOCAL_ADDRESS" ] ||
 *    [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then
 * which the start script, preStart and postStart (and, with HOST_BRIDGE,
 * containerInit) each ask before touching the veth. */
bool nc_script_any_address(const nc_env *env);

#endif
