/* What the library does with an nc_env beyond the public API. */
#ifndef NC_ENV_INTERNAL_H
#define NC_ENV_INTERNAL_H

#include "nixcontainer.h"

/* nc_env_merge() for an env that is thrown away afterwards: its names and
 * values move into `env` instead of being copied, leaving `from` empty.
 * All or nothing: on -ENOMEM both are unchanged. */
int nc_env_take_all(nc_env *env, nc_env *from);

/* nc_env_set_len() for a name of `name_len` bytes that the caller knows
 * to be valid (no NUL, no '=', not empty) and a value without NUL: the
 * env-file parser's, which has the name in the file's text. */
int nc_env_set_name_len(nc_env *env, const char *name, size_t name_len, const char *value, size_t value_len);

/* nc_env_file_parse() for an env that the caller throws away when it
 * fails (nc_unit_environment()'s own): a short text's assignments are set
 * in `env` as they are read, without a second env to merge. The same
 * result on success; on error `env` may hold some of the file. */
int nc_env_file_parse_into(nc_env *env, const char *text, size_t len, nc_error *error);

#endif
