/* The live tier: see live.h.
 *
 *   test-live --fixtures DIR --golden DIR --list FILE --start-scripts DIR
 *             --nixcontainer PATH --init PATH --notify PATH
 *             [--impl ref|original|both] [--only ID] [--repeat N]
 *             [--timing FILE] [--timeout SECONDS] [--keep]
 *
 * Each (fixture, implementation) runs in a worker of the pool (workers.h; its
 * own process group, cgroup, mount and network namespaces) with a timeout;
 * a hang or a crash fails that fixture only. Needs root and
 * systemd-nspawn; without them it says why in its closing line and exits 0.
 *
 * What a run makes, it records (the workers' namespaces, its cgroups, its
 * scratch folder), and "nothing left behind" looks for those only. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "args.h"
#include "array.h"
#include "live.h"
#include "netns.h"
#include "report.h"
#include "results.h"
#include "text.h"
#include "tier.h"
#include "workers.h"

typedef struct live_job {
        const fixture *fixture;
        live_impl impl;
        unsigned round;
        worker_job worker;  /* its directory, and how the worker ended (workers.h) */
        live_cgroup cgroup; /* while it runs */
        unsigned killed;    /* processes left in its cgroup after the worker ended */
        char *cgroup_error;
        int namespaces[2];       /* a socket pair: the worker sends its namespaces over it (machine.c) */
        char *namespaces_left;   /* what still held them after the run, or NULL */
} live_job;

static void live_job_clear(void *item) {
        live_job *job = item;

        worker_job_clear(&job->worker);
        free(job->cgroup_error);
        free(job->namespaces_left);
}

static fixture_set fixtures;
static live_job *jobs;
static size_t n_jobs;
static const fixture **selected;
static size_t n_selected;
static bool run_impl[2];
static unsigned repeat = 1;
static report_table report;
static const fixture *current;
static size_t current_index;
static char **xfail_ref, **xfail_original; /* per selected fixture: why it is expected to fail, or NULL */
static nc_strv differences_used;           /* "ID FIXTURE" for each fixture a difference corrected */
static char *scratch;                      /* the run's folder: the workers' directories, the tools */
static unsigned namespaces_checked;        /* the workers' namespaces looked for after their runs */
static nc_strv cgroups_made;               /* each run's cgroup directories */

/* DIR/NAME.SUFFIX; NULL when it cannot be read. */
static char *read_container_file(const char *dir, const char *name, const char *suffix) {
        char *file = NULL, *data;

        if (asprintf(&file, "%s.%s", name, suffix) < 0)
                return NULL;
        data = read_file_at(dir, file, NULL);
        free(file);
        return data;
}

/* "key: value" from a NAME.result; NULL when absent. */
static char *result_value(const char *results, const char *key) {
        size_t len = strlen(key);

        for (const char *line = results; line && *line;) {
                if (strncmp(line, key, len) == 0 && line[len] == ':' && line[len + 1] == ' ')
                        return strndup(line + len + 2, strcspn(line + len + 2, "\n"));
                line = strchr(line, '\n');
                if (line)
                        line++;
        }
        return NULL;
}

/* ---- workers ------------------------------------------------------------------ */

/* In the worker: into the run's cgroup, then the run. */
static int run_in_worker(worker_job *worker, void *tools) {
        const live_job *job = worker->data;
        int r;

        tier_worker_begin();
        r = live_cgroup_enter(&job->cgroup);
        if (r < 0) {
                fprintf(stderr, "cannot enter the run's cgroup: %s\n", strerror(-r));
                return r;
        }
        r = live_run_fixture(job->fixture, job->impl, tools, worker->outdir);
        live_namespaces_send(job->namespaces[1]);
        return r;
}

/* Orphans reparented to this process (a subreaper): nothing should be left
 * once a worker's cgroup is gone, but what is, is reaped here. */
static void reap_orphans(void) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

/* One run at a time, in the worker pool, inside a cgroup of its own that
 * is killed and removed after it. */
