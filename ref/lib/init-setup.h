/* containerInit's network plan (init-setup.c). */
#ifndef NC_INIT_SETUP_H
#define NC_INIT_SETUP_H

#include "net-plan.h"

/* The `ip` steps of containerInit for `container` (NULL: the imperative
 * template) in the environment nspawn's --setenv gives. 0, -ENOMEM or
 * -ENOTSUP (see nc_plan_add_resolved()); the steps added so far stay in
 * `plan`. */
int nc_plan_init_setup(nc_plan *plan, const nc_container *container, const nc_env *env);

#endif
