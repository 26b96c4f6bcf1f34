/* Running an implementation's CLI as a child process and capturing what it
 * prints; optionally inside a private mount namespace that provides the
 * ${SYSTEM_PATH}/system file the start script reads. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "text.h"

/* In the child: a private /nix with only the system file in it. */
static int provide_system_file(const char *file, const char *content) {
        char *line = NULL;
        int r;

        if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", "/nix", "tmpfs", 0, "mode=0755") < 0 || mkdir_parents(file, 0755) < 0 ||
            asprintf(&line, "%s\n", content) < 0)
                return -1;
        r = write_file_string(file, line, 0644);
        free(line);
        return r;
}

static int run_full(char *const *argv, char *const *envp, const char *system_file, const char *system_content,
                    int netns_fd, long timeout_ms, run_result *ret) {
        int out_pipe[2], err_pipe[2], status;
        text out = { 0 }, err = { 0 };
        long deadline = clock_ms() + timeout_ms;
        bool out_open = true, err_open = true, timed_out = false;
        pid_t pid;

        if (pipe2(out_pipe, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(err_pipe, O_CLOEXEC) < 0) {
                close(out_pipe[0]);
                close(out_pipe[1]);
                return -errno;
        }
        pid = fork();
        if (pid < 0) {
                int r = -errno;
                close(out_pipe[0]);
                close(out_pipe[1]);
                close(err_pipe[0]);
                close(err_pipe[1]);
                return r;
        }
        if (pid == 0) {
                int null = open("/dev/null", O_RDONLY);
                dup2(null, STDIN_FILENO);
                dup2(out_pipe[1], STDOUT_FILENO);
                dup2(err_pipe[1], STDERR_FILENO);
                if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0) {
                        fprintf(stderr, "harness: cannot enter the network namespace: %s\n", strerror(errno));
                        _exit(127);
                }
                if (system_file && provide_system_file(system_file, system_content) < 0) {
                        fprintf(stderr, "harness: cannot provide %s: %s\n", system_file, strerror(errno));
                        _exit(127);
                }
                execvpe(argv[0], argv, envp);
                fprintf(stderr, "harness: cannot run %s: %s\n", argv[0], strerror(errno));
                _exit(127);
        }
        close(out_pipe[1]);
        close(err_pipe[1]);
        while (out_open || err_open) {
                struct pollfd fds[2] = { { out_pipe[0], POLLIN, 0 }, { err_pipe[0], POLLIN, 0 } };
                long left = deadline - clock_ms();
                char buffer[65536];
                if (left <= 0) {
                        timed_out = true;
                        kill(pid, SIGKILL);
                        break;
                }
                fds[0].fd = out_open ? out_pipe[0] : -1;
                fds[1].fd = err_open ? err_pipe[0] : -1;
                if (poll(fds, 2, (int) left) < 0 && errno != EINTR)
                        break;
                for (int i = 0; i < 2; i++) {
                        ssize_t n;
                        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                                continue;
                        n = read(fds[i].fd, buffer, sizeof buffer);
                        if (n <= 0) {
                                if (i == 0)
                                        out_open = false;
                                else
                                        err_open = false;
                        } else
                                text_append(i == 0 ? &out : &err, buffer, (size_t) n);
                }
        }
        close(out_pipe[0]);
        close(err_pipe[0]);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        ret->status = timed_out ? 124
                      : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        ret->out = text_steal(&out, &ret->out_len);
        ret->err = text_steal(&err, &ret->err_len);
        return 0;
}

int run_command(char *const *argv, char *const *envp, const char *system_file, const char *system_content,
                run_result *ret) {
        return run_full(argv, envp, system_file, system_content, -1, RUN_TIMEOUT_MS, ret);
}

int run_command_netns(char *const *argv, char *const *envp, int netns_fd, run_result *ret) {
        return run_full(argv, envp, NULL, NULL, netns_fd, RUN_TIMEOUT_MS, ret);
}

int run_command_timeout(char *const *argv, char *const *envp, long timeout_ms, run_result *ret) {
        return run_full(argv, envp, NULL, NULL, -1, timeout_ms, ret);
}

void run_result_free(run_result *r) {
        free(r->out);
        free(r->err);
        r->out = r->err = NULL;
}
