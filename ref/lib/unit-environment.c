/* The environment the container@NAME unit gives its scripts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "error.h"
#include "nixcontainer.h"

int nc_unit_root(const nc_container *container, const char *name, char **ret_root) {
        /* environment.root = if containerConfig.ephemeral then "/run/containers/%i"
         *                    else "/var/lib/containers/%i"; */
        const char *parent = container && container->ephemeral ? "/run/containers/" : "/var/lib/containers/";
        size_t parent_len = strlen(parent), name_len = strlen(name);
        char *root = malloc(parent_len + name_len + 1);

        if (!root)
                return -ENOMEM;
        memcpy(root, parent, parent_len);
        memcpy(root + parent_len, name, name_len + 1);
        *ret_root = root;
        return 0;
}

int nc_unit_environment(const nc_container *container, const char *name, const nc_env *base,
                        const char *env_file, size_t env_file_len, nc_env **ret_env, nc_error *error) {
        _cleanup_(nc_env_freep) nc_env *env = nc_env_new();
        _cleanup_free_ char *root = NULL;
        int r;

        if (!env)
                return -ENOMEM;
        r = base ? nc_env_merge(env, base) : 0;
        /* Environment= comes before EnvironmentFile=, which can override it. */
        if (r >= 0)
                r = nc_unit_root(container, name, &root);
        if (r >= 0)
                r = nc_env_set(env, "root", root);
        if (r >= 0)
                r = nc_env_set(env, "INSTANCE", name);
        if (r >= 0 && env_file)
                r = nc_env_file_parse(env, env_file, env_file_len, error);
        if (r == -ENOMEM)
                return nc_error_set(error, r, "out of memory while building the unit's environment");
        if (r < 0)
                return r;
        *ret_env = TAKE_PTR(env);
        return 0;
}
