/* nixcontainer env-file / hosts: the module's rendered text. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_run_env_file(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_free_ char *text = NULL;
        const nc_container *container;
        cli_args args;
        size_t len;
        int r, status;

        if (cli_parse_args(cli_find_command("env-file"), argc, argv, CLI_OPT_COMPAT | CLI_OPT_CONFIG | CLI_OPT_NAME,
                           &args, &status) != 0 ||
            (status = cli_load_config(&args, &config)) != 0)
                return status;
        container = nc_config_find(config, args.name);
        if (!container) {
                cli_error("containers.%s: no such container in %s", args.name, args.config);
                return NC_EXIT_USAGE;
        }
        if ((status = cli_refused(container)) != 0)
                return status;
        r = nc_render_env_file(container, &text, &len);
        return r < 0 ? cli_fail(r, NULL) : cli_write_stdout(text, len);
}

int cli_run_hosts(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_free_ char *text = NULL;
        cli_args args;
        size_t len;
        int r, status;

        if (cli_parse_args(cli_find_command("hosts"), argc, argv, CLI_OPT_COMPAT | CLI_OPT_CONFIG, &args, &status) != 0 ||
            (status = cli_load_config(&args, &config)) != 0)
                return status;
        r = nc_render_hosts(config, &text, &len);
        if (r < 0)
                return cli_fail(r, NULL);
        status = cli_write_stdout(text, len);
        /* The lines of the other containers, then each refused one (it has
         * no line): exit 2, as for any refusal. */
        for (size_t i = 0; i < nc_config_count(config); i++)
                if (cli_refused(nc_config_at(config, i)) != 0 && status == NC_EXIT_OK)
                        status = NC_EXIT_USAGE;
        return status;
}
