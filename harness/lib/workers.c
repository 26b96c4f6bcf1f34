/* The worker pool: see workers.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "text.h"
#include "workers.h"

/* In the worker: its own process group (so a timeout kills everything it
 * started), output to worker.log, the job, and out. */
static void worker_main(worker_job *job, worker_fn run, void *userdata) {
        char *log = NULL;
        int fd, r;

        setpgid(0, 0);
        if (asprintf(&log, "%s/worker.log", job->outdir) < 0)
                _exit(2);
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        free(log);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
                _exit(2);
        close(fd);
        r = run(job, userdata);
        fflush(stdout);
        fflush(stderr);
        _exit(r < 0 ? 1 : 0);
}

typedef struct running {
        pid_t pid;
        size_t job;
        long started;
        bool killed;
} running;

static void finish(worker_job *job, int status, bool killed, unsigned timeout_s, long elapsed) {
        char *log = NULL, *tail = NULL;
        int r = 0;

        job->elapsed_ms = elapsed;
        if (killed)
                r = asprintf(&job->failure, "timed out after %u s (worker's process group killed)", timeout_s);
        else if (WIFSIGNALED(status))
                r = asprintf(&job->failure, "worker killed by signal %d (%s)", WTERMSIG(status),
                             strsignal(WTERMSIG(status)));
        else if (WEXITSTATUS(status) != 0) {
                if (asprintf(&log, "%s/worker.log", job->outdir) >= 0)
                        tail = file_last_line(log);
                r = asprintf(&job->failure, "harness error: %s", tail ? tail : "see worker.log");
        } else
                job->done = true;
        if (r < 0)
                job->failure = NULL;
        free(log);
        free(tail);
}

int workers_run(worker_job *jobs, size_t n, const worker_pool *pool) {
        unsigned jobs_max = pool->jobs_max ? pool->jobs_max : 1, timeout_s = pool->timeout_s;
        running *slots;
        size_t next = 0, active = 0;

        slots = calloc(jobs_max, sizeof *slots);
        if (!slots)
                return -ENOMEM;
        while (next < n || active > 0) {
                while (next < n && active < jobs_max) {
                        pid_t pid;
                        fflush(stdout);
                        fflush(stderr);
                        pid = fork();
                        if (pid < 0) {
                                /* That job fails; the others go on. */
                                if (asprintf(&jobs[next].failure, "cannot fork a worker: %s", strerror(errno)) < 0)
                                        jobs[next].failure = NULL;
                                next++;
                                break;
                        }
                        if (pid == 0)
                                worker_main(&jobs[next], pool->run, pool->userdata);
                        setpgid(pid, pid);
                        for (size_t s = 0; s < jobs_max; s++)
                                if (slots[s].pid == 0) {
                                        slots[s] = (running) { .pid = pid, .job = next, .started = clock_ms() };
                                        break;
                                }
                        next++;
                        active++;
                }
                for (size_t s = 0; s < jobs_max; s++) {
                        siginfo_t info = { 0 };
                        int status;
                        if (slots[s].pid == 0)
                                continue;
                        if (!slots[s].killed && clock_ms() - slots[s].started > (long) timeout_s * 1000) {
                                kill(-slots[s].pid, SIGKILL);
                                slots[s].killed = true;
                        }
                        /* Look without reaping: while the worker is a zombie its
                         * process group cannot be reused, so whatever it left in
                         * the group can be killed safely, then it is reaped. */
                        if (waitid(P_PID, (id_t) slots[s].pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                            info.si_pid == slots[s].pid) {
                                if (!pool->keep_leftovers)
                                        kill(-slots[s].pid, SIGKILL);
                                while (waitpid(slots[s].pid, &status, 0) < 0 && errno == EINTR)
                                        ;
                                finish(&jobs[slots[s].job], status, slots[s].killed, timeout_s,
                                       clock_ms() - slots[s].started);
                                slots[s].pid = 0;
                                active--;
                        }
                }
                nanosleep(&(struct timespec) { 0, 5 * 1000 * 1000 }, NULL);
        }
        free(slots);
        return 0;
}

void worker_job_clear(void *job) {
        worker_job *j = job;

        free(j->outdir);
        free(j->failure);
}
