/* nixcontainer unit: the properties of systemd.services."container@NAME". */
#include <stdlib.h>

#include "cli.h"
#include "config-internal.h"

int cli_run_unit(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_free_ char *json = NULL;
        const nc_container *container;
        nc_error error = { { 0 } };
        cli_args args;
        size_t len;
        int r, status;

        if (cli_parse_args(cli_find_command("unit"), argc, argv, CLI_OPT_COMPAT | CLI_OPT_CONFIG | CLI_OPT_NAME,
                           &args, &status) != 0 ||
            (status = cli_load_config(&args, &config)) != 0)
                return status;
        r = nc_container_name_check(args.name, args.compat ? NC_MODE_COMPAT : NC_MODE_STRICT, "NAME", &error);
        if (r < 0)
                return cli_fail(r, &error);
        /* An imperative container (not in the config) runs as the container@ template. */
        container = cli_container(config, args.name);
        if (!container) {
                cli_error("%s: no unit container@%s: boot.enableContainers is false on this host (release %s)",
                          args.name, args.name, nc_config_release(config));
                return NC_EXIT_USAGE;
        }
        r = nc_render_unit(container, nc_container_name(container), &json, &len);
        return r < 0 ? cli_fail(r, NULL) : cli_write_stdout(json, len);
}
