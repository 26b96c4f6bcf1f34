/* nixcontainer-bench: `make bench`. Runs the rows of bench/README.md, prints
 * the table and writes it, with a description of the machine, to
 * bench/RESULTS.md.
 *
 *   nixcontainer-bench [--rows 1,2,3,4,5] [--rounds N] [--suite-rounds N]
 *                      [--nix-rounds N] [--scale-samples N] [--scale-max N]
 *                      [--render-count N] [--build DIR] [--work DIR]
 *                      [--bench DIR] [--nixpkgs-lib DIR] [--module FILE]
 *                      [--out FILE] [--verbose]
 *
 * Needs root (network namespaces). Exit status: 0 when every row ran (a
 * missed target is reported, not an error), 1 when a row could not run, 2
 * on bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "bench.h"

#define MIN_ROUNDS 15

/* The value of the first line of `path` that starts with `key` (after the
 * separator, quotes and blanks trimmed), or the first line without a key. */
static char *line_value(const char *path, const char *key, char separator) {
        FILE *in = fopen(path, "re");
        char line[512];

        if (!in)
                return NULL;
        while (fgets(line, sizeof line, in)) {
                char *value = line;
                if (key) {
                        if (strncmp(line, key, strlen(key)) != 0 || !(value = strchr(line, separator)))
                                continue;
                        value++;
                }
                fclose(in);
                value += strspn(value, " \t\"");
                value[strcspn(value, "\"\n")] = '\0';
                return strdup(value);
        }
        fclose(in);
        return NULL;
}

static char *command_output(const char *command) {
        FILE *p = popen(command, "r");
        char line[256] = "";

        if (!p)
                return NULL;
        if (!fgets(line, sizeof line, p))
                line[0] = '\0';
        pclose(p);
        line[strcspn(line, "\n")] = '\0';
        return line[0] ? strdup(line) : NULL;
}

/* /proc/loadavg's first three fields, at the start of the run. */
static char load_at_start[64];

static void read_load(char *buf, size_t size) {
        char *line = line_value("/proc/loadavg", NULL, 0);
        int spaces = 0;

        snprintf(buf, size, "%s", line ? line : "unknown");
        for (char *p = buf; *p; p++)
                if (*p == ' ' && ++spaces == 3)
                        *p = '\0';
        free(line);
}

static void describe_machine(FILE *out) {
        struct utsname u;
        struct sysinfo si;
        char *cpu = line_value("/proc/cpuinfo", "model name", ':');
        char *debian = line_value("/etc/debian_version", NULL, 0);
        char *pretty = line_value("/etc/os-release", "PRETTY_NAME", '=');
        char *commit = command_output("git rev-parse --short HEAD 2>/dev/null");
        char *dirty = command_output("git status --porcelain --untracked-files=no -- ref 2>/dev/null | head -1");
        char date[64], load_now[64];
        time_t now = time(NULL);

        if (uname(&u) < 0)
                memset(&u, 0, sizeof u);
        if (sysinfo(&si) < 0)
                memset(&si, 0, sizeof si);
        strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
        fprintf(out, "| | |\n|---|---|\n");
        fprintf(out, "| date | %s |\n", date);
        fprintf(out, "| CPU | %s, %ld online (nproc) |\n", cpu ? cpu : "unknown", sysconf(_SC_NPROCESSORS_ONLN));
        fprintf(out, "| memory | %.1f GiB |\n", (double) si.totalram * si.mem_unit / (1024.0 * 1024 * 1024));
        fprintf(out, "| kernel | %s %s %s |\n", u.sysname, u.release, u.machine);
        fprintf(out, "| system | %s (Debian %s) |\n", pretty ? pretty : "unknown", debian ? debian : "unknown");
        fprintf(out, "| ref | commit %s%s |\n", commit ? commit : "unknown", dirty ? " with changes in ref/" : "");
        read_load(load_now, sizeof load_now);
        fprintf(out, "| load average (1, 5, 15 min) | %s at the start, %s at the end (other work on the machine "
                     "inflates wall times; CPU times and instruction counts are kept where it matters) |\n",
                load_at_start, load_now);
        free(cpu);
        free(debian);
        free(pretty);
        free(commit);
        free(dirty);
}

static unsigned parse_rows(const char *list) {
        unsigned rows = 0;
        for (const char *p = list; *p; p++)
                if (*p >= '1' && *p <= '5')
                        rows |= 1u << (*p - '1');
        return rows;
}

static void write_results(const bench_options *o, const bench_table *t, int argc, char **argv, double elapsed_s) {
        FILE *out = fopen(o->out, "we");

        if (!out) {
                fprintf(stderr, "bench: cannot write %s: %s\n", o->out, strerror(errno));
                return;
        }
        fprintf(out, "# `make bench`: results\n\n");
        fprintf(out, "Written by `make bench` (bench/main.c); see `bench/README.md` for what each row measures. "
                     "Every comparison is measured side by side in one run, variants alternating round by round; "
                     "times are medians over the rounds (CLOCK_MONOTONIC), ratios are medians of the per-round "
                     "ratios.\n\n");
        fprintf(out, "## Machine\n\n");
        describe_machine(out);
        fprintf(out, "\nCommand: `");
        for (int i = 0; i < argc; i++)
                fprintf(out, "%s%s", i ? " " : "", argv[i]);
        fprintf(out, "` (%.0f s)\n\n## Table\n\n", elapsed_s);
        table_print(t, out);
        if (t->notes.n) {
                fprintf(out, "\n## How each row was measured\n\n");
                for (size_t i = 0; i < t->notes.n; i++)
                        fprintf(out, "%s\n\n", t->notes.items[i]);
        }
        fprintf(out, "%s## Closing note\n\n", t->notes.n ? "" : "\n");
        if (t->missed.n == 0)
                fprintf(out, "Every target in the table was met in this run.\n");
        else
                for (size_t i = 0; i < t->missed.n; i++)
                        fprintf(out, "%s\n\n", t->missed.items[i]);
        fclose(out);
}