static void run_job(live_job *job, const live_tools *tools, unsigned timeout_s, unsigned serial) {
        worker_pool pool = { .run = run_in_worker, .userdata = (void *) tools, .jobs_max = 1, .timeout_s = timeout_s,
                             .keep_leftovers = true };
        char name[96], *error = NULL;
        unsigned checked = 0;
        int r;

        snprintf(name, sizeof name, "nixcontainer-live.%d.%u", (int) getpid(), serial);
        r = live_cgroup_create(name, &job->cgroup, &error);
        if (r < 0) {
                if (asprintf(&job->worker.failure, "cannot make the run's cgroup: %s", error ? error : strerror(-r)) < 0)
                        job->worker.failure = NULL;
                free(error);
                return;
        }
        for (size_t i = 0; i < job->cgroup.dirs.n; i++)
                nc_strv_push(&cgroups_made, job->cgroup.dirs.items[i]);
        if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, job->namespaces) < 0)
                job->namespaces[0] = job->namespaces[1] = -1;
        job->worker.data = job;
        r = workers_run(&job->worker, 1, &pool);
        if (r < 0 && asprintf(&job->worker.failure, "cannot run a worker: %s", strerror(-r)) < 0)
                job->worker.failure = NULL;
        r = live_cgroup_destroy(&job->cgroup, &job->killed, &error);
        if (r < 0)
                job->cgroup_error = error;
        else
                free(error);
        reap_orphans();
        /* The worker and its cgroup are gone: so must its namespaces be. (A
         * worker killed by the timeout sent none: its run failed anyway.) */
        if (job->namespaces[0] >= 0) {
                job->namespaces_left = live_namespaces_left(job->namespaces[0], &checked);
                namespaces_checked += checked;
                close(job->namespaces[0]);
                close(job->namespaces[1]);
        }
}

/* Whether some container of the fixture ends before READY=1 in the golden. */
static bool fixture_has_failure(const fixture *f, const char *stage) {
        bool any = false;

        for (size_t i = 0; i < f->unit_names.n && !any; i++) {
                char *data = read_container_file(f->golden_dir, f->unit_names.items[i], "net");
                net_sections s;
                net_sections_parse(data ? data : "", &s);
                any = net_step_failed(s.steps, stage);
                net_sections_free(&s);
                free(data);
        }
        return any;
}

/* ---- the checks ----------------------------------------------------------------- */

static const live_job *job_for(const fixture *f, live_impl impl, unsigned round) {
        for (size_t i = 0; i < n_jobs; i++)
                if (jobs[i].fixture == f && jobs[i].impl == impl && jobs[i].round == round)
                        return &jobs[i];
        return NULL;
}

static bool compare(const char *fixture_id, const char *side, const char *check, const char *what,
                    const char *expected, const char *actual) {
        return report_compare_text(&report, fixture_id, side, check, what, expected ? expected : "",
                                   expected ? strlen(expected) : 0, actual ? actual : "", actual ? strlen(actual) : 0);
}

/* One container's network against its golden. */
static bool check_network(const fixture *f, const char *side, const char *name, const char *golden, const char *live) {
        bool init_failures = fixture_has_failure(f, "init-setup"), ok = true;
        net_sections g, l;
        char *steps, *check = NULL;

        if (asprintf(&check, "%s.net", name) < 0)
                return false;
        if (!fixture_has_failure(f, "nspawn") && !init_failures) {
                ok = compare(f->id, side, check, check, golden, live);
                if (ok)
                        report_pass(&report, f->id, side, check);
                free(check);
                return ok;
        }
        /* Some container of the fixture ends before READY=1: the golden's
         * state after it (the simulation goes on) cannot happen. Checked:
         * the steps as real nspawn takes them, the container of a unit that
         * came up, and the host when no container-init failed. */
        net_sections_parse(golden, &g);
        net_sections_parse(live, &l);
        steps = net_expected_steps(g.steps);
        ok = compare(f->id, side, check, "steps", steps, l.steps);
        if (ok && !net_step_failed(g.steps, "nspawn") && !net_step_failed(g.steps, "init-setup"))
                ok = compare(f->id, side, check, "container", g.container, l.container);
        if (ok && !init_failures)
                ok = compare(f->id, side, check, "host", g.host, l.host);
        if (ok) {
                report_pass(&report, f->id, side, check);
                if (net_step_failed(g.steps, "init-setup") || net_step_failed(g.steps, "nspawn"))
                        report_info(&report, f->id, side, check,
                                    "the golden's state after this container's failure is the simulation's: with real "
                                    "nspawn the container ends (%s), postStart never runs%s",
                                    net_step_failed(g.steps, "nspawn") ? "nspawn exits before the payload starts"
                                                                   : "its init exits, nspawn exits and deletes its links",
                                    g.container && !l.container ? ", and there is no container namespace to dump" : "");
        }
        free(steps);
        free(check);
        net_sections_free(&g);
        net_sections_free(&l);
        return ok;
}

