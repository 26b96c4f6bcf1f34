/* Child processes, programs, and the text substitution of the scheme. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "fixture.h"
#include "run.h"
#include "workers.h"

/* A row's child may run for minutes (row 2 at 1,000 containers). */
#define CHILD_TIMEOUT_S 3600

typedef struct child_call {
        child_fn fn;
        void *userdata;
        size_t n;
        pid_t parent;
} child_call;

/* In the pool's worker. The pool gives it its own process group, out of
 * reach of the terminal's ^C: it dies with the bench instead. */
static int child_main(worker_job *job, void *userdata) {
        const child_call *call = userdata;
        double *values = calloc(call->n ? call->n : 1, sizeof *values);
        char *path = NULL;
        int r;

        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != call->parent)
                _exit(1);
        r = values ? call->fn(call->userdata, values, call->n) : -ENOMEM;
        if (r >= 0 && asprintf(&path, "%s/values", job->outdir) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = write_file(path, values, call->n * sizeof *values, 0644);
        free(path);
        free(values);
        return r;
}

int bench_work_dir(const bench_options *o, const char *name, char **ret_dir) {
        char *dir = NULL;

        if (asprintf(&dir, "%s/%s", o->work, name) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                int r = -errno;
                free(dir);
                return r;
        }
        *ret_dir = dir;
        return 0;
}

int run_in_child(const bench_options *o, const char *name, child_fn fn, void *userdata, double *ret_values,
                 size_t n) {
        child_call call = { .fn = fn, .userdata = userdata, .n = n, .parent = getpid() };
        worker_pool pool = { .run = child_main, .userdata = &call, .jobs_max = 1, .timeout_s = CHILD_TIMEOUT_S };
        worker_job job = { 0 };
        char *path = NULL, *data = NULL;
        size_t len = 0;
        int r;

        r = bench_work_dir(o, name, &job.outdir);
        if (r >= 0 && asprintf(&path, "%s/values", job.outdir) < 0)
                r = -ENOMEM;
        if (r >= 0) {
                (void) unlink(path); /* an earlier call's */
                r = workers_run(&job, 1, &pool);
        }
        /* What the child printed, as if it had printed it here. */
        if (r >= 0 && (data = read_file_at(job.outdir, "worker.log", &len)))
                fwrite(data, 1, len, stderr);
        free(data);
        data = NULL;
        if (r >= 0 && !job.done) {
                fprintf(stderr, "bench: %s: %s\n", name, job.failure ? job.failure : "the worker failed");
                r = -EIO;
        }
        if (r >= 0 && (read_file(path, BENCH_FILE_MAX, &data, &len) < 0 || len != n * sizeof *ret_values))
                r = -EPROTO;
        if (r >= 0)
                memcpy(ret_values, data, len);
        free(data);
        free(path);
        free(job.failure);
        free(job.outdir);
        return r;
}

int run_script(char *const *argv, char *const *envp, int netns_fd, const char *what) {
        run_result result = { 0 };
        int r = run_command_netns(argv, envp, netns_fd, &result);

        if (r >= 0 && result.status != 0) {
                fprintf(stderr, "bench: %s exited %d:\n%.*s", what, result.status, (int) result.err_len,
                        result.err ? result.err : "");
                r = -EIO;
        }
        run_result_free(&result);
        return r;
}

int run_program(char *const *argv, char *const *envp, const char *log, double *ret_wall_us, double *ret_cpu_us,
                long *ret_minflt) {
        posix_spawn_file_actions_t actions;
        struct rusage usage;
        double start = (double) clock_us();
        int status, r;
        pid_t pid;

        /* posix_spawn, as the library starts `machinectl` (row 4 runs both). */
        r = -posix_spawn_file_actions_init(&actions);
        if (r < 0)
                return r;
        r = -posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (r >= 0)
                r = -posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log ? log : "/dev/null",
                                                      O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (r >= 0)
                r = -posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        fflush(stdout);
        fflush(stderr);
        if (r >= 0)
                r = -posix_spawnp(&pid, argv[0], &actions, NULL, argv, envp);
        posix_spawn_file_actions_destroy(&actions);
        if (r < 0)
                return r;
        while (wait4(pid, &status, 0, &usage) < 0)
                if (errno != EINTR)
                        return -errno;
        if (ret_wall_us)
                *ret_wall_us = (double) clock_us() - start;
        if (ret_cpu_us)
                *ret_cpu_us = (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
                              (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
        if (ret_minflt)
                *ret_minflt = usage.ru_minflt;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *subst_text(const char *in, const subst_pair *pairs, size_t n) {
        text out = { 0 };

        for (const char *p = in; *p;) {
                size_t i;
                for (i = 0; i < n; i++)
                        if (strncmp(p, pairs[i].from, strlen(pairs[i].from)) == 0)
                                break;
                if (i < n) {
                        text_puts(&out, pairs[i].to);
                        p += strlen(pairs[i].from);
                } else
                        text_append(&out, p++, 1);
        }
        return text_steal(&out, NULL); /* NULL if an append failed */
}
