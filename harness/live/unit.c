/* The container@NAME unit, as systemd runs it for the live tier: its
 * environment, preStart and postStart on the host, ExecStart (the ref's
 * argv, or the module's start script) until READY=1, and a unit stop; and
 * what nspawn and the container printed, read for the step that failed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "impl.h"
#include "run.h"
#include "strv.h"
#include "text.h"
#include "unit.h"

int live_pushf(nc_strv *v, const char *format, ...) {
        va_list ap;
        char *line = NULL;
        int r;

        va_start(ap, format);
        r = vasprintf(&line, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        r = nc_strv_push(v, line);
        free(line);
        return r;
}

char *live_golden_path(const fixture *f, const char *name, const char *suffix) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s.%s", f->golden_dir, name, suffix) < 0)
                return NULL;
        return path;
}

/* Environment= (golden NAME.unit-env: root, INSTANCE, PATH), then the env
 * file on top with systemd's EnvironmentFile= rules (the ref's parser, which
 * the conformance suite checks against systemd's; the argv the start script
 * execs is compared with the golden one, which systemd's own parser fed),
 * then NOTIFY_SOCKET, as systemd sets it for a Type=notify service. */
int unit_env(const fixture *f, live_unit *c) {
        char *file = NULL, *environment = NULL, *conf_text = NULL, *save = NULL;
        size_t len = 0;
        nc_error error = { { 0 } };
        int r;

        c->env = nc_env_new();
        if (!c->env || asprintf(&file, "%s.unit-env", c->name) < 0)
                return -ENOMEM;
        environment = golden_read(f, file, NULL);
        free(file);
        if (!environment) {
                fprintf(stderr, "%s: no golden %s.unit-env\n", f->id, c->name);
                return -ENOENT;
        }
        r = 0;
        for (char *line = strtok_r(environment, "\n", &save); r >= 0 && line; line = strtok_r(NULL, "\n", &save)) {
                char *eq = strchr(line, '=');
                if (eq) {
                        *eq = '\0';
                        r = nc_env_set(c->env, line, eq + 1);
                }
        }
        free(environment);
        c->conf = live_golden_path(f, c->name, "conf");
        if (r >= 0 && !c->conf)
                r = -ENOMEM;
        if (r >= 0) {
                r = read_file(c->conf, NC_ENV_FILE_MAX, &conf_text, &len);
                if (r >= 0)
                        r = nc_env_file_parse(c->env, conf_text, len, &error);
                if (r < 0)
                        fprintf(stderr, "%s: %s: %s\n", f->id, c->conf, error.message[0] ? error.message : strerror(-r));
                free(conf_text);
        }
        if (r >= 0 && asprintf(&c->notify_path, "/run/live/notify.%s", c->name) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = nc_env_set(c->env, "NOTIFY_SOCKET", c->notify_path);
        for (size_t i = 0; r >= 0 && i < nc_env_count(c->env); i++)
                r = live_pushf(&c->envp, "%s=%s", nc_env_name_at(c->env, i), nc_env_value_at(c->env, i));
        if (r >= 0)
                r = strv_null_terminate(&c->envp);
        return r;
}

const char *unit_var(const live_unit *c, const char *name) {
        const char *value = nc_env_get(c->env, name);
        return value ? value : "";
}

/* NULL when identical but for the arguments in `skip` (indexes, -1 ends). */
char *unit_argv_difference(const nc_strv *golden, const nc_strv *actual, const ssize_t *skip) {
        char *out = NULL;
        size_t i = 0;

        for (; i < golden->n && i < actual->n; i++) {
                bool skipped = false;
                for (size_t k = 0; skip[k] >= 0; k++)
                        skipped = skipped || (size_t) skip[k] == i;
                if (!skipped && strcmp(golden->items[i], actual->items[i]) != 0)
                        break;
        }
        if (i == golden->n && i == actual->n)
                return NULL;
        if (asprintf(&out, "argv[%zu]: golden \"%s\", got \"%s\"", i, i < golden->n ? golden->items[i] : "(end)",
                     i < actual->n ? actual->items[i] : "(end)") < 0)
                return strdup("argv differs");
        return out;
}

/* "nixcontainer: host-setup: STEP: WHY" -> STEP */
static char *step_after(const char *message, const char *prefix) {
        const char *p = strstr(message, prefix);

        return p ? impl_step_from_message(p, prefix) : NULL;
}

/* preStart or postStart, in the host namespace. */
int unit_host_stage(const fixture *f, live_impl which, const live_tools *tools, live_unit *c, const char *stage,
                    char **ret_outcome) {
        run_result result = { 0 };
        char *script = NULL, *step = NULL;
        int r;

        if (which == LIVE_REF) {
                char *argv[] = { (char *) tools->nixcontainer, (char *) stage, "--env-file", c->conf, "--config",
                                 f->config_path, (char *) c->name, NULL, NULL };
                if (f->compat) {
                        memmove(argv + 3, argv + 2, 5 * sizeof *argv);
                        argv[2] = "--compat";
                }
                r = run_command(argv, c->envp.items, NULL, NULL, &result);
        } else {
                script = live_golden_path(f, c->name, strcmp(stage, "prestart") == 0 ? "prestart" : "poststart");
                char *argv[] = { "/bin/bash", "-e", "-x", script, NULL };
                r = script ? run_command(argv, c->envp.items, NULL, NULL, &result) : -ENOMEM;
        }
        if (r < 0) {
                free(script);
                return r;
        }
        fprintf(stderr, "--- %s %s %s (exit %d)\n%s%s", live_impl_name(which), c->name, stage, result.status,
                result.out ? result.out : "", result.err ? result.err : "");
        if (result.status == 0)
                *ret_outcome = strdup("ok");
        else {
                char *prefix = NULL;
                if (which == LIVE_ORIGINAL)
                        step = impl_last_traced_ip(result.err);
                else if (asprintf(&prefix, "nixcontainer: %s: ", stage) >= 0) {
                        step = step_after(result.err ? result.err : "", prefix);
                        free(prefix);
                }
                if ((step && asprintf(ret_outcome, "failed at: %s", step) < 0) ||
                    (!step && asprintf(ret_outcome, "failed: exit %d", result.status) < 0))
                        *ret_outcome = NULL;
        }
        free(step);
        free(script);
        run_result_free(&result);
        return *ret_outcome ? 0 : -ENOMEM;
}

/* The ref's argv: `nixcontainer argv -0`, with the store path of
 * nixcontainer-init as --init, then --register=no added (only that). */
static int ref_argv(const fixture *f, const live_tools *tools, live_unit *c, nc_strv *ret_argv) {
        char *argv[] = { (char *) tools->nixcontainer, "argv", "-0", "--env-file", c->conf, "--config",
                         f->config_path, "--init", LIVE_STORE_INIT, "--nspawn", "systemd-nspawn", (char *) c->name,
                         NULL, NULL };
        run_result result = { 0 };
        nc_strv words = { 0 }, argv_out = { 0 };
        ssize_t skip[] = { 0, (ssize_t) c->golden_argv.n - 2, -1 };
        char *difference;
        int r;

        if (f->compat) {
                memmove(argv + 3, argv + 2, 11 * sizeof *argv);
                argv[2] = "--compat";
        }
        r = run_command(argv, c->envp.items, NULL, NULL, &result);
        if (r >= 0 && result.status != 0) {
                fprintf(stderr, "nixcontainer argv (exit %d): %s", result.status, result.err ? result.err : "");
                r = -EIO;
        }
        if (r >= 0)
                r = split_nul(result.out, result.out_len, &words);
        run_result_free(&result);
        if (r < 0)
                return r;
        /* Identical to what the module's start script exec'd, but for argv[0]
         * and the container-init (the conformance suite checks it too). */
        difference = unit_argv_difference(&c->golden_argv, &words, skip);
        r = live_pushf(&c->results, "argv: %s",
                       difference ? difference : "identical to the golden (but argv[0] and --init)");
        free(difference);
        for (size_t i = 0; r >= 0 && i < words.n; i++) {
                r = nc_strv_push(&argv_out, i == 0 ? tools->nspawn : words.items[i]);
                if (r >= 0 && i == 0)
                        r = nc_strv_push(&argv_out, "--register=no");
        }
        nc_strv_clear(&words);
        if (r < 0) {
                nc_strv_clear(&argv_out);
                return r;
        }
        *ret_argv = argv_out;
        return 0;
}

int unit_start(const fixture *f, live_impl which, const live_tools *tools, live_unit *c, const char *outdir) {
        nc_strv argv = { 0 };
        char *log = NULL;
        int r;

        /* The clock starts before the ref computes its argv: the start
         * script computes it too. */
        c->started = clock_ms();
        if (which == LIVE_REF)
                r = ref_argv(f, tools, c, &argv);
        else {
                char *source = NULL, *script = NULL;
                if (asprintf(&source, "%s/%s/%s.start", tools->start_scripts, f->id, c->name) < 0 ||
                    asprintf(&script, "/run/live/start.%s", c->name) < 0)
                        r = -ENOMEM;
                else
                        r = live_copy_file(source, script, 0755);
                if (r < 0)
                        fprintf(stderr, "%s: the module's start script %s: %s (make live-start-scripts)\n", f->id,
                                source ? source : "?", strerror(-r));
                if (r >= 0)
                        r = nc_strv_push(&argv, script);
                free(source);
                free(script);
        }
        if (r >= 0)
                r = nc_strv_push(&argv, "");
        if (r < 0 || asprintf(&log, "%s/%s.nspawn.log", outdir, c->name) < 0) {
                nc_strv_clear(&argv);
                return r < 0 ? r : -ENOMEM;
        }
        free(argv.items[argv.n - 1]);
        argv.items[argv.n - 1] = NULL;
        fprintf(stderr, "--- %s %s: start:", live_impl_name(which), c->name);
        for (size_t i = 0; argv.items[i]; i++)
                fprintf(stderr, " %s", argv.items[i]);
        fputc('\n', stderr);
        fflush(stderr);

        c->pid = fork();
        if (c->pid < 0)
                r = -errno;
        else if (c->pid == 0) {
                int in = open("/dev/null", O_RDONLY | O_CLOEXEC),
                    out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
                    dup2(out, STDERR_FILENO) < 0)
                        _exit(127);
                execve(argv.items[0], argv.items, c->envp.items);
                fprintf(stderr, "live: cannot run %s: %s\n", argv.items[0], strerror(errno));
                _exit(127);
        } else {
                c->pidfd = (int) syscall(SYS_pidfd_open, c->pid, 0);
                if (c->pidfd < 0)
                        r = -errno;
        }
        free(log);
        nc_strv_clear(&argv);
        return r;
}

