/* The environment a command sees, as the unit would give it: the process
 * environment, the unit's root and INSTANCE, then the env file on top. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "cli.h"
#include "config-internal.h"

extern char **environ;

/* The env file as the unit would load it: --env-file, else
 * /etc/containers/NAME.conf (/etc/nixos-containers/ where the release and
 * stateVersion say so) when present (EnvironmentFile=-...). */
static int read_env_file(const cli_args *args, const nc_container *container, char **ret_text, size_t *ret_len) {
        _cleanup_free_ char *path = NULL;
        int r;

        if (args->env_file) {
                r = nc_read_file(args->env_file, NC_ENV_FILE_MAX, ret_text, ret_len);
                if (r < 0)
                        cli_error("%s: %s", args->env_file, r == -EFBIG ? "file too large" : strerror(-r));
                return r < 0 ? NC_EXIT_FAILURE : 0;
        }
        if (nc_unit_env_file_path(container, args->name, &path) < 0) {
                cli_error("out of memory");
                return NC_EXIT_FAILURE;
        }
        r = nc_read_file(path, NC_ENV_FILE_MAX, ret_text, ret_len);
        if (r < 0) {
                /* The "-" prefix: a missing or unreadable file is skipped. */
                *ret_text = NULL;
                *ret_len = 0;
        }
        return 0;
}

int cli_unit_environment(const cli_args *args, const nc_config *config, nc_env **ret_env) {
        _cleanup_(nc_env_freep) nc_env *base = nc_env_new();
        _cleanup_free_ char *text = NULL;
        const nc_container *container;
        nc_error error = { { 0 } };
        size_t len = 0;
        int r, status;

        if (!base) {
                cli_error("out of memory");
                return NC_EXIT_FAILURE;
        }
        /* An imperative container (not in the config) gets the container@ template. */
        container = cli_container(config, args->name);
        status = read_env_file(args, container, &text, &len);
        if (status == 0 && (r = nc_env_load_environ(base, environ)) < 0)
                status = cli_fail(r, &error);
        if (status == 0) {
                r = nc_unit_environment(container, args->name, base, text, len, ret_env, &error);
                if ((r == -EINVAL || r == -EBADMSG) && text) {
                        /* EnvironmentFile=-...: systemd skips a file it cannot
                         * parse (invalid UTF-8, a NUL byte), and the unit starts
                         * without it. Nothing else in the unit's environment
                         * fails with these. */
                        fprintf(stderr, "nixcontainer: warning: %s: %s; skipped, as EnvironmentFile=- skips it\n",
                                args->env_file ? args->env_file : "the env file", error.message);
                        memset(&error, 0, sizeof error);
                        r = nc_unit_environment(container, args->name, base, NULL, 0, ret_env, &error);
                }
                if (r < 0)
                        status = cli_fail(r, &error);
        }
        return status;
}

const nc_container *cli_container(const nc_config *config, const char *name) {
        const nc_container *container = nc_config_find(config, name);
        return container ? container : nc_config_template(config);
}

int cli_load_container(const cli_args *args, nc_config **ret_config, const nc_container **ret_container) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        nc_error error = { { 0 } };
        int r, status;

        if ((status = cli_load_config(args, &config)) != 0 ||
            (status = cli_refused(nc_config_find(config, args->name))) != 0)
                return status;
        if (nc_container_compat_note(nc_config_find(config, args->name)))
                cli_error("note: %s", nc_container_compat_note(nc_config_find(config, args->name)));
        r = nc_container_name_check(args->name, args->compat ? NC_MODE_COMPAT : NC_MODE_STRICT, "NAME", &error);
        if (r < 0)
                return cli_fail(r, &error);
        *ret_container = cli_container(config, args->name);
        if (!*ret_container) {
                cli_error("%s: the host has no unit container@%s: boot.enableContainers is false (release %s "
                          "defaults it to false on a host without declarative containers)",
                          args->name, args->name, nc_config_release(config));
                return NC_EXIT_USAGE;
        }
        *ret_config = TAKE_PTR(config);
        return 0;
}

int cli_load_unit(const cli_args *args, nc_config **ret_config, nc_env **ret_env) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        const nc_container *container;
        int status;

        if ((status = cli_load_container(args, &config, &container)) != 0 ||
            (status = cli_unit_environment(args, config, ret_env)) != 0)
                return status;
        *ret_config = TAKE_PTR(config);
        return 0;
}
