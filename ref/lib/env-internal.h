/* What the library does with an nc_env beyond the public API. */
#ifndef NC_ENV_INTERNAL_H
#define NC_ENV_INTERNAL_H

#include "nixcontainer.h"

/* nc_env_merge() for an env that is thrown away afterwards: its names and
 * values move into `env` instead of being copied, leaving `from` empty.
 * All or nothing: on -ENOMEM both are unchanged. */
int nc_env_take_all(nc_env *env, nc_env *from);

#endif
