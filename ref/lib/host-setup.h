/* postStart's plan (host-setup.c). */
#ifndef NC_HOST_SETUP_H
#define NC_HOST_SETUP_H

#include "net-plan.h"

/* The `ip` steps of postStartScript for `container` (NULL: the imperative
 * template) in the unit's environment `env`. 0, -ENOMEM or -ENOTSUP (see
 * nc_plan_add_resolved()); the steps added so far stay in `plan`. */
int nc_plan_host_setup(nc_plan *plan, const nc_container *container, const nc_env *env);

#endif
