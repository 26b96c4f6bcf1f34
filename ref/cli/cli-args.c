#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int usage_error(const cli_command *command, int *ret_exit_status, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

/* "COMMAND: " and the message, then the usage, on stderr: the command stops. */
static int usage_error(const cli_command *command, int *ret_exit_status, const char *format, ...) {
        char message[512];
        va_list ap;

        va_start(ap, format);
        vsnprintf(message, sizeof message, format, ap);
        va_end(ap);
        cli_error("%s: %s", command->name, message);
        *ret_exit_status = cli_usage(command, false);
        return 1;
}

int cli_parse_args(const cli_command *command, int argc, char **argv, cli_args *ret_args, int *ret_exit_status) {
        const cli_accepts *accepts = &command->accepts;
        static const struct option long_options[] = {
                { "help", no_argument, NULL, 'h' },
                { "compat", no_argument, NULL, 'c' },
                { "config", required_argument, NULL, 'C' },
                { "env-file", required_argument, NULL, 'e' },
                { "init", required_argument, NULL, 'i' },
                { "nspawn", required_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                { "release", required_argument, NULL, 'r' },
                { "state-version", required_argument, NULL, 's' },
                { NULL, 0, NULL, 0 },
        };
        cli_args args = { 0 };
        char short_option[3] = "-";
        int c;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "0h", long_options, NULL)) != -1) {
                bool accepted = false;
                switch (c) {
                case 'h':
                        *ret_exit_status = cli_usage(command, true);
                        return 1;
                case 'c': accepted = accepts->compat; args.compat = true; break;
                case 'C': accepted = accepts->config; args.config = optarg; break;
                case 'e': accepted = accepts->env_file; args.env_file = optarg; break;
                case 'i': accepted = accepts->init; args.init = optarg; break;
                case 'n': accepted = accepts->nspawn; args.nspawn = optarg; break;
                case '0': accepted = accepts->nul; args.nul = true; break;
                case 'j': accepted = accepts->json; args.json = true; break;
                /* Every command takes these two. */
                case 'r': args.release = optarg; continue;
                case 's': args.state_version = optarg; continue;
                default:
                        /* A long option is named as given (getopt's optopt is its
                         * internal letter when its argument is missing). */
                        short_option[1] = (char) optopt;
                        return usage_error(command, ret_exit_status, "unknown option or missing argument: %s",
                                           optopt && strncmp(argv[optind - 1], "--", 2) != 0 ? short_option
                                                                                            : argv[optind - 1]);
                }
                if (!accepted)
                        return usage_error(command, ret_exit_status, "option %s is not accepted here",
                                           argv[optind - 1]);
        }
        if (accepts->name) {
                if (optind != argc - 1)
                        return usage_error(command, ret_exit_status, "expected exactly one container NAME");
                args.name = argv[optind];
        } else if (optind != argc)
                return usage_error(command, ret_exit_status, "unexpected argument '%s'", argv[optind]);
        if (accepts->config && !args.config)
                return usage_error(command, ret_exit_status, "--config FILE is required");
        *ret_args = args;
        return 0;
}

int cli_refused(const nc_container *container) {
        const char *refusal = nc_container_refusal(container);

        if (!refusal)
                return 0;
        cli_error("%s", refusal);
        return NC_EXIT_USAGE;
}

int cli_refused_any(const nc_config *config, int status) {
        for (size_t i = 0; i < nc_config_count(config); i++)
                if (cli_refused(nc_config_at(config, i)) != 0 && status == NC_EXIT_OK)
                        status = NC_EXIT_USAGE;
        return status;
}

int cli_load_config(const cli_args *args, nc_config **ret_config) {
        nc_error error = { { 0 } };
        /* A container strict mode refuses (its name or a value) blocks only
         * the commands on it (cli_refused()), as the module fails only it. */
        int r = nc_config_load_file_flags(args->config, args->compat ? NC_MODE_COMPAT : NC_MODE_STRICT,
                                          NC_LOAD_KEEP_REFUSED, args->release, args->state_version, ret_config,
                                          &error);

        if (r < 0)
                /* A config that cannot be read is bad input, whatever the reason. */
                return cli_fail(r == -ENOENT || r == -EACCES || r == -EISDIR ? -EINVAL : r, &error);
        return 0;
}