/* What the run says about starting and stopping one container. */
static bool check_lifecycle(const fixture *f, const char *side, const char *name, const char *results, bool came_up) {
        static const char *const must_be[][2] = {
                { "prestart-after-stop", "ok" },
                { "links-after-stop", "as before the first start" },
        };
        char *check = NULL, *value;
        bool ok = true;

        if (asprintf(&check, "%s lifecycle", name) < 0)
                return false;
        value = result_value(results, "argv");
        if (!value || strncmp(value, "identical", 9) != 0) {
                report_fail(&report, f->id, side, check, "argv: %s", value ? value : "(not recorded)");
                ok = false;
        }
        free(value);
        for (size_t i = 0; ok && i < ELEMENTSOF(must_be); i++) {
                value = result_value(results, must_be[i][0]);
                if (!value || strcmp(value, must_be[i][1]) != 0) {
                        report_fail(&report, f->id, side, check, "%s: %s (expected %s)", must_be[i][0],
                                    value ? value : "(not recorded)", must_be[i][1]);
                        ok = false;
                }
                free(value);
        }
        if (ok && came_up) {
                char *by = result_value(results, "stopped-by"), *exit_status = result_value(results, "nspawn-exit");
                if (!by || strcmp(by, "SIGTERM") != 0 || !exit_status || strcmp(exit_status, "0") != 0) {
                        report_fail(&report, f->id, side, check,
                                    "a unit stop (SIGTERM to nspawn) must end it cleanly: stopped by %s, exit status %s",
                                    by ? by : "?", exit_status ? exit_status : "?");
                        ok = false;
                }
                free(by);
                free(exit_status);
        } else if (ok) {
                char *exit_status = result_value(results, "nspawn-exit");
                if (!exit_status || strcmp(exit_status, "0") == 0) {
                        report_fail(&report, f->id, side, check, "the container failed, yet nspawn exited with %s",
                                    exit_status ? exit_status : "?");
                        ok = false;
                }
                free(exit_status);
        }
        value = result_value(results, "dump");
        if (ok && value) {
                report_fail(&report, f->id, side, check, "dump: %s", value);
                ok = false;
        }
        free(value);
        if (ok)
                report_pass(&report, f->id, side, check);
        free(check);
        return ok;
}

/* Not the implementations' doing, and not in the dump: what nspawn does
 * that the simulation does not (macs.c). Shown, never failed. */
static void check_macs(const fixture *f, const char *side, const char *name, const char *results) {
        char *value = result_value(results, "macs"), *check = NULL;

        if (value && asprintf(&check, "%s macs", name) >= 0) {
                if (strncmp(value, "as nspawn's", 11) == 0)
                        report_pass(&report, f->id, side, check);
                else
                        report_info(&report, f->id, side, check, "%s", value);
        }
        free(check);
        free(value);
}

static bool check_job(const live_job *job) {
        const fixture *f = job->fixture;
        const char *side = live_impl_name(job->impl);
        bool all = true;

        if (!job->worker.done) {
                report_fail(&report, f->id, side, "run", "%s (%s/worker.log)",
                            job->worker.failure ? job->worker.failure : "the worker failed", job->worker.outdir);
                return false;
        }
        if (job->killed || job->cgroup_error) {
                report_fail(&report, f->id, side, "run", "left behind: %u process(es) in its cgroup%s%s", job->killed,
                            job->cgroup_error ? "; " : "", job->cgroup_error ? job->cgroup_error : "");
                all = false;
        }
        for (size_t i = 0; i < f->unit_names.n; i++) {
                const char *name = f->unit_names.items[i];
                char *raw = read_container_file(f->golden_dir, name, "net"), *golden = NULL,
                     *live = read_container_file(job->worker.outdir, name, "net"), *results = read_container_file(job->worker.outdir, name, "result");
                nc_strv applied = { 0 };
                if (raw) /* the simulation's lines that real nspawn does not leave (sim-differences.c) */
                        golden = live_golden_as_nspawn(raw, &applied);
                for (size_t k = 0; k < applied.n; k++) {
                        char *used = NULL;
                        bool seen = false;
                        if (asprintf(&used, "%s %s", applied.items[k], f->id) < 0)
                                continue;
                        for (size_t u = 0; u < differences_used.n; u++)
                                seen = seen || strcmp(differences_used.items[u], used) == 0;
                        if (!seen)
                                nc_strv_push(&differences_used, used);
                        free(used);
                }
                nc_strv_clear(&applied);
                free(raw);
                if (!golden || !live || !results) {
                        report_fail(&report, f->id, side, name, "missing %s",
                                    !golden ? "golden .net" : !live ? "live .net" : ".result");
                        all = false;
                } else {
                        net_sections l;
                        bool came_up;
                        net_sections_parse(live, &l);
                        came_up = l.steps && strstr(l.steps, "init-setup: ok");
                        all = check_network(f, side, name, golden, live) && all;
                        all = check_lifecycle(f, side, name, results, came_up) && all;
                        check_macs(f, side, name, results);
                        net_sections_free(&l);
                }
                free(golden);
                free(live);
                free(results);
        }
        return all;
}