void unit_reap(live_unit *c) {
        int status;

        if (c->exited || c->pid <= 0)
                return;
        if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
                c->exited = true;
                c->wait_status = status;
        }
}

/* Waits for READY=1, the process to end, or the timeout. */
int unit_wait_ready(live_unit *c) {
        long deadline = c->started + READY_TIMEOUT_MS;

        while (!c->notify.ready && !c->exited) {
                struct pollfd fds[2] = { { c->notify_fd, POLLIN, 0 }, { c->pidfd, POLLIN, 0 } };
                long left = deadline - clock_ms();
                int r;
                if (left <= 0)
                        return -ETIMEDOUT;
                if (poll(fds, 2, (int) left) < 0 && errno != EINTR)
                        return -errno;
                r = live_notify_drain(c->notify_fd, &c->notify);
                if (r < 0)
                        return r;
                if (c->notify.running && c->running_ms < 0)
                        c->running_ms = clock_ms() - c->started;
                if (c->notify.ready)
                        c->ready_ms = clock_ms() - c->started;
                else if (fds[1].revents & POLLIN) {
                        unit_reap(c);
                        /* What it sent before it ended. */
                        live_notify_drain(c->notify_fd, &c->notify);
                }
        }
        return 0;
}

char *unit_read_log(const char *outdir, const live_unit *c) {
        char *file = NULL, *log;

        if (asprintf(&file, "%s.nspawn.log", c->name) < 0)
                return NULL;
        log = read_file_at(outdir, file, NULL);
        free(file);
        if (log) { /* the container's console comes through a pty: CR LF */
                char *to = log;
                for (const char *p = log; *p; p++)
                        if (*p != '\r')
                                *to++ = *p;
                *to = '\0';
        }
        return log;
}

