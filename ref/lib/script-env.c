#include "script-env.h"

const char *nc_script_var(const nc_env *env, const char *name) {
        const char *value = nc_env_get(env, name);
        return value ? value : "";
}

bool nc_script_any_address(const nc_env *env) {
        return nc_script_var(env, "HOST_ADDRESS")[0] || nc_script_var(env, "LOCAL_ADDRESS")[0] ||
               nc_script_var(env, "HOST_ADDRESS6")[0] || nc_script_var(env, "LOCAL_ADDRESS6")[0];
}
