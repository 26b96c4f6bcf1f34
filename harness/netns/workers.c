#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run-fixture.h"
#include "workers.h"

static long now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the worker: its own process group (so a timeout kills everything it
 * started), output to worker.log, the fixture, and out. */
static void worker_main(worker_job *job, const impl *which) {
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
        r = run_fixture(job->fixture, which, job->outdir);
        fflush(stdout);
        fflush(stderr);
        _exit(r < 0 ? 1 : 0);
}

/* The last line of worker.log, for a failure message. */
static char *log_tail(const worker_job *job) {
        char *path = NULL, line[1024], last[1024] = "";
        FILE *in;

        if (asprintf(&path, "%s/worker.log", job->outdir) < 0)
                return NULL;
        in = fopen(path, "re");
        free(path);
        if (!in)
                return NULL;
        while (fgets(line, sizeof line, in))
                if (line[0] != '\n')
                        memcpy(last, line, sizeof last);
        fclose(in);
        last[strcspn(last, "\n")] = '\0';
        return strdup(last);
}

typedef struct running {
        pid_t pid;
        size_t job;
        long started;
        bool killed;
} running;

static void finish(worker_job *job, int status, bool killed, unsigned timeout_s, long elapsed) {
        char *tail = NULL;
        int r = 0;

        job->elapsed_ms = elapsed;
        if (killed)
                r = asprintf(&job->failure, "timed out after %u s (worker's process group killed)", timeout_s);
        else if (WIFSIGNALED(status))
                r = asprintf(&job->failure, "worker killed by signal %d (%s)", WTERMSIG(status),
                             strsignal(WTERMSIG(status)));
        else if (WEXITSTATUS(status) != 0) {
                tail = log_tail(job);
                r = asprintf(&job->failure, "harness error: %s", tail ? tail : "see worker.log");
        } else
                job->done = true;
        if (r < 0)
                job->failure = NULL;
        free(tail);
}

int workers_run(worker_job *jobs, size_t n, const impl *which, unsigned jobs_max, unsigned timeout_s) {
        running *slots = calloc(jobs_max ? jobs_max : 1, sizeof *slots);
        size_t next = 0, active = 0;

        if (!slots)
                return -ENOMEM;
        if (jobs_max == 0)
                jobs_max = 1;
        fflush(stdout);
        fflush(stderr);
        while (next < n || active > 0) {
                while (next < n && active < jobs_max) {
                        pid_t pid = fork();
                        if (pid < 0) {
                                /* That fixture fails; the others go on. */
                                if (asprintf(&jobs[next].failure, "cannot fork a worker: %s", strerror(errno)) < 0)
                                        jobs[next].failure = NULL;
                                next++;
                                break;
                        }
                        if (pid == 0)
                                worker_main(&jobs[next], which);
                        setpgid(pid, pid);
                        for (size_t s = 0; s < jobs_max; s++)
                                if (slots[s].pid == 0) {
                                        slots[s] = (running) { .pid = pid, .job = next, .started = now_ms() };
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
                        if (!slots[s].killed && now_ms() - slots[s].started > (long) timeout_s * 1000) {
                                kill(-slots[s].pid, SIGKILL);
                                slots[s].killed = true;
                        }
                        /* Look without reaping: while the worker is a zombie its
                         * process group cannot be reused, so whatever it left in
                         * the group can be killed safely, then it is reaped. */
                        if (waitid(P_PID, (id_t) slots[s].pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                            info.si_pid == slots[s].pid) {
                                kill(-slots[s].pid, SIGKILL);
                                while (waitpid(slots[s].pid, &status, 0) < 0 && errno == EINTR)
                                        ;
                                finish(&jobs[slots[s].job], status, slots[s].killed, timeout_s,
                                       now_ms() - slots[s].started);
                                slots[s].pid = 0;
                                active--;
                        }
                }
                nanosleep(&(struct timespec) { 0, 5 * 1000 * 1000 }, NULL);
        }
        free(slots);
        return 0;
}
