/* nixcontainer env-file / unit / hosts: the module's rendered text. */
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "cli.h"

/* A text about one container: env-file (its definition: a container the
 * config does not hold has no env file) or unit (the template for one the
 * config does not hold, as for an imperative container). */
typedef int (*container_renderer)(const nc_container *container, const char *name, char **ret_text, size_t *ret_len);

static int render_env_file(const nc_container *container, const char *name, char **ret_text, size_t *ret_len) {
        (void) name;
        return nc_render_env_file(container, ret_text, ret_len);
}

static int run_container_text(const char *command, container_renderer render, int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_free_ char *text = NULL;
        const nc_container *container;
        cli_args args;
        size_t len;
        int r, status;

        if (cli_parse_args(cli_find_command(command), argc, argv, &args, &status) != 0)
                return status;
        if (render == render_env_file) {
                if ((status = cli_load_config(&args, &config)) != 0)
                        return status;
                container = nc_config_find(config, args.name);
                if (!container) {
                        cli_error("containers.%s: no such container in %s", args.name, args.config);
                        return NC_EXIT_USAGE;
                }
        } else if ((status = cli_load_container(&args, &config, &container)) != 0)
                return status;
        if ((status = cli_refused(container)) != 0)
                return status;
        r = render(container, nc_container_name(container), &text, &len);
        return r < 0 ? cli_fail(r, NULL) : cli_write_stdout(text, len);
}

int cli_run_env_file(int argc, char **argv) {
        return run_container_text("env-file", render_env_file, argc, argv);
}

/* The properties of systemd.services."container@NAME". */
int cli_run_unit(int argc, char **argv) {
        return run_container_text("unit", nc_render_unit, argc, argv);
}

int cli_run_hosts(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_free_ char *text = NULL;
        cli_args args;
        size_t len;
        int r, status;

        if (cli_parse_args(cli_find_command("hosts"), argc, argv, &args, &status) != 0 ||
            (status = cli_load_config(&args, &config)) != 0)
                return status;
        r = nc_render_hosts(config, &text, &len);
        if (r < 0)
                return cli_fail(r, NULL);
        /* The lines of the other containers, then each refused one (it has
         * no line): exit 2, as for any refusal. */
        return cli_refused_any(config, cli_write_stdout(text, len));
}
