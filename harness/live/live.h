/* The live tier: each fixture's containers booted by the real
 * systemd-nspawn (Debian's systemd-container), once from the ref's argv with
 * nixcontainer-init as PID 1 and the ref's host-setup, once from the
 * module's own start script with its container-init and postStart; the
 * resulting network compared with golden/<fixture>/NAME.net, which the
 * namespace tier made with a simulated nspawn.
 *
 * Everything a run does happens inside a worker process that has its own
 * mount namespace (tmpfs on /run, /nix and /var/lib, a read-only sysfs of
 * its own network namespace), its own network namespace (the fixture's
 * "host") and its own cgroup (what systemd gives a unit with Delegate=yes;
 * nspawn --keep-unit makes its payload and supervisor cgroups below it).
 * When the worker is gone, so are its mounts, namespaces and links; the
 * cgroup is killed and removed by the parent. */
#ifndef NC_LIVE_LIVE_H
#define NC_LIVE_LIVE_H

#include <stdbool.h>
#include <sys/types.h>

#include "fixture.h"
#include "net-file.h"
#include "nspawn-sim.h"

typedef enum live_impl { LIVE_REF, LIVE_ORIGINAL } live_impl;

/* "ref", "original" */
const char *live_impl_name(live_impl impl);

/* What a run takes from outside its mount namespace: absolute paths. */
typedef struct live_tools {
        const char *nspawn;        /* the machine's systemd-nspawn */
        const char *nixcontainer;  /* build/nixcontainer */
        const char *init;          /* build/nixcontainer-init */
        const char *notify;        /* build/live/notify-send (static): sends READY=1 from inside */
        const char *start_scripts; /* harness/live/start: the module's rendered start scripts */
} live_tools;

/* Runs every container@ unit of the fixture, in name order, with the
 * implementation, in the calling process (which it moves into new mount and
 * network namespaces: call it in a worker). Writes to outdir, per container:
 *
 *   NAME.net         # host / # container NAME / # steps, as golden NAME.net
 *   NAME.result      "key: value" lines (ready-ms, stop-ms, nspawn-exit, argv, leftover, ...)
 *   NAME.nspawn.log  what nspawn and the container printed
 *   NAME.stage2      the container's network as its stage 2 saw it
 *
 * Returns 0 when the run could be made (whatever the containers did), or
 * -errno when the harness could not do its part (details on stderr). */
int live_run_fixture(const fixture *f, live_impl impl, const live_tools *tools, const char *outdir);

/* ---- the container's file system (rootfs.c) ------------------------------ */

/* The programs the containers run, beside the stage 2 and the inits in the
 * store: the shells, iproute2's ip and sleep. */
extern const char *const live_os_programs[];

/* The host files an OS tree needs so that `programs` (and `extra`, an ELF
 * that lives elsewhere, e.g. in the store) run in it: the programs
 * themselves and every library ldd names, by the path they are found at.
 * On error, returns -errno with a message in *ret_error. */
int live_closure(const char *const *programs, const char *extra, nc_strv *ret_files, char **ret_error);

/* A minimal OS tree at `root`: usr/ with copies of `files` (symlinks kept
 * as symlinks), bin, sbin, lib and lib64 as links into usr/ (Debian is
 * usrmerged), etc/os-release, an empty etc/machine-id (as the start script
 * leaves it), and the mount points nspawn expects. */
int live_os_tree(const char *root, const nc_strv *files, char **ret_error);

int live_copy_file(const char *from, const char *to, mode_t mode);

/* ---- the store (store.c) ------------------------------------------------- */

/* The fake packages of the unit's PATH (golden NAME.unit-env), as
 * harness/golden/run-original.sh makes them: bin/ and sbin/ pointing at the
 * machine's /usr/bin and /usr/sbin, except
 *   - iproute2's bin/ip: the machine's ip, naming a failing call on stderr
 *     ("live-ip: failed: ip ARGS"), so that a step of the original's
 *     container-init can be named;
 *   - the systemd package that holds `nspawn_fake` (argv[0] of the golden
 *     argv): bin/systemd-nspawn records its argv (NUL-separated, in
 *     /run/live/argv.$INSTANCE) and execs `nspawn_real --register=no`;
 *     bin/machinectl says no machine is known (nothing is registered).
 * On error, returns -errno with a message in *ret_error. */
int live_store_packages(const char *unit_path, const char *nspawn_fake, const char *nspawn_real, char **ret_error);

/* Where the store puts the live tier's own things. */
#define LIVE_STORE_INIT "/nix/store/11111111111111111111111111111111-nixcontainer-init/bin/nixcontainer-init"
#define LIVE_STORE_NOTIFY "/nix/store/22222222222222222222222222222222-nixcontainer-live/bin/notify-send"

/* ---- readiness (notify-receive.c) ------------------------------------------------ */

