/* nixcontainer argv: what the start script of container@NAME execs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc-util.h"
#include "cli.h"
#include "config-internal.h"
#include "strbuf.h"

/* One item a line, or each followed by a NUL with -0; `what` names the
 * items in the message about a newline. */
static int print_lines(const char *what, const nc_strv *argv, bool nul) {
        _cleanup_(nc_strbuf_free) nc_strbuf out = { 0 };
        int r = 0;

        for (size_t i = 0; i < argv->n && r >= 0; i++) {
                if (!nul && strchr(argv->items[i], '\n')) {
                        cli_error("%s %zu contains a newline; use -0 to print it", what, i);
                        return NC_EXIT_USAGE;
                }
                r = nc_strbuf_append(&out, argv->items[i]);
                if (r >= 0)
                        r = nc_strbuf_append_char(&out, nul ? '\0' : '\n');
        }
        if (r < 0) {
                cli_error("writing to stdout: %s", strerror(-r));
                return NC_EXIT_FAILURE;
        }
        return cli_write_stdout(out.data ? out.data : "", out.len);
}

int cli_run_argv(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_(nc_strv_clear) nc_strv result = { 0 };
        _cleanup_free_ char *guest = NULL, *system_file = NULL, *installed_init = NULL;
        _cleanup_(nc_env_freep) nc_env *env = NULL;
        nc_error error = { { 0 } };
        nc_argv_request request;
        const nc_container *container;
        cli_args args;
        int r, status;

        if (cli_parse_args(cli_find_command("argv"), argc, argv, &args, &status) != 0 ||
            (status = cli_load_unit(&args, &config, &env)) != 0)
                return status;
        container = cli_container(config, args.name);
        if (!args.init && (r = cli_installed_init(&installed_init)) < 0) {
                cli_error("argv: cannot find the installed nixcontainer-init (/proc/self/exe: %s); give --init",
                          strerror(-r));
                return NC_EXIT_FAILURE;
        }
        request = (nc_argv_request) {
                .nspawn_path = args.nspawn,
                .init_path = args.init ? args.init : installed_init,
                .mode = args.compat ? NC_MODE_COMPAT : NC_MODE_STRICT,
        };
        /* A script that bash cannot parse never runs: that comes first. */
        if ((r = nc_build_argv(container, env, &request, &result, &error)) < 0)
                return cli_fail(r, &error);
        /* ${optionalString (config.nixpkgs.localSystem.system == "x86_64-linux") ...}:
         * the check exists on x86_64 hosts only. */
        r = cli_read_guest_system(env, &guest, &system_file);
        if (r < 0) {
                cli_error("argv: the start script stops at $(< %s): %s, before running systemd-nspawn",
                          system_file ? system_file : "?", strerror(-r));
                return NC_EXIT_FAILURE;
        }
        /* Only an i686 guest changes the argv (--personality=x86). */
        if (guest && strcmp(guest, "i686-linux") == 0) {
                nc_strv_clear(&result);
                request.guest_system = guest;
                if ((r = nc_build_argv(container, env, &request, &result, &error)) < 0)
                        return cli_fail(r, &error);
        }
        return print_lines("argv: argument", &result, args.nul);
}

int cli_run_nspawn_env(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_(nc_env_freep) nc_env *env = NULL, *nspawn = NULL;
        _cleanup_(nc_strv_clear) nc_strv lines = { 0 };
        cli_args args;
        int r, status;

        if (cli_parse_args(cli_find_command("nspawn-env"), argc, argv, &args, &status) != 0 ||
            (status = cli_load_unit(&args, &config, &env)) != 0)
                return status;
        nc_argv_request request = { .mode = args.compat ? NC_MODE_COMPAT : NC_MODE_STRICT };
        nc_error error = { { 0 } };
        _cleanup_free_ char *guest = NULL, *system_file = NULL;

        /* The flags an inherited extraFlags gathers include --personality=x86. */
        if (cli_read_guest_system(env, &guest, &system_file) >= 0)
                request.guest_system = guest;
        r = nc_nspawn_environment(cli_container(config, args.name), env, &request, &nspawn, &error);
        if (r < 0)
                return cli_fail(r, &error);
        for (size_t i = 0; r >= 0 && i < nc_env_count(nspawn); i++)
                r = nc_strv_push_concat(&lines, nc_env_name_at(nspawn, i), "=", nc_env_value_at(nspawn, i),
                                        (const char *) NULL);
        return r < 0 ? cli_fail(r, NULL) : print_lines("nspawn-env: entry", &lines, args.nul);
}
