/* The environment the container@NAME unit gives its scripts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-internal.h"
#include "alloc-util.h"
#include "env-internal.h"
#include "error.h"
#include "nixcontainer.h"

/* configurationPrefix = optionalString (versionAtLeast config.system.stateVersion "22.05") "nixos-";
 * configurationDirectoryName = "${configurationPrefix}containers"; */
static const char *prefix(const nc_container *container) {
        return container && container->nixos_prefix ? "nixos-" : "";
}

int nc_unit_root(const nc_container *container, const char *name, char **ret_root) {
        /* environment.root = if containerConfig.ephemeral then "/run/containers/%i"
         *                    else "/var/lib/containers/%i";
         * (22.11: "/run/nixos-containers/%i" and "${stateDirectory}/%i",
         * stateDirectory = "/var/lib/${configurationPrefix}containers") */
        char *root;
        int n = container && container->ephemeral
                ? asprintf(&root, "%s%s", nc_container_release(container)->ephemeral_root, name)
                : asprintf(&root, "/var/lib/%scontainers/%s", prefix(container), name);

        if (n < 0)
                return -ENOMEM;
        *ret_root = root;
        return 0;
}

int nc_unit_env_file_path(const nc_container *container, const char *name, char **ret_path) {
        /* EnvironmentFile = "-${configurationDirectory}/%i.conf";
         * configurationDirectory = "/etc/${configurationDirectoryName}"; */
        char *path;

        if (asprintf(&path, "/etc/%scontainers/%s.conf", prefix(container), name) < 0)
                return -ENOMEM;
        *ret_path = path;
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
                r = nc_env_file_parse_into(env, env_file, env_file_len, error); /* env is ours */
        if (r == -ENOMEM)
                return nc_error_set(error, r, "out of memory while building the unit's environment");
        if (r < 0)
                return r;
        *ret_env = TAKE_PTR(env);
        return 0;
}