static int fixture_suite_init(void) {
        CU_pSuite suite = CU_get_current_suite();

        current = NULL;
        for (size_t i = 0; suite && i < n_selected; i++)
                if (strcmp(selected[i]->id, suite->pName) == 0) {
                        current = selected[i];
                        current_index = i;
                }
        return current ? 0 : 1;
}

/* A side listed as expected to fail (fixtures.list "xfail-ref: WHY"): its
 * failures since report entry `from` become information; passing instead
 * is a failure (XPASS), so that the mark goes once the cause is fixed. */
static bool expect_failure(size_t from, bool ok, const char *side, const char *why) {
        if (!why)
                return ok;
        if (ok) {
                report_fail(&report, current->id, side, "xfail",
                            "XPASS: expected to fail (%s), but passed: remove the mark from fixtures.list", why);
                return false;
        }
        for (size_t i = from; i < report.n; i++)
                if (report.entries[i].status == REPORT_FAIL) {
                        char *message = NULL;
                        report.entries[i].status = REPORT_INFO;
                        const char *was = report.entries[i].message ? report.entries[i].message : "";
                        if (asprintf(&message, "XFAIL (%s): %s", why, was) >= 0) {
                                free(report.entries[i].message);
                                report.entries[i].message = message;
                        }
                }
        return true;
}

static void test_impl(live_impl impl) {
        const live_job *job = job_for(current, impl, 0);
        char *why = impl == LIVE_REF ? xfail_ref[current_index] : xfail_original[current_index];
        size_t from = report.n;

        if (!job) {
                report_skip(&report, current->id, live_impl_name(impl), "run", "not selected (--impl)");
                return;
        }
        CU_ASSERT_TRUE(expect_failure(from, check_job(job), live_impl_name(impl), why));
}

static void test_ref(void) {
        test_impl(LIVE_REF);
}

static void test_original(void) {
        test_impl(LIVE_ORIGINAL);
}

/* Both through real nspawn: the same network, the same steps. */
static void test_same(void) {
        const live_job *ref = job_for(current, LIVE_REF, 0), *original = job_for(current, LIVE_ORIGINAL, 0);
        char *why = xfail_ref[current_index] ? xfail_ref[current_index] : xfail_original[current_index];
        size_t from = report.n;
        bool all = true;

        if (!ref || !original || !ref->worker.done || !original->worker.done) {
                report_skip(&report, current->id, "ref=original", "network", "needs both runs");
                return;
        }
        for (size_t i = 0; i < current->unit_names.n; i++) {
                const char *name = current->unit_names.items[i];
                char *a = read_container_file(original->worker.outdir, name, "net"), *b = read_container_file(ref->worker.outdir, name, "net"),
                     *check = NULL;
                if (asprintf(&check, "%s.net", name) >= 0) {
                        if (compare(current->id, "ref=original", check, check, a, b))
                                report_pass(&report, current->id, "ref=original", check);
                        else
                                all = false;
                }
                free(check);
                free(a);
                free(b);
        }
        if (why && !all)
                all = expect_failure(from, false, "ref=original", why);
        else if (why && all)
                report_info(&report, current->id, "ref=original", "xfail",
                            "the same state although one side is marked xfail");
        REPORT_ASSERT(all, current->id, "ref=original", "network");
}

/* What this run made, gone: each worker's namespaces, each run's cgroups,
 * mounts below the run's folder, and processes. The rest of the machine is
 * not looked at: other runs may work on it meanwhile. */
static void test_nothing_left(void) {
        char *namespaces = NULL, *mounts, *cgroups = NULL;
        bool all;
        size_t children;
        text gone = { 0 }, held = { 0 };

        reap_orphans();
        children = live_children_left();
        for (size_t i = 0; i < n_jobs; i++)
                if (jobs[i].namespaces_left)
                        text_printf(&held, "%s%s %s: %s", text_length(&held) ? "; " : "", jobs[i].fixture->id,
                                    live_impl_name(jobs[i].impl), jobs[i].namespaces_left);
        if (text_length(&held))
                namespaces = text_steal(&held, NULL);
        text_free(&held);
        mounts = live_mounts_below(scratch);
        for (size_t i = 0; i < cgroups_made.n; i++)
                if (access(cgroups_made.items[i], F_OK) == 0)
                        text_printf(&gone, "%s%s", text_length(&gone) ? " " : "", cgroups_made.items[i]);
        if (text_length(&gone))
                cgroups = text_steal(&gone, NULL);
        text_free(&gone);
        if (namespaces)
                report_fail(&report, "(machine)", "live", "namespaces", "of the %u the workers made, still held: %s",
                            namespaces_checked, namespaces);
        else
                report_pass(&report, "(machine)", "live", "namespaces");
        if (mounts)
                report_fail(&report, "(machine)", "live", "mounts", "below %s: %s", scratch, mounts);
        else
                report_pass(&report, "(machine)", "live", "mounts");
        if (cgroups)
                report_fail(&report, "(machine)", "live", "cgroups", "of the %zu the runs made, still there: %s",
                            cgroups_made.n, cgroups);
        else
                report_pass(&report, "(machine)", "live", "cgroups");
        if (children > 0)
                report_fail(&report, "(machine)", "live", "processes", "%zu process(es) left as this process's children",
                            children);
        else
                report_pass(&report, "(machine)", "live", "processes");
        all = !namespaces && !mounts && !cgroups && children == 0;
        free(namespaces);
        free(mounts);
        free(cgroups);
        REPORT_ASSERT(all, "(machine)", "live", "nothing left behind");
}

