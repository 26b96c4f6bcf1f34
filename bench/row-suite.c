/* Row 5: the conformance suite itself. In alternating rounds:
 *
 *   netns --jobs 1   build/test-netns --impl ref --fixtures fixtures --golden golden/21.05 --jobs 1
 *   netns --jobs N   the same with one job per core (nproc): fixtures in
 *                    parallel, each in its own worker and namespaces
 *   conformance      build/test-conformance --cli build/nixcontainer (library and CLI)
 *
 * Wall time (CLOCK_MONOTONIC) and the CPU time of the run and everything it
 * started (wait4), so that the cores' use shows: CPU / wall. Each run must
 * pass; its output goes to build/bench/suite.log. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

typedef enum variant { V_JOBS1, V_JOBSN, V_CONFORMANCE, V_COUNT } variant;

/* "test-netns: 82 fixture(s), ..." / "conformance: 101 fixtures identical, ..." in the log's last run. */
static unsigned count_cases(const char *log, const char *marker) {
        size_t len = 0;
        char *log_text = NULL, *last = NULL;
        unsigned n = 0;

        if (read_file(log, BENCH_FILE_MAX, &log_text, &len) < 0)
                return 0;
        for (char *p = log_text; p && (p = strstr(p, marker)); p += strlen(marker))
                last = p;
        if (last)
                n = (unsigned) strtoul(last + strlen(marker), NULL, 10);
        free(log_text);
        return n;
}

