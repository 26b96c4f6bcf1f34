/* Which container nixcontainer-init sets up (init-config.c): the config
 * file and the name selection, apart from the process's environment so
 * that a fuzz target can call it. */
#ifndef NC_INIT_CONFIG_H
#define NC_INIT_CONFIG_H

#include <stdbool.h>

#include "nixcontainer.h"

/* Loads the config at `path` (NIXCONTAINER_CONFIG when `explicit`, else the
 * default) in compat mode, and picks the container: `name`
 * (NIXCONTAINER_NAME) when given; else the only one; else the one called
 * `hostname` (nspawn names the machine's host after -M; may be NULL).
 * Returns 0 with *ret_config NULL and *ret_container NULL when the default
 * config is absent (the container@ template's init: no extra veths); 0
 * with both set (*ret_config the caller's); or -errno with `error` filled
 * and nothing returned: an explicit config that is missing, a config that
 * cannot be loaded, or one without the container. */
int init_load_container(const char *path, bool explicit, const char *name, const char *hostname,
                        nc_config **ret_config, const nc_container **ret_container, nc_error *error);

#endif
