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

typedef struct child_report {
        int r;
        size_t n;
} child_report;

static int read_all(int fd, void *buf, size_t len) {
        size_t got = 0;
        while (got < len) {
                ssize_t n = read(fd, (char *) buf + got, len - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -EIO;
                got += (size_t) n;
        }
        return 0;
}

static int write_all(int fd, const void *buf, size_t len) {
        size_t done = 0;
        while (done < len) {
                ssize_t n = write(fd, (const char *) buf + done, len - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -EIO;
                done += (size_t) n;
        }
        return 0;
}

int run_in_child(child_fn fn, void *userdata, double *ret_values, size_t n) {
        child_report report = { 0 };
        int fds[2], status, r;
        pid_t pid, parent = getpid();

        fflush(stdout);
        fflush(stderr);
        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                r = -errno;
                close(fds[0]);
                close(fds[1]);
                return r;
        }
        if (pid == 0) {
                double *values = calloc(n ? n : 1, sizeof *values);
                close(fds[0]);
                if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                        _exit(1);
                report.r = values ? fn(userdata, values, n) : -ENOMEM;
                report.n = n;
                if (write_all(fds[1], &report, sizeof report) < 0 ||
                    (report.r >= 0 && write_all(fds[1], values, n * sizeof *values) < 0))
                        _exit(1);
                fflush(stdout);
                fflush(stderr);
                _exit(0);
        }
        close(fds[1]);
        r = read_all(fds[0], &report, sizeof report);
        if (r >= 0 && report.r >= 0)
                r = read_all(fds[0], ret_values, n * sizeof *ret_values);
        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (r < 0)
                return r;
        return report.r < 0 ? report.r : 0;
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
