/* nixcontainer-init: the container's PID 1, in place of the module's
 * container-init script (containerInit in nixos-containers.nix):
 *
 *   trap "exit 0" SIGRTMIN+3          # exit early if asked to shut down
 *   <network setup>                    # under -e: a failing step ends it
 *   set +e; . "$1"                     # source stage 2, keeping the trap
 *
 * It runs the same network setup (nc_init_setup) and then hands stage 2 to
 * a shell that sources it with the same trap, so that an early stop signal
 * is not lost: the module sources rather than execs for that reason.
 *
 *   nixcontainer-init STAGE2 [ARGS...]
 *   nixcontainer-init --help | --version
 *
 * The environment is the one nspawn's --setenv gives. The container's
 * static config (its extraVeths) is read from $NIXCONTAINER_CONFIG, else
 * NC_INIT_CONFIG (inside the container, i.e. the host's
 * /nix/var/nix/profiles/per-container/NAME/ directory); without one it
 * behaves as the imperative container@ template: no extra veths. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc-util.h"
#include "init-config.h"
#include "nixcontainer.h"

#ifndef NC_INIT_CONFIG
#define NC_INIT_CONFIG "/nix/var/nix/profiles/nixcontainer.json"
#endif
#ifndef NC_INIT_SHELL
#define NC_INIT_SHELL "/bin/sh"
#endif

extern char **environ;

static void on_stop(int signal) {
        (void) signal;
        /* trap "exit 0" SIGRTMIN+3 */
        _exit(0);
}

static int load_container(nc_config **ret_config, const nc_container **ret_container) {
        const char *path = getenv("NIXCONTAINER_CONFIG");
        nc_error error = { { 0 } };
        char hostname[256] = "";
        int r;

        /* nspawn names the machine's host after -M */
        if (gethostname(hostname, sizeof hostname - 1) < 0)
                hostname[0] = '\0';
        r = init_load_container(path ? path : NC_INIT_CONFIG, path != NULL, getenv("NIXCONTAINER_NAME"),
                                hostname[0] ? hostname : NULL, ret_config, ret_container, &error);
        if (r < 0)
                fprintf(stderr, "nixcontainer-init: %s\n", error.message);
        return r;
}

static int setup_network(void) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_(nc_env_freep) nc_env *env = nc_env_new();
        const nc_container *container = NULL;
        nc_error error = { { 0 } };
        int r;

        if (!env)
                return -ENOMEM;
        r = nc_env_load_environ(env, environ);
        if (r >= 0)
                r = load_container(&config, &container);
        /* No socket up front: without a private network there is nothing
         * to set up, and nspawn grants no CAP_NET_ADMIN. */
        if (r >= 0)
                r = nc_init_setup(NULL, container, env, &error);
        if (r < 0 && error.message[0])
                fprintf(stderr, "nixcontainer-init: %s\n", error.message);
        return r;
}

static const char usage[] =
        "usage: nixcontainer-init STAGE2 [ARGS...]\n"
        "       nixcontainer-init --help | --version\n"
        "A NixOS container's PID 1, in place of the module's container-init: sets up the\n"
        "container's network as `nixcontainer init-setup` does, then sources STAGE2 in sh\n"
        "under the module's trap (exit 0 on SIGRTMIN+3). See nixcontainer-init(8).\n";

int main(int argc, char **argv) {
        struct sigaction stop = { .sa_handler = on_stop };
        char trap[128];
        int r;

        if (argc < 2) {
                fprintf(stderr, "%s", usage);
                return 2;
        }
        /* The module's STAGE2 is a store path, never one of these words:
         * --help and --version on a host set nothing up. */
        if (argc == 2 && strcmp(argv[1], "--help") == 0) {
                printf("%s", usage);
                return 0;
        }
        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                printf("nixcontainer-init %s (libnixcontainer %s)\n", NC_VERSION, nc_version());
                return 0;
        }
        sigemptyset(&stop.sa_mask);
        if (sigaction(SIGRTMIN + 3, &stop, NULL) < 0) {
                fprintf(stderr, "nixcontainer-init: cannot handle SIGRTMIN+3: %s\n", strerror(errno));
                return 1;
        }
        r = setup_network();
        if (r < 0)
                return 1;
        /* set +e; . "$1" -- the trap set again in the shell that sources
         * stage 2 (by number: SIGRTMIN+3 is not named alike in every sh). */
        snprintf(trap, sizeof trap, "trap 'exit 0' %d; set +e; . \"$1\"", SIGRTMIN + 3);
        {
                /* sh -c '...' container-init STAGE2 ARGS: $0 and $1 as the
                 * original script has them while it sources stage 2. */
                _cleanup_free_ char **shell_argv = calloc((size_t) argc + 4, sizeof *shell_argv);
                if (!shell_argv)
                        return 1;
                shell_argv[0] = "sh";
                shell_argv[1] = "-c";
                shell_argv[2] = trap;
                shell_argv[3] = "container-init";
                for (int i = 1; i < argc; i++)
                        shell_argv[i + 3] = argv[i];
                execv(NC_INIT_SHELL, shell_argv);
                fprintf(stderr, "nixcontainer-init: cannot run %s: %s\n", NC_INIT_SHELL, strerror(errno));
        }
        return 1;
}
