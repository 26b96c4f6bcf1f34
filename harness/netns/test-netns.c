/* The namespace tier: what an implementation does to the network, compared
 * with what the original module's scripts do, in throwaway namespaces.
 *
 *   test-netns --fixtures DIR --golden DIR [--impl original|ref|exec:CMD]
 *              [--generate] [--jobs N] [--timeout S] [--only ID[,ID...]] [--skip-compat] [--keep]
 *
 * For every fixture that the module accepts and whose start script runs, a
 * worker builds a host namespace and one per container, runs the stages
 * (run-fixture.h) and dumps the namespaces (dump.h). --generate writes the
 * dumps as golden/<fixture>/NAME.net (only from the original); otherwise
 * they are compared with those files. --only runs the fixtures it names (comma-separated). Needs root;
 * without it, says so in its closing line and exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "args.h"
#include "array.h"
#include "fixture.h"
#include "impl.h"
#include "report.h"
#include "results.h"
#include "run-fixture.h"
#include "text.h"
#include "tier.h"
#include "unit-tests.h"
#include "workers.h"

static fixture_set fixtures;
static worker_job *jobs;
static size_t n_jobs;
static impl implementation;
static report_table report;
static const worker_job *current;

static const fixture *job_fixture(const worker_job *job) {
        return job->data;
}

static int fixture_suite_init(void) {
        CU_pSuite suite = CU_get_current_suite();
        for (size_t i = 0; suite && i < n_jobs; i++)
                if (strcmp(job_fixture(&jobs[i])->id, suite->pName) == 0) {
                        current = &jobs[i];
                        return 0;
                }
        return 1;
}

/* In the worker: the fixture, with the implementation under test. */
static int run_job(worker_job *job, void *which) {
        tier_worker_begin();
        return run_fixture(job_fixture(job), which, job->outdir);
}

static void test_namespaces(void) {
        const fixture *f = job_fixture(current);
        bool all = true;

        if (!current->done) {
                report_fail(&report, f->id, implementation.label, "namespaces", "%s",
                            current->failure ? current->failure : "the worker failed");
                CU_FAIL("the fixture's worker failed");
                return;
        }
        for (size_t i = 0; i < f->unit_names.n; i++) {
                char file[512], *expected, *actual;
                size_t expected_len = 0, actual_len = 0;

                snprintf(file, sizeof file, "%s.net", f->unit_names.items[i]);
                expected = golden_read(f, file, &expected_len);
                actual = read_file_at(current->outdir, file, &actual_len);
                if (!expected) {
                        report_fail(&report, f->id, implementation.label, file, "no golden %s (run make golden-net)", file);
                        all = false;
                } else if (!actual) {
                        report_fail(&report, f->id, implementation.label, file, "the worker wrote no %s", file);
                        all = false;
                } else if (report_compare_text(&report, f->id, implementation.label, file, file, expected, expected_len,
                                               actual, actual_len))
                        report_pass(&report, f->id, implementation.label, file);
                else
                        all = false;
                free(expected);
                free(actual);
        }
        REPORT_ASSERT(all, f->id, implementation.label, "namespaces");
}

/* --generate: golden/<id>/NAME.net from the worker's files. */
static int write_goldens(const worker_job *job) {
        const fixture *f = job_fixture(job);
        int r = 0;

        if (!job->done) {
                fprintf(stderr, "golden-net: %s: %s\n", f->id, job->failure ? job->failure : "the worker failed");
                return -EIO;
        }
        for (size_t i = 0; r >= 0 && i < f->unit_names.n; i++) {
                char file[512], *data, *path = NULL;
                size_t len = 0;

                snprintf(file, sizeof file, "%s.net", f->unit_names.items[i]);
                data = read_file_at(job->outdir, file, &len);
                if (!data || asprintf(&path, "%s/%s", f->golden_dir, file) < 0)
                        r = -ENOMEM;
                else
                        r = write_file(path, data, len, 0644);
                if (r < 0)
                        fprintf(stderr, "golden-net: %s: %s: %s\n", f->id, file, strerror(-r));
                free(path);
                free(data);
        }
        if (r >= 0)
                printf("golden-net: %s: %zu file(s) (%ld ms)\n", f->id, f->unit_names.n, job->elapsed_ms);
        return r;
}

