/* Helpers shared by the config loader and the model's own functions. */
#ifndef NC_CONFIG_INTERNAL_H
#define NC_CONFIG_INTERNAL_H

#include "nixcontainer.h"

void nc_network_clear(nc_network *network);
void nc_network_clear_ports(nc_network *network);
void nc_container_clear_extra_veths(nc_container *c);
void nc_container_clear_bind_mounts(nc_container *c);
void nc_container_clear_allowed_devices(nc_container *c);
/* Frees what the container owns, not the struct itself. */
void nc_container_clear(nc_container *c);

/* Container names: anything Nix can hold in compat mode; in strict mode a
 * name that can be a file name, a unit instance and a hosts entry. */
int nc_container_name_check(const char *name, nc_mode mode, const char *where, nc_error *error);

/* nc_read_file(), which the config loader and the CLI use. */
#include "read-file.h"

#endif