/* ---- timing ---------------------------------------------------------------------- */

static int compare_longs(const void *a, const void *b) {
        long x = *(const long *) a, y = *(const long *) b;
        return (x > y) - (x < y);
}

/* The median over the rounds of a "key: N" of one container, -1 if none. */
static long median(const fixture *f, live_impl impl, const char *name, const char *key) {
        long values[64];
        size_t n = 0;

        for (unsigned round = 0; round < repeat && n < 64; round++) {
                const live_job *job = job_for(f, impl, round);
                char *results = job && job->worker.done ? read_container_file(job->worker.outdir, name, "result") : NULL;
                char *value = results ? result_value(results, key) : NULL;
                if (value && strtol(value, NULL, 10) >= 0)
                        values[n++] = strtol(value, NULL, 10);
                free(value);
                free(results);
        }
        if (n == 0)
                return -1;
        qsort(values, n, sizeof values[0], compare_longs);
        return values[n / 2];
}

static void cell(text *b, long ms) {
        if (ms < 0)
                text_puts(b, " | -");
        else
                text_printf(b, " | %ld", ms);
}

static char *timing_table(void) {
        text b = { 0 };
        char *out = NULL, kernel[128] = "?";
        FILE *in = fopen("/proc/sys/kernel/osrelease", "re");

        if (in) {
                if (fgets(kernel, sizeof kernel, in))
                        kernel[strcspn(kernel, "\n")] = '\0';
                fclose(in);
        }
        text_printf(&b,
                          "# Live tier timing\n\n"
                          "Real systemd-nspawn, per container: **ready** is from the start (the ref: `nixcontainer argv`\n"
                          "run, then its argv exec'd; the original: the module's start script run) to READY=1 on the unit's\n"
                          "notify socket (`--notify-ready=yes`: the container's stage 2 sent it once the container-init had\n"
                          "set up the network); **stop** is from SIGTERM to nspawn (a unit stop) to nspawn's exit.\n"
                          "Milliseconds, median of %u run(s); `-` where the container never came up (its nspawn or\n"
                          "container-init fails, as in the golden, or a marked failure of one side).\n"
                          "Made by `make bench` (`harness/live/`), kernel %s.\n\n"
                          "| fixture | container | ref ready | original ready | ref stop | original stop |\n"
                          "|---|---|---:|---:|---:|---:|\n",
                          repeat, kernel);
        static const struct {
                live_impl impl;
                const char *key;
        } columns[] = { { LIVE_REF, "ready-ms" }, { LIVE_ORIGINAL, "ready-ms" }, { LIVE_REF, "stop-ms" },
                        { LIVE_ORIGINAL, "stop-ms" } };
        long *all[4] = { 0 };
        size_t n_all[4] = { 0 }, rows = 0;

        for (size_t i = 0; i < n_selected; i++)
                rows += selected[i]->unit_names.n;
        for (size_t k = 0; k < 4; k++)
                all[k] = calloc(rows ? rows : 1, sizeof(long));
        for (size_t i = 0; i < n_selected; i++) {
                const fixture *f = selected[i];
                for (size_t j = 0; j < f->unit_names.n; j++) {
                        const char *name = f->unit_names.items[j];
                        text_printf(&b, "| %s | %s", f->id, name);
                        for (size_t k = 0; k < 4; k++) {
                                long ms = run_impl[columns[k].impl] ? median(f, columns[k].impl, name, columns[k].key) : -1;
                                cell(&b, ms);
                                if (ms >= 0 && all[k])
                                        all[k][n_all[k]++] = ms;
                        }
                        text_puts(&b, " |\n");
                }
        }
        /* The median over the containers that came up on each side. */
        text_puts(&b, "| **all** | (median)");
        for (size_t k = 0; k < 4; k++) {
                if (all[k] && n_all[k])
                        qsort(all[k], n_all[k], sizeof(long), compare_longs);
                cell(&b, all[k] && n_all[k] ? all[k][n_all[k] / 2] : -1);
                free(all[k]);
        }
        text_puts(&b, " |\n");
        out = text_steal(&b, NULL);
        text_free(&b);
        return out;
}

