/* nixcontainer unit: the properties of systemd.services."container@NAME". */
#include <stdlib.h>

#include "cli.h"
#include "config-internal.h"

int cli_run_unit(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_free_ char *json = NULL;
        const nc_container *container;
        cli_args args;
        size_t len;
        int r, status;

        if (cli_parse_args(cli_find_command("unit"), argc, argv, CLI_OPT_COMPAT | CLI_OPT_CONFIG | CLI_OPT_NAME,
                           &args, &status) != 0 ||
            (status = cli_load_container(&args, &config, &container)) != 0)
                return status;
        r = nc_render_unit(container, nc_container_name(container), &json, &len);
        return r < 0 ? cli_fail(r, NULL) : cli_write_stdout(json, len);
}
