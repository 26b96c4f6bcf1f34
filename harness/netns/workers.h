/* Fixtures run in parallel, each in its own forked worker (its own process
 * group and namespaces) with a timeout, as kselftest runs its cases: a
 * crash or a hang fails that fixture only. */
#ifndef NC_NETNS_WORKERS_H
#define NC_NETNS_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

#include "fixture.h"
#include "impl.h"

typedef struct worker_job {
        const fixture *fixture;
        char *outdir;     /* the worker's directory: NAME.net, worker.log, stubs */
        bool done;        /* the worker ran and exited 0 */
        char *failure;    /* otherwise why: "timed out after 120 s", "killed by signal 11", "harness error: ..." */
        long elapsed_ms;
} worker_job;

/* Runs run_fixture() for every job, at most `jobs` at a time, killing a
 * worker's process group after `timeout_s`. The worker's stdout and stderr
 * go to outdir/worker.log. Returns 0, or -errno if workers could not be
 * started. */
int workers_run(worker_job *jobs, size_t n, const impl *which, unsigned jobs_max, unsigned timeout_s);

#endif