/* The entries of sim-differences.c and the fixtures whose golden each
 * corrected. */
static void print_differences(void) {
        printf("\nThe simulated nspawn (harness/lib/nspawn-sim.c) against the real one: goldens corrected before comparing\n");
        for (size_t i = 0; live_sim_differences[i].id; i++) {
                const char *id = live_sim_differences[i].id;
                size_t n = 0, len = strlen(id);
                for (size_t j = 0; j < differences_used.n; j++)
                        n += strncmp(differences_used.items[j], id, len) == 0 && differences_used.items[j][len] == ' ';
                printf("  %s: %zu fixture(s)%s\n    %s\n", id, n, n ? "" : " (none of the selected goldens has the line)",
                       live_sim_differences[i].what);
        }
}

/* ---- the fixture list ----------------------------------------------------------- */

/* One fixture id per line, optionally followed by "xfail-ref: WHY" or
 * "xfail-original: WHY" (a known failure of that side, reported as such);
 * '#' starts a comment. ret_ref and ret_original get WHY or "" per id. */
static int read_list(const char *path, nc_strv *ret_ids, nc_strv *ret_ref, nc_strv *ret_original) {
        char *data = NULL, *save = NULL;
        size_t len;
        int r = read_file(path, 1u << 20, &data, &len);

        if (r < 0)
                return r;
        for (char *line = strtok_r(data, "\n", &save); r >= 0 && line; line = strtok_r(NULL, "\n", &save)) {
                char id[256], *ref, *original;
                line[strcspn(line, "#")] = '\0';
                if (sscanf(line, "%255s", id) != 1)
                        continue;
                ref = strstr(line, "xfail-ref:");
                original = strstr(line, "xfail-original:");
                r = nc_strv_push(ret_ids, id);
                if (r >= 0)
                        r = nc_strv_push(ret_ref, ref ? ref + 10 + strspn(ref + 10, " \t") : "");
                if (r >= 0)
                        r = nc_strv_push(ret_original, original ? original + 15 + strspn(original + 15, " \t") : "");
        }
        free(data);
        return r;
}

static const fixture *find_fixture(const char *id) {
        for (size_t i = 0; i < fixtures.n; i++)
                if (strcmp(fixtures.items[i].id, id) == 0)
                        return &fixtures.items[i];
        return NULL;
}

/* ---- main ---------------------------------------------------------------------- */

static char *find_in_path(const char *program) {
        const char *path = getenv("PATH");
        char *copy = strdup(path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin"), *save = NULL, *found = NULL;

        for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found; dir = strtok_r(NULL, ":", &save)) {
                char *candidate = NULL;
                if (asprintf(&candidate, "%s/%s", dir, program) >= 0 && access(candidate, X_OK) == 0)
                        found = candidate;
                else
                        free(candidate);
        }
        free(copy);
        return found;
}

static char *absolute(const char *path) {
        char *out = realpath(path, NULL);
        if (!out)
                fprintf(stderr, "test-live: %s: %s\n", path, strerror(errno));
        return out;
}

/* Copies of nixcontainer, nixcontainer-init and notify-send in dir/bin;
 * *tools points at them. */
static int snapshot_tools(live_tools *tools, const char *dir) {
        const char **paths[] = { &tools->nixcontainer, &tools->init, &tools->notify };
        char *bin = NULL;
        int r;

        if (asprintf(&bin, "%s/bin", dir) < 0)
                return -ENOMEM;
        r = mkdir(bin, 0755) < 0 ? -errno : 0;
        for (size_t i = 0; r >= 0 && i < 3; i++) {
                const char *slash = strrchr(*paths[i], '/');
                char *copy = NULL;
                if (asprintf(&copy, "%s/%s", bin, slash ? slash + 1 : *paths[i]) < 0)
                        r = -ENOMEM;
                else
                        r = live_copy_file(*paths[i], copy, 0755);
                if (r < 0) {
                        fprintf(stderr, "test-live: copying %s: %s\n", *paths[i], strerror(-r));
                        free(copy);
                        break;
                }
                free((char *) *paths[i]);
                *paths[i] = copy;
        }
        free(bin);
        return r;
}

