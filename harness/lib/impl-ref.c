/* ref: the library in-process (nc_prestart, nc_init_setup, nc_host_setup
 * from nixcontainer.h). Each stage runs in a forked child, which enters the
 * stage's namespace first (a netlink socket belongs to the namespace it was
 * opened in) and sends the outcome back through a pipe; a crash in the
 * library fails that stage, not the fixture's worker. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "impl.h"

static int build_env(char *const *envp, nc_env **ret) {
        nc_env *env = nc_env_new();
        int r = env ? nc_env_load_environ(env, envp) : -ENOMEM;

        if (r < 0) {
                nc_env_free(env);
                return r;
        }
        *ret = env;
        return 0;
}

/* In the child, in the stage's namespace. */
static int run_here(const impl_call *call, impl_stage stage, nc_error *error) {
        nc_config *config = NULL;
        nc_netlink *netlink = NULL;
        nc_env *env = NULL;
        const nc_container *container;
        int r;

        r = nc_config_load_json(call->fixture->config_json, strlen(call->fixture->config_json),
                                fixture_mode(call->fixture), NULL, NULL, &config, error);
        if (r < 0)
                return r;
        /* An imperative container: the release's container@ template. */
        container = nc_config_find(config, call->name);
        if (!container)
                container = nc_config_template(config);
        if (!container) {
                snprintf(error->message, sizeof error->message, "the host has no unit container@%s", call->name);
                nc_config_free(config);
                return -ENOENT;
        }
        r = build_env(call->envp, &env);
        if (r >= 0)
                r = nc_netlink_open(&netlink, error);
        if (r >= 0) {
                nc_prestart_request request = { .skip_machinectl = true };
                switch (stage) {
                case IMPL_PRESTART: r = nc_prestart(netlink, container, env, &request, error); break;
                case IMPL_INIT_SETUP: r = nc_init_setup(netlink, container, env, error); break;
                case IMPL_HOST_SETUP: r = nc_host_setup(netlink, container, env, error); break;
                }
        }
        nc_netlink_free(netlink);
        nc_env_free(env);
        nc_config_free(config);
        return r;
}

typedef struct ref_report {
        int r;
        nc_error error;
} ref_report;

int impl_ref_run(const impl_call *call, impl_stage stage, char **ret_outcome) {
        ref_report report = { 0 };
        size_t got = 0;
        int fds[2], status;
        pid_t pid;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return -errno;
        }
        if (pid == 0) {
                ref_report mine = { 0 };
                close(fds[0]);
                if (call->netns_fd >= 0 && setns(call->netns_fd, CLONE_NEWNET) < 0)
                        mine.r = -errno, snprintf(mine.error.message, sizeof mine.error.message,
                                                  "harness: setns: %s", strerror(errno));
                else
                        mine.r = run_here(call, stage, &mine.error);
                (void) !write(fds[1], &mine, sizeof mine);
                close(fds[1]);
                _exit(0);
        }
        close(fds[1]);
        while (got < sizeof report) {
                ssize_t n = read(fds[0], (char *) &report + got, sizeof report - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                got += (size_t) n;
        }
        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (got != sizeof report)
                return impl_outcome(ret_outcome, "failed: the library's process died (%s)",
                                    WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no report");
        report.error.message[sizeof report.error.message - 1] = '\0';
        fprintf(stderr, "--- ref %s %s: %d %s\n", call->name, impl_stage_name(stage), report.r, report.error.message);
        if (report.r >= 0)
                return impl_outcome(ret_outcome, "ok");
        /* "STEP: KERNEL TEXT", STEP being the iproute2 command mirrored. */
        if (strncmp(report.error.message, "ip ", 3) == 0) {
                char *step = impl_step_from_message(report.error.message, "");
                int r = step ? impl_outcome(ret_outcome, "failed at: %s", step) : -ENOMEM;
                free(step);
                return r;
        }
        return impl_outcome(ret_outcome, "failed: %s", report.error.message[0] ? report.error.message : strerror(-report.r));
}
