/* The worker pool of the namespace and live tiers: each job runs in a
 * forked worker (its own process group) with a timeout, as kselftest runs
 * its cases, so that a crash or a hang fails that job only. */
#ifndef HARNESS_WORKERS_H
#define HARNESS_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct worker_job {
        const void *data; /* the tier's: what the worker runs (a fixture, a live run) */
        char *outdir;     /* the worker's directory: worker.log, and what it writes */
        bool done;        /* the worker ran and exited 0 */
        char *failure;    /* otherwise why: "timed out after 120 s ...", "worker killed by signal 11 ...",
                           * "harness error: LAST LINE OF worker.log" */
        long elapsed_ms;
} worker_job;

/* Frees what a worker_job owns (outdir, failure); its argument is a
 * worker_job, as array_free() (array.h) calls it. */
void worker_job_clear(void *job);

/* What a worker does, in the worker process (stdout and stderr go to
 * outdir/worker.log): returns 0, or -errno when the harness could not do
 * its part. */
typedef int (*worker_fn)(worker_job *job, void *userdata);

typedef struct worker_pool {
        worker_fn run;
        void *userdata;     /* run()'s second argument */
        unsigned jobs_max;  /* workers at a time */
        unsigned timeout_s; /* then the worker's process group is killed */
        /* Whatever a worker that ended left in its process group is killed,
         * unless the caller counts it itself (the live tier, in the run's
         * cgroup: a leftover is a failure there). */
        bool keep_leftovers;
} worker_pool;

/* Runs pool->run for every job, at most pool->jobs_max at a time; sets
 * done, failure and elapsed_ms of each job. Returns 0, or -ENOMEM (no
 * worker started). */
int workers_run(worker_job *jobs, size_t n, const worker_pool *pool);

#endif