int row_suite(const bench_options *o, bench_table *t) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        bench_samples wall[V_COUNT] = { { 0 } }, cpu[V_COUNT] = { { 0 } };
        char *netns = NULL, *conformance = NULL, *cli = NULL, *log = NULL, jobs_n[24];
        unsigned netns_cases = 0, conformance_cases = 0;
        int r = 0;

        if (cores < 2)
                cores = 2;
        snprintf(jobs_n, sizeof jobs_n, "%ld", cores);
        if (asprintf(&netns, "%s/test-netns", o->build) < 0 || asprintf(&conformance, "%s/test-conformance", o->build) < 0 ||
            asprintf(&cli, "%s/nixcontainer", o->build) < 0 || asprintf(&log, "%s/suite.log", o->work) < 0)
                return -ENOMEM;
        (void) unlink(log);
        for (unsigned round = 0; r >= 0 && round < o->suite_rounds; round++)
                for (int v = 0; r >= 0 && v < V_COUNT; v++) {
                        char *netns_argv[] = { netns, "--impl", "ref", "--fixtures", "fixtures", "--golden", "golden/21.05",
                                               "--jobs", v == V_JOBS1 ? "1" : jobs_n, NULL };
                        char *conformance_argv[] = { conformance, "--cli", cli, "--golden", "golden/21.05", "--fixtures",
                                                     "fixtures", NULL };
                        double w = 0, c = 0;
                        int status = run_program(v == V_CONFORMANCE ? conformance_argv : netns_argv, environ, log, &w, &c, NULL);
                        if (status != 0) {
                                fprintf(stderr, "bench: row 5: %s exited %d (see %s)\n",
                                        v == V_CONFORMANCE ? conformance : netns, status, log);
                                r = status < 0 ? status : -EIO;
                                break;
                        }
                        samples_add(&wall[v], w);
                        samples_add(&cpu[v], c);
                        if (o->verbose)
                                fprintf(stderr, "bench: row 5: round %u variant %d: %.1f s\n", round, v, w / 1e6);
                }
        if (r < 0)
                goto out;
        netns_cases = count_cases(log, "test-netns: ");
        conformance_cases = count_cases(log, "conformance: ");
        {
                char m[64], ratio[200], what[200], a[32];
                double speedup = samples_ratio_median(&wall[V_JOBS1], &wall[V_JOBSN]);
                double busy1 = samples_median(&cpu[V_JOBS1]) / samples_median(&wall[V_JOBS1]);
                double busyn = samples_median(&cpu[V_JOBSN]) / samples_median(&wall[V_JOBSN]);

                format_us(samples_median(&wall[V_JOBS1]), m, sizeof m);
                format_us(samples_median(&wall[V_JOBS1]) / (netns_cases ? netns_cases : 1), a, sizeof a);
                snprintf(what, sizeof what, "namespace tier (`test-netns --impl ref`), %u fixtures, --jobs 1", netns_cases);
                snprintf(ratio, sizeof ratio, "%s per fixture; %.2f cores busy", a, busy1);
                table_add(t, "5 suite", what, m, ratio, "", VERDICT_NONE);
                format_us(samples_median(&wall[V_JOBSN]), m, sizeof m);
                format_us(samples_median(&wall[V_JOBSN]) / (netns_cases ? netns_cases : 1), a, sizeof a);
                snprintf(what, sizeof what, "namespace tier, --jobs %s (fixtures in parallel, each in its own namespaces)",
                         jobs_n);
                snprintf(ratio, sizeof ratio, "%s per fixture; %.2f× faster than --jobs 1; %.2f cores busy", a,
                         speedup, busyn);
                table_add(t, "5 suite", what, m, ratio, "uses both cores: ≥ 1.5× faster than --jobs 1",
                          speedup >= 1.5 ? VERDICT_MET : VERDICT_MISSED);
                format_us(samples_median(&wall[V_CONFORMANCE]), m, sizeof m);
                format_us(samples_median(&wall[V_CONFORMANCE]) / (conformance_cases ? conformance_cases : 1), a,
                          sizeof a);
                snprintf(what, sizeof what, "conformance suite (`test-conformance`, library and CLI), %u fixtures",
                         conformance_cases);
                snprintf(ratio, sizeof ratio, "%s per fixture", a);
                table_add(t, "5 suite", what, m, ratio, "", VERDICT_NONE);
                bench_samples speedups = { 0 };
                double round_s = 0;
                for (size_t k = 0; k < wall[V_JOBS1].n; k++) {
                        samples_add(&speedups, wall[V_JOBS1].v[k] / wall[V_JOBSN].v[k]);
                        round_s += (wall[V_JOBS1].v[k] + wall[V_JOBSN].v[k] + wall[V_CONFORMANCE].v[k]) / 1e6;
                }
                round_s /= wall[V_JOBS1].n ? (double) wall[V_JOBS1].n : 1;
                table_note(&t->notes,
                           "**Row 5** (%u rounds, alternating%s; one round of the three runs takes %.0f s, so 15 "
                           "would take %.1f minutes by themselves, and the per-round speedups ranged only from "
                           "%.2f× to %.2f×). Wall time, and CPU time of the run and all it "
                           "started (wait4): \"cores busy\" is CPU / wall. Every run passed (%u fixtures identical "
                           "in the namespace tier). A fixture of the namespace tier spends most of its time waiting, "
                           "not computing: its dump is taken until three samples 30 ms apart agree "
                           "(harness/lib/dump.c, at least 60 ms of sleep per fixture, %.1f s of the --jobs 1 run "
                           "for %u fixtures), each sample runs `ip` four times per namespace, and the worker pool "
                           "polls every 5 ms (harness/lib/workers.c). That is why %ld jobs on %ld cores give "
                           "%.2f× and not %ld×, with the cores %.0f%% busy; more jobs than cores, or a shorter "
                           "settle interval, would shorten it further (both in harness/, not changed here).",
                           o->suite_rounds, o->suite_rounds < 15 ? ", fewer than the other rows' 15 to keep `make "
                                                                   "bench` near 10 minutes (BENCH_SUITE_ROUNDS=15 "
                                                                   "gives 15)" : "",
                           round_s, round_s * 15 / 60, samples_min(&speedups), samples_max(&speedups), netns_cases,
                           0.06 * netns_cases, netns_cases, cores, cores, speedup, cores,
                           100 * busyn / cores);
                samples_free(&speedups);
        }
out:
        for (int v = 0; v < V_COUNT; v++) {
                samples_free(&wall[v]);
                samples_free(&cpu[v]);
        }
        free(netns), free(conformance), free(cli), free(log);
        return r;
}
