#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_parse_args(const cli_command *command, int argc, char **argv, unsigned accepted, cli_args *ret_args) {
        static const struct option long_options[] = {
                { "help", no_argument, NULL, 'h' },
                { "compat", no_argument, NULL, 'c' },
                { "config", required_argument, NULL, 'C' },
                { "env-file", required_argument, NULL, 'e' },
                { "init", required_argument, NULL, 'i' },
                { "nspawn", required_argument, NULL, 'n' },
                { NULL, 0, NULL, 0 },
        };
        cli_args args = { 0 };
        int c;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "0h", long_options, NULL)) != -1) {
                unsigned needed = 0;
                switch (c) {
                case 'h':
                        return cli_usage(command, true) + 1;
                case 'c': needed = CLI_OPT_COMPAT; args.compat = true; break;
                case 'C': needed = CLI_OPT_CONFIG; args.config = optarg; break;
                case 'e': needed = CLI_OPT_ENV_FILE; args.env_file = optarg; break;
                case 'i': needed = CLI_OPT_INIT; args.init = optarg; break;
                case 'n': needed = CLI_OPT_NSPAWN; args.nspawn = optarg; break;
                case '0': needed = CLI_OPT_NUL; args.nul = true; break;
                default:
                        if (optopt)
                                cli_error("%s: unknown option or missing argument: -%c", command->name, optopt);
                        else
                                cli_error("%s: unknown option or missing argument: %s", command->name,
                                          argv[optind - 1]);
                        return cli_usage(command, false) + 1;
                }
                if (!(accepted & needed)) {
                        cli_error("%s: option %s is not accepted here", command->name, argv[optind - 1]);
                        return cli_usage(command, false) + 1;
                }
        }
        if (accepted & CLI_OPT_NAME) {
                if (optind != argc - 1) {
                        cli_error("%s: expected exactly one container NAME", command->name);
                        return cli_usage(command, false) + 1;
                }
                args.name = argv[optind];
        } else if (optind != argc) {
                cli_error("%s: unexpected argument '%s'", command->name, argv[optind]);
                return cli_usage(command, false) + 1;
        }
        if ((accepted & CLI_OPT_CONFIG) && !args.config) {
                cli_error("%s: --config FILE is required", command->name);
                return cli_usage(command, false) + 1;
        }
        *ret_args = args;
        return 0;
}

int cli_load_config(const cli_args *args, nc_config **ret_config) {
        nc_error error = { { 0 } };
        int r = nc_config_load_file(args->config, args->compat ? NC_MODE_COMPAT : NC_MODE_STRICT, ret_config, &error);

        if (r < 0)
                return cli_fail(r == -ENOENT || r == -EACCES ? -EINVAL : r, &error);
        return 0;
}
