/* Processes: running an implementation's CLI, a script or a tool as a
 * child, and capturing what it prints (run.c). */
#ifndef HARNESS_RUN_H
#define HARNESS_RUN_H

#include <stddef.h>

/* Runs argv (argv[0] found in PATH) with exactly `envp`, stdin from
 * /dev/null; captures stdout and stderr. When `system_file` is set (a path
 * under /nix), the child first makes a private mount namespace with a
 * tmpfs on /nix holding that file with `system_content`. A child still
 * running after RUN_TIMEOUT_MS is killed (SIGKILL) and its status is 124,
 * as timeout(1) reports one. Returns 0 and the exit status (or
 * 128+signal) with what it printed (the caller's: run_result_free()), or
 * -errno when it could not be run. */
typedef struct run_result {
        int status;
        char *out;
        size_t out_len;
        char *err;
        size_t err_len;
} run_result;

enum { RUN_TIMEOUT_MS = 120000 };

int run_command(char *const *argv, char *const *envp, const char *system_file, const char *system_content,
                run_result *ret);
/* The same, with a timeout of its own of `timeout_ms` milliseconds (the
 * bench's nix evaluations of 10,000 containers, which a busy machine can
 * take longer than RUN_TIMEOUT_MS over). */
int run_command_timeout(char *const *argv, char *const *envp, long timeout_ms, run_result *ret);
/* The same, with the child first entering the network namespace `netns_fd`
 * (setns; -1: stay in the caller's). */
int run_command_netns(char *const *argv, char *const *envp, int netns_fd, run_result *ret);
void run_result_free(run_result *r);

#endif
