/* nixcontainer env-file / hosts: the module's rendered text. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int write_text(char *text, size_t len) {
        int r = cli_write_stdout(text, len);
        free(text);
        if (r < 0) {
                cli_error("writing to stdout: %s", strerror(-r));
                return NC_EXIT_FAILURE;
        }
        return NC_EXIT_OK;
}

int cli_run_env_file(int argc, char **argv) {
        const cli_command *command = cli_find_command("env-file");
        const nc_container *container;
        nc_config *config;
        cli_args args;
        char *text;
        size_t len;
        int r;

        if ((r = cli_parse_args(command, argc, argv, CLI_OPT_COMPAT | CLI_OPT_CONFIG | CLI_OPT_NAME, &args)) != 0)
                return r - 1;
        if ((r = cli_load_config(&args, &config)) != 0)
                return r;
        container = nc_config_find(config, args.name);
        if (!container) {
                cli_error("containers.%s: no such container in %s", args.name, args.config);
                nc_config_free(config);
                return NC_EXIT_USAGE;
        }
        r = nc_render_env_file(container, &text, &len);
        nc_config_free(config);
        if (r < 0)
                return cli_fail(r, NULL);
        return write_text(text, len);
}

int cli_run_hosts(int argc, char **argv) {
        const cli_command *command = cli_find_command("hosts");
        nc_config *config;
        cli_args args;
        char *text;
        size_t len;
        int r;

        if ((r = cli_parse_args(command, argc, argv, CLI_OPT_COMPAT | CLI_OPT_CONFIG, &args)) != 0)
                return r - 1;
        if ((r = cli_load_config(&args, &config)) != 0)
                return r;
        r = nc_render_hosts(config, &text, &len);
        nc_config_free(config);
        if (r < 0)
                return cli_fail(r, NULL);
        return write_text(text, len);
}