/* Whether `word` is in `s` as a word of its own (an interface name
 * within quotes, spaces or punctuation). */
static bool has_word(const char *s, const char *word) {
        size_t len = strlen(word);

        for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
                char before = p == s ? ' ' : p[-1], after = p[len];
                bool inside_before = before == '-' || before == '_' || before == '.' || (before >= '0' && before <= '9') ||
                                     (before >= 'A' && before <= 'Z') || (before >= 'a' && before <= 'z');
                bool inside_after = after == '-' || after == '_' || after == '.' || (after >= '0' && after <= '9') ||
                                    (after >= 'A' && after <= 'Z') || (after >= 'a' && after <= 'z');
                if (!inside_before && !inside_after)
                        return true;
        }
        return false;
}

/* nspawn ended before it started the payload: which option made it fail.
 * Its messages name the interface or bridge ("Failed to resolve interface
 * \"eth1\": No such device"). */
char *unit_nspawn_failure(const char *log, const nspawn_network *n) {
        const struct {
                const char *option;
                const nc_strv *names;
        } lists[] = { { "--network-interface", &n->interfaces },
                      { "--network-macvlan", &n->macvlans },
                      { "--network-veth-extra", &n->extra_host } };
        char *outcome = NULL;

        for (size_t l = 0; l < ELEMENTSOF(lists) && !outcome; l++)
                for (size_t i = 0; i < lists[l].names->n && !outcome; i++)
                        if (has_word(log, lists[l].names->items[i]) &&
                            asprintf(&outcome, "failed at: %s=%s", lists[l].option, lists[l].names->items[i]) < 0)
                                outcome = NULL;
        if (!outcome && n->bridge && has_word(log, n->bridge) &&
            asprintf(&outcome, "failed at: --network-bridge=%s", n->bridge) < 0)
                outcome = NULL;
        if (!outcome) {
                /* The last line nspawn printed. */
                const char *last = log, *p = log;
                for (; *p; p++)
                        if (*p == '\n' && p[1] && p[1] != '\n')
                                last = p + 1;
                if (asprintf(&outcome, "failed: %.*s", (int) strcspn(last, "\n"), last) < 0)
                        outcome = NULL;
        }
        return outcome;
}