int main(int argc, char **argv) {
        bench_options o = {
                .rounds = MIN_ROUNDS, .suite_rounds = 7, .nix_rounds = 1, .scale_samples = 8,
                .scale_max = 1000, .render_count = 10000, .build = "build", .work = NULL, .bench_dir = "bench",
                .nixpkgs_lib = ".cache/nixpkgs-lib/lib", .module = "../shared/seed/nixos-containers.nix",
                .out = "bench/RESULTS.md", .rows = 0x1f,
        };
        const char *rows_list = NULL;
        const arg_option options[] = {
                ARG("rows", ARG_STRING, &rows_list, .arg = "1,2,3,4,5"),
                ARG("rounds", ARG_UNSIGNED, &o.rounds, .min = 1),
                ARG("suite-rounds", ARG_UNSIGNED, &o.suite_rounds, .min = 1),
                ARG("nix-rounds", ARG_UNSIGNED, &o.nix_rounds),
                ARG("scale-samples", ARG_UNSIGNED, &o.scale_samples, .min = 1),
                ARG("scale-max", ARG_UNSIGNED, &o.scale_max, .min = 1, .max = BENCH_SCHEME_MAX),
                ARG("render-count", ARG_UNSIGNED, &o.render_count, .min = 1),
                ARG("build", ARG_STRING, &o.build, .arg = "DIR"),
                ARG("work", ARG_STRING, &o.work, .arg = "DIR"),
                ARG("bench", ARG_STRING, &o.bench_dir, .arg = "DIR"),
                ARG("nixpkgs-lib", ARG_STRING, &o.nixpkgs_lib, .arg = "DIR"),
                ARG("module", ARG_STRING, &o.module, .arg = "FILE"),
                ARG("out", ARG_STRING, &o.out, .arg = "FILE"),
                ARG("verbose", ARG_FLAG, &o.verbose),
                { NULL },
        };
        int (*const rows[5])(const bench_options *, bench_table *) = { row_setup, row_scale, row_render, row_teardown,
                                                                       row_suite };
        bench_table table = { 0 };
        char *work = NULL;
        long netns_baseline = -1;
        double started = clock_us();
        int status = 0, r;

        if (argc == 4 && strcmp(argv[1], "--once") == 0)
                return bench_render_once(argv[2], argv[3]);
        args_parse(argc, argv, options, NULL);
        if (rows_list && (o.rows = parse_rows(rows_list)) == 0) {
                fprintf(stderr, "bench: --rows: no row in \"%s\"\n", rows_list);
                return 2;
        }
        if (geteuid() != 0) {
                fprintf(stderr, "bench: needs root (network namespaces, moving links)\n");
                return 1;
        }
        if (!o.work) {
                if (asprintf(&work, "%s/bench", o.build) < 0)
                        return 1;
                o.work = work;
        }
        if (mkdir(o.work, 0755) < 0 && errno != EEXIST) {
                fprintf(stderr, "bench: %s: %s\n", o.work, strerror(errno));
                return 1;
        }
        if (o.rounds < MIN_ROUNDS)
                table_note(&table.notes, "**Fewer rounds than the bench's minimum of %d** (--rounds %u): a trial run, not a "
                                   "result.",
                           MIN_ROUNDS, o.rounds);
        read_load(load_at_start, sizeof load_at_start);
        netns_settle(&netns_baseline);
        for (int i = 0; i < 5; i++) {
                double row_started, waited;
                if (!(o.rows & (1u << i)))
                        continue;
                waited = netns_settle(&netns_baseline);
                if (waited > 1e6)
                        fprintf(stderr, "bench: waited %.1f s for the kernel to destroy the last row's namespaces\n",
                                waited / 1e6);
                row_started = clock_us();
                fprintf(stderr, "bench: row %d ...\n", i + 1);
                r = rows[i](&o, &table);
                fprintf(stderr, "bench: row %d: %s (%.1f s)\n", i + 1, r < 0 ? "failed" : "done",
                        (clock_us() - row_started) / 1e6);
                if (r < 0) {
                        char row[16];
                        snprintf(row, sizeof row, "%d", i + 1);
                        table_add(&table, row, "the row could not run (see stderr)", "-", "-", "-", VERDICT_MISSED);
                        status = 1;
                }
        }
        printf("\n");
        table_print(&table, stdout);
        write_results(&o, &table, argc, argv, (clock_us() - started) / 1e6);
        {
                size_t missed = 0;
                for (size_t i = 0; i < table.n; i++)
                        missed += table.lines[i].verdict == VERDICT_MISSED;
                printf("\nbench: %zu target(s) missed; written to %s (%.0f s)\n", missed, o.out,
                       (clock_us() - started) / 1e6);
        }
        table_free(&table);
        free(work);
        return status;
}
