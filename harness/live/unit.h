/* The container@ units of one live run (live-fixture.c runs them, unit.c
 * starts and stops them, mounts.c provides their mounts): what the harness
 * knows of each. */
#ifndef NC_LIVE_UNIT_H
#define NC_LIVE_UNIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "live.h"

#define READY_TIMEOUT_MS 30000 /* start to READY=1 */
#define STOP_TIMEOUT_MS 15000  /* SIGTERM to nspawn's exit */

/* A container@ unit as this tier runs it with the real systemd-nspawn. */
typedef struct live_unit {
        const char *name;
        nc_strv golden_argv;
        nspawn_network network;  /* nspawn's options, from the golden argv */
        nc_env *env;             /* the unit's: Environment=, EnvironmentFile=, NOTIFY_SOCKET */
        nc_strv envp;            /* the same, NULL-terminated */
        char *conf;              /* golden NAME.conf */
        char *stage2;            /* the stage 2 on the host */
        char *notify_path;
        int notify_fd;
        pid_t pid;               /* nspawn (the start script execs it in place) */
        int pidfd;
        bool exited;
        int wait_status;
        live_notify_state notify;
        int netns_fd;            /* the container's network namespace, while it runs */
        long started, ready_ms, running_ms, stop_ms;
        nc_strv steps;
        nc_strv results;         /* "key: value" */
} live_unit;

/* ---- helpers (unit.c) ------------------------------------------------------ */

int live_pushf(nc_strv *v, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* golden/<fixture>/NAME.SUFFIX; NULL when out of memory. */
char *live_golden_path(const fixture *f, const char *name, const char *suffix);
/* NULL when identical but for the indexes in `skip` (-1 ends it); else
 * which argument differs and how. */
char *unit_argv_difference(const nc_strv *golden, const nc_strv *actual, const ssize_t *skip);

/* ---- the container@ unit (unit.c) ----------------------------------------- */

/* c->env and c->envp: Environment= (golden NAME.unit-env), the env file with
 * EnvironmentFile= rules on top, and NOTIFY_SOCKET. */
int unit_env(const fixture *f, live_unit *c);
/* A variable of the unit's environment; "" when unset. */
const char *unit_var(const live_unit *c, const char *name);
/* preStart ("prestart") or postStart ("host-setup") in the calling
 * process's namespace: *ret_outcome is "ok", "failed at: STEP" or
 * "failed: WHY". Returns -errno only when the harness failed. */
int unit_host_stage(const fixture *f, live_impl impl, const live_tools *tools, live_unit *c, const char *stage,
                    char **ret_outcome);
/* ExecStart: the ref's argv with --register=no, or the module's start
 * script; its output goes to outdir/NAME.nspawn.log. */
int unit_start(const fixture *f, live_impl impl, const live_tools *tools, live_unit *c, const char *outdir);
/* Until READY=1, the process's end, or READY_TIMEOUT_MS (-ETIMEDOUT). */
int unit_wait_ready(live_unit *c);
/* Reaps the process if it ended. */
void unit_reap(live_unit *c);
/* A unit stop: SIGTERM to nspawn, wait for it (SIGKILL after
 * STOP_TIMEOUT_MS). Returns whether it was running. */
bool unit_stop(live_unit *c);
/* "nspawn-exit: ..." into c->results. */
void unit_describe_exit(live_unit *c);

/* What nspawn and the container printed (NAME.nspawn.log), CR removed. */
char *unit_read_log(const char *outdir, const live_unit *c);
/* nspawn ended before the payload: "failed at: OPTION=VALUE" or "failed: LAST LINE". */
char *unit_nspawn_failure(const char *log, const nspawn_network *n);
/* The container-init ended before stage 2: "failed at: STEP" or "failed: WHY". */
char *unit_init_failure(const char *log);

/* ---- mounts (mounts.c) ------------------------------------------------------ */

/* The run's private mount namespace; call after the network namespace is
 * made (the sysfs shows the namespace of whoever mounts it). */
int live_private_mounts(void);
/* The sources and mount points of the argv's --bind/--bind-ro. */
int live_provide_binds(const nc_strv *argv, const char *root);

#endif
