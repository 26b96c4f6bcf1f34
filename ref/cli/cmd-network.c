/* nixcontainer host-setup | init-setup | prestart: the unit's network
 * scripts, over netlink, in the current network namespace. */
#include <errno.h>
#include <string.h>

#include "alloc-util.h"
#include "cli.h"
#include "config-internal.h"

typedef int (*network_step)(const cli_args *args, const nc_container *c, const nc_env *env, nc_error *error);

static int host_setup_step(const cli_args *args, const nc_container *c, const nc_env *env, nc_error *error) {
        (void) args;
        return nc_host_setup(NULL, c, env, error);
}

static int init_setup_step(const cli_args *args, const nc_container *c, const nc_env *env, nc_error *error) {
        (void) args;
        return nc_init_setup(NULL, c, env, error);
}

/* A link preStart left in place: said on stderr, the run goes on (the
 * script ignores a failed `ip link del`). */
static void prestart_skipped(const char *name, const char *reason, void *userdata) {
        (void) userdata;
        cli_error("prestart: left link %s in place: %s", name, reason);
}

static int prestart_step(const cli_args *args, const nc_container *c, const nc_env *env, nc_error *error) {
        nc_prestart_request request = {
                .mode = args->compat ? NC_MODE_COMPAT : NC_MODE_STRICT,
                .skipped = prestart_skipped,
        };
        return nc_prestart(NULL, c, env, &request, error);
}

static int run_network(const char *name, network_step step, int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_(nc_env_freep) nc_env *env = NULL;
        nc_error error = { { 0 } };
        cli_args args;
        int r, status;

        if (cli_parse_args(cli_find_command(name), argc, argv, &args, &status) != 0 ||
            (status = cli_load_unit(&args, &config, &env)) != 0)
                return status;
        /* No socket up front: the library opens one (and checks
         * CAP_NET_ADMIN) only if a step needs it, as the script runs no
         * `ip` when there is nothing to set up. */
        r = step(&args, cli_container(config, args.name), env, &error);
        /* A value that would reach `ip` as several words: what --compat
         * cannot reproduce is refused (2); the message names the stage. */
        if (r == -ENOTSUP) {
                cli_error("%s", error.message);
                return NC_EXIT_USAGE;
        }
        if (r < 0) {
                /* A failing step is a runtime failure (1), whatever its errno:
                 * the script stops there under `bash -e`. */
                cli_error("%s: %s", name, error.message[0] ? error.message : strerror(-r));
                return NC_EXIT_FAILURE;
        }
        return NC_EXIT_OK;
}

int cli_run_host_setup(int argc, char **argv) {
        return run_network("host-setup", host_setup_step, argc, argv);
}

int cli_run_init_setup(int argc, char **argv) {
        return run_network("init-setup", init_setup_step, argc, argv);
}

int cli_run_prestart(int argc, char **argv) {
        return run_network("prestart", prestart_step, argc, argv);
}
