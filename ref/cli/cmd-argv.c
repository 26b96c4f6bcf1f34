/* nixcontainer argv: what the start script of container@NAME execs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config-internal.h"
#include "strbuf.h"

#define SYSTEM_FILE_MAX 4096

/* if [ "$(< ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system)" = i686-linux ]
 *
 * What bash (5.2) makes of it under -e: the file's content without trailing
 * newlines (NUL bytes dropped); nothing when the unquoted path splits
 * ("ambiguous redirect") or the file opens but cannot be read; and when the
 * file cannot be opened, the start script stops there with status 1, so
 * nspawn never runs. Returns 0 (content or NULL) or -errno for that stop. */
static int read_guest_system(const nc_env *env, char **ret_content, char **ret_path) {
        char *path = NULL, *text = NULL, *out;
        size_t len = 0, j = 0;
        int fd, r;

        *ret_content = NULL;
        *ret_path = NULL;
        if (nc_argv_system_file(env, &path) < 0)
                return -ENOMEM;
        if (strpbrk(path, " \t\n")) {
                free(path);
                return 0;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                *ret_path = path;
                return r;
        }
        close(fd);
        r = nc_read_file(path, SYSTEM_FILE_MAX, &text, &len);
        free(path);
        if (r < 0)
                return 0;
        out = text;
        for (size_t i = 0; i < len; i++)
                if (text[i] != '\0')
                        out[j++] = text[i];
        while (j > 0 && out[j - 1] == '\n')
                j--;
        out[j] = '\0';
        *ret_content = out;
        return 0;
}

static int print_argv(const nc_strv *argv, bool nul) {
        nc_strbuf out = { 0 };
        int r = 0;

        for (size_t i = 0; i < argv->n && r >= 0; i++) {
                if (!nul && strchr(argv->items[i], '\n')) {
                        cli_error("argv: argument %zu contains a newline; use -0 to print it", i);
                        nc_strbuf_free(&out);
                        return NC_EXIT_USAGE;
                }
                r = nc_strbuf_append(&out, argv->items[i]);
                if (r >= 0)
                        r = nc_strbuf_append_char(&out, nul ? '\0' : '\n');
        }
        if (r >= 0)
                r = cli_write_stdout(out.data ? out.data : "", out.len);
        nc_strbuf_free(&out);
        if (r < 0) {
                cli_error("writing to stdout: %s", strerror(-r));
                return NC_EXIT_FAILURE;
        }
        return NC_EXIT_OK;
}

int cli_run_argv(int argc, char **argv) {
        const cli_command *command = cli_find_command("argv");
        unsigned accepted = CLI_OPT_COMPAT | CLI_OPT_CONFIG | CLI_OPT_NUL | CLI_OPT_ENV_FILE | CLI_OPT_INIT |
                            CLI_OPT_NSPAWN | CLI_OPT_NAME;
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        nc_env *env = NULL;
        nc_strv result = { 0 };
        char *guest = NULL;
        cli_args args;
        int r, status;

        if ((r = cli_parse_args(command, argc, argv, accepted, &args)) != 0)
                return r - 1;
        if ((status = cli_load_unit(&args, &config, &env)) != 0)
                return status;
        {
                nc_argv_request request = {
                        .nspawn_path = args.nspawn,
                        .init_path = args.init,
                        .mode = args.compat ? NC_MODE_COMPAT : NC_MODE_STRICT,
                };
                char *system_file = NULL;
                /* A script that bash cannot parse never runs: that comes first. */
                r = nc_build_argv(nc_config_find(config, args.name), env, &request, &result, &error);
                if (r < 0) {
                        status = cli_fail(r, &error);
                        goto out;
                }
                /* ${optionalString (config.nixpkgs.localSystem.system == "x86_64-linux") ...}:
                 * the check exists on x86_64 hosts only. */
                r = read_guest_system(env, &guest, &system_file);
                if (r < 0) {
                        cli_error("argv: the start script stops at $(< %s): %s, before running systemd-nspawn",
                                  system_file ? system_file : "?", strerror(-r));
                        free(system_file);
                        status = NC_EXIT_FAILURE;
                        goto out;
                }
                /* Only an i686 guest changes the argv (--personality=x86). */
                if (guest && strcmp(guest, "i686-linux") == 0) {
                        nc_strv_clear(&result);
                        request.guest_system = guest;
                        r = nc_build_argv(nc_config_find(config, args.name), env, &request, &result, &error);
                }
        }
        if (r < 0) {
                status = cli_fail(r, &error);
                goto out;
        }
        status = print_argv(&result, args.nul);
out:
        nc_strv_clear(&result);
        free(guest);
        nc_env_free(env);
        nc_config_free(config);
        return status;
}