int main(int argc, char **argv) {
        const char *fixtures_dir = NULL, *golden_dir = NULL, *list = NULL, *start_scripts = NULL, *nixcontainer = NULL,
                   *init = NULL, *notify = NULL, *impl = "both", *only = NULL, *timing = NULL;
        long timeout_s = 120;
        bool keep = false;
        const arg_option options[] = {
                ARG("fixtures", ARG_STRING, &fixtures_dir, .arg = "DIR", .required = true),
                ARG("golden", ARG_STRING, &golden_dir, .arg = "DIR", .required = true),
                ARG("list", ARG_STRING, &list, .arg = "FILE", .required = true),
                ARG("start-scripts", ARG_STRING, &start_scripts, .arg = "DIR", .required = true),
                ARG("nixcontainer", ARG_STRING, &nixcontainer, .arg = "PATH", .required = true),
                ARG("init", ARG_STRING, &init, .arg = "PATH", .required = true),
                ARG("notify", ARG_STRING, &notify, .arg = "PATH", .required = true),
                ARG("impl", ARG_STRING, &impl, .arg = "ref|original|both"),
                ARG("only", ARG_STRING, &only, .arg = "ID"),
                ARG("repeat", ARG_UNSIGNED, &repeat, .arg = "N", .min = 1, .max = 64),
                ARG("timing", ARG_STRING, &timing, .arg = "FILE"),
                ARG("timeout", ARG_LONG, &timeout_s, .arg = "SECONDS", .min = 1),
                ARG("keep", ARG_FLAG, &keep),
                { NULL },
        };
        args_parse(argc, argv, options, NULL);

        const char *skip = NULL;
        char *error = NULL, *nspawn = NULL, *table = NULL, note[512] = "";
        live_tools tools = { 0 };
        nc_strv ids = { 0 }, ref_marks = { 0 }, original_marks = { 0 }, stale = { 0 };
        unsigned failures = 0;
        tier_counts counts = { 0 };
        int r, status = 0;

        run_impl[LIVE_REF] = strcmp(impl, "ref") == 0 || strcmp(impl, "both") == 0;
        run_impl[LIVE_ORIGINAL] = strcmp(impl, "original") == 0 || strcmp(impl, "both") == 0;
        if (!run_impl[LIVE_REF] && !run_impl[LIVE_ORIGINAL]) {
                fprintf(stderr, "test-live: --impl: expected ref, original or both, got \"%s\"\n", impl);
                return 2;
        }

        if (tier_begin("live") < 0)
                return 1;
        r = read_list(list, &ids, &ref_marks, &original_marks);
        if (r < 0) {
                fprintf(stderr, "test-live: %s: %s\n", list, strerror(-r));
                status = 1;
                goto out;
        }
        /* The reasons to skip: each says what is missing. */
        if (geteuid() != 0)
                skip = "needs root (namespaces, mounts, cgroups, systemd-nspawn)";
        else if (!(nspawn = find_in_path("systemd-nspawn")))
                skip = "no systemd-nspawn in PATH (Debian: apt-get install systemd-container)";
        if (skip) {
                counts.skipped = only ? 1 : (unsigned) ids.n;
                snprintf(note, sizeof note, "skipped: %s", skip);
                goto out;
        }
        /* What runs killed with SIGKILL left: their containers' cgroups. */
        r = live_cgroups_remove_stale(&stale);
        for (size_t i = 0; i < stale.n; i++)
                printf("live: left by a run that is gone: cgroup %s\n", stale.items[i]);
        if (r < 0) {
                status = 1;
                goto out;
        }
        tools = (live_tools) { .nspawn = nspawn, .nixcontainer = absolute(nixcontainer), .init = absolute(init),
                               .notify = absolute(notify), .start_scripts = absolute(start_scripts) };
        if (!tools.nixcontainer || !tools.init || !tools.notify || !tools.start_scripts) {
                status = 1;
                goto out;
        }
        if (CU_initialize_registry() != CUE_SUCCESS) {
                status = 1;
                goto out;
        }
        /* Orphans of a worker (a container's PID 1 whose nspawn died) are
         * reparented here rather than to the machine's init. */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        r = fixture_set_load(fixtures_dir, golden_dir, DEFAULT_SET, &fixtures, &error);
        if (r < 0) {
                fprintf(stderr, "test-live: %s\n", error ? error : strerror(-r));
                status = 1;
                goto out;
        }
        selected = calloc(ids.n ? ids.n : 1, sizeof *selected);
        xfail_ref = calloc(ids.n ? ids.n : 1, sizeof *xfail_ref);
        xfail_original = calloc(ids.n ? ids.n : 1, sizeof *xfail_original);
        jobs = calloc((ids.n ? ids.n : 1) * 2 * repeat, sizeof *jobs);
        if (!selected || !jobs || !xfail_ref || !xfail_original || tier_scratch_new(&scratch) < 0) {
                status = 1;
                goto out;
        }
        /* The programs under test as they are now: build/ may be rebuilt by
         * someone else while the runs go on. */
        if (snapshot_tools(&tools, scratch) < 0) {
                status = 1;
                goto out;
        }
        for (size_t i = 0; i < ids.n; i++) {
                const fixture *f = find_fixture(ids.items[i]);
                if (!f) {
                        fprintf(stderr, "test-live: %s: no fixture %s in %s\n", list, ids.items[i], fixtures_dir);
                        status = 1;
                        goto out;
                }
                if (only && strcmp(f->id, only) != 0)
                        continue;
                xfail_ref[n_selected] = *ref_marks.items[i] ? ref_marks.items[i] : NULL;
                xfail_original[n_selected] = *original_marks.items[i] ? original_marks.items[i] : NULL;
                selected[n_selected++] = f;
                for (unsigned round = 0; round < repeat; round++)
                        for (int k = 0; k < 2; k++) {
                                live_job *job = &jobs[n_jobs];
                                if (!run_impl[k])
                                        continue;
                                *job = (live_job) { .fixture = f, .impl = (live_impl) k, .round = round };
                                if (asprintf(&job->worker.outdir, "%s/%s.%s.%u", scratch, f->id, live_impl_name(job->impl),
                                             round) < 0 ||
                                    mkdir(job->worker.outdir, 0755) < 0) {
                                        status = 1;
                                        goto out;
                                }
                                n_jobs++;
                        }
        }
        if (only && n_selected == 0) {
                fprintf(stderr, "test-live: %s is not in %s\n", only, list);
                status = 2;
                goto out;
        }
        printf("test-live: %zu fixture(s), %s, %u round(s), systemd-nspawn %s\n", n_selected, impl, repeat, nspawn);
        for (size_t i = 0; i < n_jobs; i++) {
                live_job *job = &jobs[i];
                run_job(job, &tools, (unsigned) timeout_s, (unsigned) i);
                printf("  %-45s %-8s %s (%ld ms)%s%s\n", job->fixture->id, live_impl_name(job->impl),
                       job->worker.done ? "ran" : "FAILED", job->worker.elapsed_ms, job->worker.done ? "" : ": ",
                       job->worker.done ? "" : job->worker.failure ? job->worker.failure : "?");
                fflush(stdout);
        }
        for (size_t i = 0; i < n_selected; i++) {
                CU_pSuite suite = CU_add_suite(selected[i]->id, fixture_suite_init, NULL);
                CU_add_test(suite, "ref: network identical to the golden, clean stop", test_ref);
                CU_add_test(suite, "original: network identical to the golden, clean stop", test_original);
                CU_add_test(suite, "ref and original reach the same state", test_same);
        }
        CU_add_test(CU_add_suite("nothing left behind", NULL, NULL),
                    "none of the run's processes, namespaces, mounts or cgroups left", test_nothing_left);
        CU_basic_set_mode(CU_BRM_VERBOSE);
        CU_basic_run_tests();
        failures = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
        if (failures > 0)
                status = 1;
        report_print_titled(&report, stdout, "live tier");
        table = timing_table();
        if (table) {
                printf("\n%s", table);
                if (timing) {
                        FILE *out = fopen(timing, "we");
                        if (!out || fputs(table, out) < 0 || fclose(out) != 0) {
                                fprintf(stderr, "test-live: %s: %s\n", timing, strerror(errno));
                                status = 1;
                        } else
                                printf("\ntest-live: timing written to %s\n", timing);
                }
        }
        print_differences();
        /* Per fixture, and the machine check as one more. */
        counts = tier_report_counts(&report, failures);
        if (results_write_all(&report, false, "live", NULL, NULL) < 0)
                status = 1;
        if (counts.xfailed)
                snprintf(note, sizeof note, "%u expected to fail (xfail in %s)", counts.xfailed, list);
out:
        tier_scratch_end(scratch, keep);
        scratch = NULL;
        array_free(jobs, n_jobs, sizeof *jobs, live_job_clear);
        free(selected);
        free(xfail_ref);
        free(xfail_original);
        nc_strv_clear(&ref_marks);
        nc_strv_clear(&original_marks);
        nc_strv_clear(&differences_used);
        free(table);
        free(error);
        free(nspawn);
        free((char *) tools.nixcontainer);
        free((char *) tools.init);
        free((char *) tools.notify);
        free((char *) tools.start_scripts);
        nc_strv_clear(&ids);
        nc_strv_clear(&stale);
        nc_strv_clear(&cgroups_made);
        if (CU_get_registry())
                CU_cleanup_registry();
        report_free(&report);
        fixture_set_free(&fixtures);
        if (status != 0 && counts.failed == 0) {
                counts.failed = 1; /* the tier could not do its part (said above) */
                snprintf(note, sizeof note, "the tier itself failed");
        }
        tier_summary(NULL, counts.passed, counts.failed, counts.skipped, note[0] ? "%s" : NULL, note);
        return status;
}