/* A datagram socket at `path` that receives what nspawn sends to
 * $NOTIFY_SOCKET, as systemd's notify socket for a Type=notify unit. */
int live_notify_open(const char *path, int *ret_fd);

/* What nspawn said so far. */
typedef struct live_notify_state {
        bool running; /* "STATUS=Container running." (the payload was started) */
        bool ready;   /* "READY=1" (forwarded from PID 1: --notify-ready=yes) */
        pid_t leader; /* X_NSPAWN_LEADER_PID= */
} live_notify_state;

/* Reads the datagrams waiting on `fd` into *state. Returns 0, or -errno. */
int live_notify_drain(int fd, live_notify_state *state);

/* ---- cgroups (cgroup.c) -------------------------------------------------- */

/* One new cgroup per hierarchy nspawn uses (cgroup2, and name=systemd on a
 * hybrid host), below the caller's own. */
typedef struct live_cgroup {
        nc_strv dirs;
} live_cgroup;

int live_cgroup_create(const char *name, live_cgroup *ret, char **ret_error);
/* In the child: moves the calling process into it. */
int live_cgroup_enter(const live_cgroup *cg);
/* Kills whatever is left in it (cgroup.kill, else each process), waits for
 * it to empty and removes it with everything nspawn made below it. Sets
 * *ret_killed to the number of processes that had to be killed. Returns 0,
 * or -errno with a message in *ret_error. */
int live_cgroup_destroy(live_cgroup *cg, unsigned *ret_killed, char **ret_error);
/* Kills and removes the cgroups of earlier runs whose test-live is gone
 * (killed with SIGKILL: their containers may still be running), anywhere
 * in the hierarchies; one line per cgroup in *ret_removed. Returns 0, or
 * -EBUSY when one could not be removed. */
int live_cgroups_remove_stale(nc_strv *ret_removed);

/* ---- MAC addresses (macs.c) ----------------------------------------------- */

/* Whether the links nspawn made for `n` (in this process's namespace and in
 * the container's, `container_fd`) have the addresses nspawn's
 * generate_mac() gives: "as nspawn's generate_mac() (N link(s))", or what
 * differs; NULL when there is nothing to check. Caller frees. */
char *live_check_macs(const nspawn_network *n, int container_fd);

/* ---- the simulation against the real nspawn (sim-differences.c) ---------- */

/* A line the namespace tier's simulated nspawn leaves in a golden .net
 * section and the real nspawn does not. */
typedef struct live_sim_difference {
        const char *id;
        const char *section; /* the section's header starts so: "# container " */
        const char *line;
        const char *what;    /* why, with the sources that show it */
} live_sim_difference;

extern const live_sim_difference live_sim_differences[]; /* ends with an all-NULL entry */

/* The golden as the real nspawn leaves it: the lines of each difference
 * removed from their sections; the ids of those that removed something are
 * added to *applied. Returns NULL when out of memory. */
char *live_golden_as_nspawn(const char *golden, nc_strv *applied);

/* ---- the machine (machine.c) ----------------------------------------------- */

/* What a run made and must not leave: looked for among what this run
 * made only (other runs may work on the machine meanwhile). */

/* In a worker, after its run: its network and mount namespaces (the run
 * moved it into new ones), as file descriptors, to the tier over
 * `socket_fd` (SCM_RIGHTS). A namespace's number is unique only while
 * something holds it: holding them, the tier can tell for certain whether
 * anything else still does once the worker is gone. */
void live_namespaces_send(int socket_fd);
/* In the tier, once the worker and its cgroup are gone: what still holds
 * the namespaces the worker sent (other than this process's descriptors),
 * "net:[N]: process PID is in it; ..." (a process in one, a descriptor of
 * one, an nsfs mount of one in any mount namespace), or NULL. Closes the
 * descriptors; *ret_checked: how many namespaces were looked for. */
char *live_namespaces_left(int socket_fd, unsigned *ret_checked);
/* The mount points at or below `dir` in this process's mount table, or
 * NULL. Caller frees. */
char *live_mounts_below(const char *dir);
/* "+NAME" for each name added (that `counts`, when given), "-NAME" for each
 * gone, between two sorted lists; NULL when none. Caller frees. */
char *live_machine_difference(const nc_strv *before, const nc_strv *after, bool (*counts)(const char *));
/* This process's children, and the processes it became the parent of. */
size_t live_children_left(void);

/* ---- the steps of a .net file (net-sections.c) ------------------------------------------- */

/* Whether the steps say "STAGE: failed ...". */
bool net_step_failed(const char *steps, const char *stage);
/* The golden's steps as a real nspawn takes them: after a failed nspawn or
 * container-init, postStart is "not run". Caller frees. */
char *net_expected_steps(const char *golden_steps);

#endif
