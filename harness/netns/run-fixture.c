/* One fixture in the namespace tier, in a worker: see run-fixture.h. */
#include <errno.h>
#include <net/if.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "net-file.h"
#include "netns.h"
#include "nspawn-sim.h"
#include "prestate.h"
#include "run-fixture.h"
#include "strv.h"
#include "text.h"

/* A container as this tier runs it: the network nspawn would give it
 * (simulated, nspawn-sim.h), a holder process in its namespace where
 * nspawn would start PID 1, the environment of its stages and their
 * outcomes. */
typedef struct simulated_container {
        const char *name;
        nspawn_network network;
        netns_holder holder;
        nc_strv envp; /* NULL-terminated once built */
        nc_strv steps;
} simulated_container;

bool fixture_eligible(const fixture *f, const char **ret_why) {
        if (f->rejected) {
                *ret_why = "the module refuses it (no unit, nothing to start)";
                return false;
        }
        for (size_t i = 0; i < f->unit_names.n; i++) {
                if (golden_start_failed(f, f->unit_names.items[i])) {
                        *ret_why = "the original's start script fails (golden NAME.start-error)";
                        return false;
                }
                if (strchr(f->unit_names.items[i], '/')) {
                        *ret_why = "a container name with '/' cannot name a .net file";
                        return false;
                }
        }
        *ret_why = NULL;
        return true;
}

/* bin/machinectl: preStart's `machinectl terminate "$INSTANCE" 2> /dev/null || true`
 * must not reach a real machine. stage-2: what containerInit sources last
 * (`. "$1"`); empty, as only the network part is under test. */
