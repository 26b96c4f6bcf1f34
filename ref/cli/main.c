/* nixcontainer: the NixOS container module's outputs, from a JSON config. */
#include <stdio.h>
#include <string.h>

#include "alloc-util.h"
#include "cli.h"

static const cli_command commands[] = {
        { "env-file", "env-file [--compat] --config FILE NAME",
          { .compat = true, .config = true, .name = true },
          "Print /etc/containers/NAME.conf as the module renders it.\n", cli_run_env_file },
        { "hosts", "hosts [--compat] --config FILE",
          { .compat = true, .config = true },
          "Print the networking.extraHosts lines for all containers.\n", cli_run_hosts },
        { "argv",
          "argv [--compat] [-0] [--env-file FILE] [--init PATH] [--nspawn PATH] --config FILE NAME",
          { .compat = true, .config = true, .nul = true, .env_file = true, .init = true, .nspawn = true, .name = true },
          "Print the argv that the start script of container@NAME hands to systemd-nspawn,\n"
          "one argument per line (-0: each followed by a NUL). The environment is the\n"
          "process environment, then the unit's root and INSTANCE, then the env file\n"
          "(--env-file, default /etc/containers/NAME.conf when present) loaded as\n"
          "systemd's EnvironmentFile= loads it.\n\n"
          "  --init PATH    the container-init (the second-to-last argument)\n"
          "  --nspawn PATH  argv[0] (default systemd-nspawn)\n"
          "  --compat       reproduce the original's quirks instead of refusing input\n",
          cli_run_argv },
        { "nspawn-env", "nspawn-env [--compat] [-0] [--env-file FILE] --config FILE NAME",
          { .compat = true, .config = true, .nul = true, .env_file = true, .name = true },
          "Print the environment the start script of container@NAME execs systemd-nspawn\n"
          "with, NAME=VALUE one per line (-0: each followed by a NUL): the unit's\n"
          "environment, read as for argv, and what the release's script exports.\n", cli_run_nspawn_env },
        { "unit", "unit [--compat] --config FILE NAME",
          { .compat = true, .config = true, .name = true },
          "Print the properties the module sets on systemd.services.\"container@NAME\" as\n"
          "JSON (keys sorted, as `jq -S` prints them), without its scripts and ExecReload.\n"
          "A NAME the config does not hold gets the container@ template, as an imperative\n"
          "container does. Store paths of the host's packages are placeholders:\n"
          "\"" NC_UNIT_IPROUTE2 "\" and \"" NC_UNIT_NIX_PACKAGE "\" in path, and\n"
          "\"@etc/containers/NAME.conf@\" (the env file's store path) in restartTriggers.\n",
          cli_run_unit },
        { "host-setup", "host-setup [--compat] [--env-file FILE] --config FILE NAME",
          { .compat = true, .config = true, .env_file = true, .name = true },
          "The unit's postStart over netlink, in the current network namespace: ve-NAME up\n"
          "with the host addresses and routes to the local ones (unless HOST_BRIDGE is set),\n"
          "then each extra veth into its bridge, or up with addresses and routes.\n"
          "The environment is read as for argv. On a failing step: exit 1 and\n"
          "'nixcontainer: host-setup: STEP: WHY' (STEP as the script's `ip` command).\n", cli_run_host_setup },
        { "init-setup", "init-setup [--compat] [--env-file FILE] --config FILE NAME",
          { .compat = true, .config = true, .env_file = true, .name = true },
          "The network part of the container's init, in the current network namespace:\n"
          "host0 renamed to eth0 and up, addresses, host and default routes; extra veths\n"
          "up with addresses and routes. Reads the environment nspawn's --setenv gives.\n", cli_run_init_setup },
        { "prestart", "prestart [--compat] [--env-file FILE] --config FILE NAME",
          { .compat = true, .config = true, .env_file = true, .name = true },
          "The unit's preStart: machinectl terminate (best effort), then delete the stale\n"
          "ve-NAME, vb-NAME and extra veths in one bulk deletion, ignoring errors. Only\n"
          "veths are deleted (--compat: any link of that name); each link left in place\n"
          "is named on stderr with the reason.\n", cli_run_prestart },
        { "check", "check [--json] [--compat] --config FILE",
          { .compat = true, .config = true, .json = true },
          "Report definitions that cannot work (README, \"nixcontainer check\"): two containers\n"
          "with one extraVeth, an extraVeth named like another link or also in interfaces, one\n"
          "address or host port twice, an address whose route the kernel refuses, host and\n"
          "local addresses in different subnets. Each container's start is run, in name\n"
          "order, against a model of the kernel's rules to name the step that will fail\n"
          "and what iproute2 will print. One line per finding, or with --json a list of\n"
          "objects (kind, severity, containers, options, message, unit, stage, step, error).\n"
          "Exit status: 0 no error (warnings alone: 0), 1 errors, 2 input it cannot read.\n",
          cli_run_check },
        { "options", "options [--release R]",
          { 0 },
          "Print the container options: name, the releases that declare it, type, default,\n"
          "strict-mode rule. With --release, only that release's options.\n", cli_run_options },
        { "releases", "releases",
          { 0 },
          "Print the releases of nixos-containers.nix this program follows: the module\n"
          "copy each follows, whether it reads the host's stateVersion, what it adds.\n", cli_run_releases },
};

const cli_command *cli_find_command(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (strcmp(commands[i].name, name) == 0)
                        return &commands[i];
        return NULL;
}

static int usage(bool to_stdout) {
        FILE *out = to_stdout ? stdout : stderr;

        fputs("usage: nixcontainer COMMAND [OPTIONS]\n\n"
              "A reference implementation of NixOS's declarative containers\n"
              "(nixos-containers.nix; its releases: nixcontainer releases). Commands:\n\n", out);
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                fprintf(out, "  nixcontainer %s\n", commands[i].synopsis);
        fputs("  nixcontainer --version\n"
              "\nExit status: 0 done, 2 bad input or usage, 1 a runtime failure.\n"
              "Run 'nixcontainer COMMAND --help' for a command's help.\n", out);
        return to_stdout ? cli_flush_stdout() : NC_EXIT_USAGE;
}

int main(int argc, char **argv) {
        const cli_command *command;

        if (argc < 2)
                return usage(false);
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
                return usage(true);
        if (strcmp(argv[1], "--version") == 0) {
                printf("nixcontainer %s (libnixcontainer %s; releases", NC_VERSION, nc_version());
                for (size_t i = 0; nc_release_name(i); i++)
                        printf(" %s", nc_release_name(i));
                printf(")\n");
                return cli_flush_stdout();
        }
        command = cli_find_command(argv[1]);
        if (!command) {
                cli_error("unknown command '%s' (try --help)", argv[1]);
                return 2;
        }
        return command->run(argc - 1, argv + 1);
}