/* The container-init ended before stage 2: the step it failed at. The
 * module's, through the iproute2 of the fake store ("live-ip: failed: ip
 * ..."); the ref's, from its message ("nixcontainer-init: ip ...: why"). */
char *unit_init_failure(const char *log) {
        const char *ref = strstr(log, "nixcontainer-init: ");
        char *step = step_after(log, "live-ip: failed: ");
        char *outcome = NULL;

        if (!step && ref && strncmp(ref + 19, "ip ", 3) == 0)
                step = step_after(ref, "nixcontainer-init: ");
        if (step) {
                if (asprintf(&outcome, "failed at: %s", step) < 0)
                        outcome = NULL;
        } else if (ref) {
                if (asprintf(&outcome, "failed: %.*s", (int) strcspn(ref + 19, "\n"), ref + 19) < 0)
                        outcome = NULL;
        } else
                outcome = strdup("failed: the container-init exited before stage 2");
        free(step);
        return outcome;
}

/* `systemctl stop container@NAME`: KillSignal=TERM to the main process,
 * nspawn, which sends --kill-signal=SIGRTMIN+3 to the container's PID 1. */
bool unit_stop(live_unit *c) {
        long started = clock_ms();

        unit_reap(c);
        if (c->exited || c->pid <= 0)
                return false;
        kill(c->pid, SIGTERM);
        while (!c->exited && clock_ms() - started < STOP_TIMEOUT_MS) {
                struct pollfd fd = { c->pidfd, POLLIN, 0 };
                poll(&fd, 1, 100);
                unit_reap(c);
        }
        c->stop_ms = clock_ms() - started;
        if (!c->exited) {
                live_pushf(&c->results, "stop: nspawn did not exit within %d s of SIGTERM (killed)", STOP_TIMEOUT_MS / 1000);
                kill(c->pid, SIGKILL);
                if (waitpid(c->pid, &c->wait_status, 0) == c->pid)
                        c->exited = true;
        }
        return true;
}

void unit_describe_exit(live_unit *c) {
        if (c->pid <= 0)
                live_pushf(&c->results, "nspawn-exit: not started");
        else if (!c->exited)
                live_pushf(&c->results, "nspawn-exit: still running");
        else if (WIFEXITED(c->wait_status))
                live_pushf(&c->results, "nspawn-exit: %d", WEXITSTATUS(c->wait_status));
        else
                live_pushf(&c->results, "nspawn-exit: signal %d", WTERMSIG(c->wait_status));
}