static int make_workdir(const char *outdir) {
        char *bin = NULL, *stage2 = NULL;
        int r;

        if (asprintf(&bin, "%s/bin", outdir) < 0)
                return -ENOMEM;
        r = mkdir(bin, 0755) < 0 && errno != EEXIST ? -errno : 0;
        free(bin);
        bin = NULL;
        if (r >= 0 && asprintf(&bin, "%s/bin/machinectl", outdir) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = write_file_string(bin, "#!/bin/sh\n# The namespace tier's stand-in: no machine is terminated.\nexit 0\n",
                                      0755);
        free(bin);
        if (r >= 0 && asprintf(&stage2, "%s/stage-2", outdir) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = write_file_string(stage2, "", 0644);
        free(stage2);
        return r;
}

static int env_set(nc_strv *envp, const char *assignment) {
        size_t n = strcspn(assignment, "=");

        for (size_t i = 0; i < envp->n; i++)
                if (strncmp(envp->items[i], assignment, n) == 0 && envp->items[i][n] == '=') {
                        char *copy = strdup(assignment);
                        if (!copy)
                                return -ENOMEM;
                        free(envp->items[i]);
                        envp->items[i] = copy;
                        return 0;
                }
        return nc_strv_push(envp, assignment);
}

/* The container's environment as nspawn's --setenv gives it
 * (`--setenv HOST_ADDRESS="$HOST_ADDRESS"` ...; the unit's scripts see the
 * same values from the env file), the unit's INSTANCE, and a PATH with the
 * stubs first. The golden PATH (fake store paths) is not used. */
static int build_env(simulated_container *c, const char *outdir) {
        char *line = NULL;
        const char *path = getenv("PATH");
        int r = 0;

        for (size_t i = 0; r >= 0 && i < c->network.setenv.n; i++)
                if (strncmp(c->network.setenv.items[i], "PATH=", 5) != 0)
                        r = env_set(&c->envp, c->network.setenv.items[i]);
        if (r >= 0 && asprintf(&line, "INSTANCE=%s", c->name) >= 0) {
                r = env_set(&c->envp, line);
                free(line);
        } else
                r = -ENOMEM;
        if (r >= 0 && asprintf(&line, "PATH=%s/bin:%s", outdir, path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin") >= 0) {
                r = env_set(&c->envp, line);
                free(line);
        } else if (r >= 0)
                r = -ENOMEM;
        if (r >= 0)
                r = strv_null_terminate(&c->envp);
        return r;
}

static int add_step(simulated_container *c, const char *stage, const char *outcome) {
        char *line = NULL;
        int r;

        if (asprintf(&line, "%s: %s", stage, outcome) < 0)
                return -ENOMEM;
        r = nc_strv_push(&c->steps, line);
        free(line);
        return r;
}

static int run_stage(const fixture *f, const impl *which, simulated_container *c, const char *outdir, impl_stage stage,
                     int netns_fd) {
        impl_call call = { .fixture = f, .name = c->name, .envp = c->envp.items, .netns_fd = netns_fd,
                           .workdir = outdir };
        char *outcome = NULL;
        int r = impl_run(which, &call, stage, &outcome);

        if (r < 0) {
                fprintf(stderr, "%s: %s: %s: harness error: %s\n", f->id, c->name, impl_stage_name(stage), strerror(-r));
                return r;
        }
        r = add_step(c, impl_stage_name(stage), outcome);
        free(outcome);
        return r;
}

/* The nspawn options of the unit, from the argv its start script exec'd. */
static int read_network(const fixture *f, simulated_container *c) {
        nc_strv argv = { 0 };
        int r = nspawn_network_read_golden(f, c->name, &argv, &c->network);

        nc_strv_clear(&argv);
        return r;
}

/* After a container namespace is killed, the kernel deletes its veths (and
 * their host ends) in a workqueue: wait until the host's links stop
 * changing (200 ms alike, 3 s at most). */
static void wait_for_namespace_cleanup(void) {
        unsigned previous = 0, same = 0;

        for (int i = 0; i < 150 && same < 10; i++) {
                struct if_nameindex *links = if_nameindex();
                unsigned n = 0;
                for (struct if_nameindex *l = links; l && l->if_index; l++)
                        n++;
                if_freenameindex(links);
                same = n == previous ? same + 1 : 0;
                previous = n;
                usleep(20000);
        }
}

/* One container, in the order the unit runs it: preStart (host), then
 * ExecStart, the start script's `exec systemd-nspawn ... ${containerInit cfg}`
 * (nspawn's links in host and container, then the container-init's network
 * part in the container, or in the host without a private network), then
 * postStart (host), which systemd runs once the container is up. */
static int run_container(const fixture *f, const impl *which, simulated_container *c, const char *outdir) {
        char *failed_option = NULL, *error = NULL;
        int r;

        r = build_env(c, outdir);
        if (r >= 0 && c->network.private_network) {
                r = netns_holder_spawn(&c->holder, &error);
                if (r < 0)
                        fprintf(stderr, "%s: %s: %s\n", f->id, c->name, error ? error : strerror(-r));
                free(error);
                error = NULL;
        }
        if (r >= 0)
                r = run_stage(f, which, c, outdir, IMPL_PRESTART, -1);
        if (r < 0)
                return r;
        fprintf(stderr, "--- nspawn %s\n", c->name);
        if (nspawn_sim_run(&c->network, c->holder.pid, &failed_option, &error) < 0) {
                char *outcome = NULL;
                fprintf(stderr, "nspawn: %s: %s\n", failed_option ? failed_option : "?", error ? error : "?");
                r = asprintf(&outcome, "failed at: %s", failed_option ? failed_option : "?") < 0 ? -ENOMEM : 0;
                if (r >= 0)
                        r = add_step(c, "nspawn", outcome);
                /* The container never starts: no init, no ExecStartPost. Its
                 * namespace is gone, and with it what nspawn had created there
                 * (real nspawn, seen by the live tier). */
                if (r >= 0)
                        r = add_step(c, impl_stage_name(IMPL_INIT_SETUP), "not run");
                if (r >= 0)
                        r = add_step(c, impl_stage_name(IMPL_HOST_SETUP), "not run");
                netns_holder_kill(&c->holder);
                wait_for_namespace_cleanup();
                free(outcome);
        } else {
                r = add_step(c, "nspawn", "ok");
                if (r >= 0)
                        r = run_stage(f, which, c, outdir, IMPL_INIT_SETUP, c->holder.fd);
                if (r >= 0 && c->steps.n && strstr(c->steps.items[c->steps.n - 1], ": failed at: ")) {
                        /* A failing container-init is PID 1 exiting: the container
                         * ends, its namespace and veths go, no READY=1 arrives and
                         * systemd never runs postStart. */
                        netns_holder_kill(&c->holder);
                        wait_for_namespace_cleanup();
                        r = add_step(c, impl_stage_name(IMPL_HOST_SETUP), "not run");
                } else if (r >= 0)
                        r = run_stage(f, which, c, outdir, IMPL_HOST_SETUP, -1);
        }
        free(failed_option);
        free(error);
        return r;
}

static int write_results(const fixture *f, const simulated_container *runs, const char *outdir) {
        net_file_container *containers = calloc(f->unit_names.n + 1, sizeof *containers);
        bool settled;
        int r;

        if (!containers)
                return -ENOMEM;
        for (size_t i = 0; i < f->unit_names.n; i++)
                containers[i] = (net_file_container) { .name = runs[i].name, .netns_fd = runs[i].holder.fd,
                                                       .steps = &runs[i].steps };
        r = net_files_write(f->id, outdir, containers, f->unit_names.n, NULL, &settled);
        free(containers);
        return r;
}

static void simulated_container_clear(void *item) {
        simulated_container *c = item;

        netns_holder_kill(&c->holder);
        nspawn_network_clear(&c->network);
        nc_strv_clear(&c->envp);
        nc_strv_clear(&c->steps);
}

int run_fixture(const fixture *f, const impl *which, const char *outdir) {
        const nc_strv *names = &f->unit_names;
        simulated_container *runs = calloc(names->n ? names->n : 1, sizeof *runs);
        nspawn_network *networks = calloc(names->n ? names->n : 1, sizeof *networks);
        char *error = NULL;
        int r = 0;

        if (!runs || !networks) {
                free(runs);
                free(networks);
                return -ENOMEM;
        }
        for (size_t i = 0; i < names->n; i++) {
                runs[i].name = names->items[i];
                runs[i].holder = NETNS_HOLDER_NONE;
        }
        for (size_t i = 0; r >= 0 && i < names->n; i++) {
                r = read_network(f, &runs[i]);
                if (r >= 0)
                        networks[i] = runs[i].network;
        }
        if (r >= 0)
                r = make_workdir(outdir);
        if (r >= 0) {
                r = netns_unshare_prepared(&error);
                if (r < 0)
                        fprintf(stderr, "%s: host namespace: %s\n", f->id, error ? error : strerror(-r));
        }
        if (r >= 0) {
                r = prestate_apply(f, networks, names->n, &error);
                if (r < 0)
                        fprintf(stderr, "%s: pre-state: %s\n", f->id, error ? error : strerror(-r));
        }
        /* unit_names is sorted: containers start in name order. */
        for (size_t i = 0; r >= 0 && i < names->n; i++)
                r = run_container(f, which, &runs[i], outdir);
        if (r >= 0)
                r = write_results(f, runs, outdir);
        array_free(runs, names->n, sizeof *runs, simulated_container_clear);
        free(networks); /* shallow copies of runs[i].network */
        free(error);
        return r;
}