/* What --help adds to the synopsis. */
static const char notes[] =
        "Runs an implementation's network steps (preStart, container-init, postStart) for each fixture in\n"
        "throwaway network namespaces and compares their links, addresses and routes, and the failing\n"
        "step, with golden/R/FIXTURE/NAME.net (CONFORMANCE.md). Needs root (without it, says so and exits\n"
        "0). Exit 0 when nothing failed, 1 when something did, 2 for a wrong command line.\n"
        "--impl: original (the module's own scripts), ref (the library in-process), exec:CMD (a program\n"
        "  honouring the nixcontainer CLI contract; CMD is split on spaces); default original\n"
        "--generate: write the dumps as the goldens (NAME.net) instead of comparing (--impl original)\n"
        "--release R: the goldens of release R (default " DEFAULT_SET "), in golden/R unless --golden says\n"
        "--jobs N: fixtures at a time, each in namespaces of its own (default: 4 per online CPU)\n"
        "--timeout SECONDS: a fixture's limit (default 120); --only ID,...: only these fixtures\n"
        "--skip-compat: leave out the fixtures marked compat; --keep: keep the scratch folder\n"
        "--junit FILE, --tap FILE: the results also as JUnit XML and TAP, a failure with its first\n"
        "  difference\n";

int main(int argc, char **argv) {
        const char *fixtures_dir = NULL, *golden = NULL, *impl_spec = "original", *only = NULL;
        const char *release = DEFAULT_SET, *junit = NULL, *tap = NULL;
        char *golden_dir = NULL;
        bool generate = false, skip_compat = false, keep = false;
        /* Four fixtures per core: a fixture mostly waits (its dump is
         * sampled until it settles, at least 60 ms of sleep, and `ip` runs
         * between samples), so at one per core the cores stay idle (make
         * bench row 5: 0.35 cores busy with --jobs 2 on two). */
        long jobs_max = 4 * sysconf(_SC_NPROCESSORS_ONLN), timeout_s = 120;
        const arg_option options[] = {
                ARG("fixtures", ARG_STRING, &fixtures_dir, .arg = "DIR", .required = true),
                ARG("golden", ARG_STRING, &golden, .arg = "DIR"),
                ARG("release", ARG_STRING, &release, .arg = "R"),
                ARG("impl", ARG_STRING, &impl_spec, .arg = "original|ref|exec:CMD"),
                ARG("generate", ARG_FLAG, &generate),
                ARG("jobs", ARG_LONG, &jobs_max, .arg = "N", .min = 1),
                ARG("timeout", ARG_LONG, &timeout_s, .arg = "SECONDS", .min = 1),
                ARG("only", ARG_STRING, &only, .arg = "ID[,ID...]"),
                ARG("skip-compat", ARG_FLAG, &skip_compat),
                ARG("keep", ARG_FLAG, &keep),
                ARG("junit", ARG_STRING, &junit, .arg = "FILE"),
                ARG("tap", ARG_STRING, &tap, .arg = "FILE"),
                { NULL },
        };
        args_parse(argc, argv, options, notes);

        char *outdir = NULL, *error = NULL, label[96], note[128] = "";
        unsigned written = 0;
        tier_counts counts = { 0 };
        int r, status = 0;

        if (impl_parse(impl_spec, &implementation) < 0) {
                fprintf(stderr, "test-netns: --impl: expected original, ref or exec:CMD, got \"%s\"\n", impl_spec);
                return 2;
        }
        if (generate && implementation.kind != IMPL_ORIGINAL) {
                fprintf(stderr, "test-netns: goldens come from the original only (--generate needs --impl original)\n");
                impl_clear(&implementation);
                return 2;
        }
        snprintf(label, sizeof label, "netns (%s, %s)", implementation.label, release);
        if (tier_begin("netns") < 0 || CU_initialize_registry() != CUE_SUCCESS || netns_unit_tests_register() < 0) {
                impl_clear(&implementation);
                return 1;
        }
        r = args_release_golden(golden, release, &golden_dir, &error);
        if (r == -EINVAL) {
                fprintf(stderr, "test-netns: %s\n", error);
                free(error);
                CU_cleanup_registry();
                impl_clear(&implementation);
                return 2;
        }
        if (r >= 0)
                r = fixture_set_load(fixtures_dir, golden_dir, release, &fixtures, &error);
        if (r < 0) {
                fprintf(stderr, "test-netns: %s\n", error ? error : strerror(-r));
                free(error);
                free(golden_dir);
                CU_cleanup_registry();
                impl_clear(&implementation);
                return 1;
        }
        if (geteuid() != 0) {
                /* The unit tests need no namespace; the fixtures do. */
                CU_basic_set_mode(CU_BRM_VERBOSE);
                CU_basic_run_tests();
                counts = (tier_counts) { .failed = CU_get_number_of_failures(), .skipped = only ? 1 : fixtures.n };
                snprintf(note, sizeof note, "skipped: needs root (network namespaces, moving links)");
                status = counts.failed ? 1 : 0;
                goto out;
        }
        r = tier_scratch_new(&outdir);
        if (r < 0) {
                fprintf(stderr, "test-netns: scratch folder: %s\n", strerror(-r));
                status = 1;
                goto out;
        }
        jobs = calloc(fixtures.n ? fixtures.n : 1, sizeof *jobs);
        if (!jobs) {
                status = 1;
                goto out;
        }
        for (size_t i = 0; i < fixtures.n; i++) {
                const fixture *f = &fixtures.items[i];
                const char *why = NULL;
                if (!args_list_has(only, f->id))
                        continue;
                if (!fixture_eligible(f, &why) || (skip_compat && f->compat)) {
                        report_skip(&report, f->id, implementation.label, "namespaces", "%s",
                                    why ? why : "a compat fixture (--skip-compat)");
                        continue;
                }
                jobs[n_jobs].data = f;
                if (asprintf(&jobs[n_jobs++].outdir, "%s/%s", outdir, f->id) < 0 ||
                    mkdir(jobs[n_jobs - 1].outdir, 0755) < 0) {
                        status = 1;
                        goto out;
                }
        }
        if (only && n_jobs == 0 && report.n == 0) {
                fprintf(stderr, "test-netns: no fixture %s in %s\n", only, fixtures_dir);
                status = 2;
                goto out;
        }
        printf("test-netns: %zu fixture(s), implementation %s, %ld job(s)\n", n_jobs, impl_spec, jobs_max);
        r = workers_run(jobs, n_jobs,
                        &(worker_pool) { .run = run_job, .userdata = &implementation, .jobs_max = (unsigned) jobs_max,
                                         .timeout_s = (unsigned) timeout_s });
        if (r < 0) {
                fprintf(stderr, "test-netns: cannot start workers: %s\n", strerror(-r));
                status = 1;
                goto out;
        }
        if (generate) {
                for (size_t i = 0; i < n_jobs; i++)
                        if (write_goldens(&jobs[i]) < 0)
                                status = 1;
                        else
                                written++;
        } else
                for (size_t i = 0; i < n_jobs; i++) {
                        CU_pSuite suite = CU_add_suite(job_fixture(&jobs[i])->id, fixture_suite_init, NULL);
                        CU_add_test(suite, "namespaces identical to the golden", test_namespaces);
                }
        CU_basic_set_mode(CU_BRM_VERBOSE);
        CU_basic_run_tests();
        if (CU_get_number_of_failures() + CU_get_number_of_suites_failed() > 0)
                status = 1;
        if (generate) {
                counts = (tier_counts) { .passed = written, .failed = (unsigned) n_jobs - written };
                snprintf(note, sizeof note, "goldens written");
        } else {
                report_print_titled(&report, stdout, "namespace tier");
                counts = tier_report_counts(&report, CU_get_number_of_failures() + CU_get_number_of_suites_failed());
                if (results_write_all(&report, false, label, junit, tap) < 0)
                        status = 1;
                if (counts.checks_skipped)
                        snprintf(note, sizeof note, "%u check%s skipped", counts.checks_skipped,
                                 counts.checks_skipped == 1 ? "" : "s");
        }
out:
        tier_scratch_end(outdir, keep);
        array_free(jobs, n_jobs, sizeof *jobs, worker_job_clear);
        CU_cleanup_registry();
        report_free(&report);
        fixture_set_free(&fixtures);
        impl_clear(&implementation);
        free(golden_dir);
        if (status != 0 && counts.failed == 0) {
                counts.failed = 1; /* the tier could not do its part (said above) */
                snprintf(note, sizeof note, "the tier itself failed");
        }
        tier_summary(label, counts.passed, counts.failed, counts.skipped, note[0] ? "%s" : NULL, note);
        return status;
}
