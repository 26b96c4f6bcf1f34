/* Row 3: the env file and the argv of many containers from one JSON file.
 *
 * The bench writes build/bench/containers-N.json ({NAME: definition}, the
 * form `nixcontainer --config` reads) with options varied container by
 * container: routed IPv4, IPv6 and dual-stack, bridged, host network,
 * extra veths routed and bridged, forwarded ports, bind mounts, tmpfs,
 * extra flags, capabilities, tun, devices, ephemeral, autoStart, timeouts.
 *
 *   ref  nc_config_load_file (strict), then for every container
 *        nc_render_env_file, nc_unit_environment and nc_build_argv
 *   nix  nix-instantiate --eval --strict --json on bench/render.nix: the
 *        module under nixpkgs' lib.evalModules as the golden generator runs
 *        it (harness/golden/eval.nix), giving every env file and start
 *        script (only where nix and a nixpkgs lib/ are present)
 *
 * Side by side at 1,000 containers (alternating rounds), and at 10,000
 * (the ref every round, nix in --nix-rounds of them: one evaluation takes
 * tens of seconds and gigabytes). The first nix run of each size is
 * checked: every env file nix renders must be the ref's, byte for byte. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "array.h"
#include "bench.h"
#include "fixture.h"
#include "run.h"
#include "strv.h"

/* How long one nix evaluation may take: at 10,000 containers nix takes about
 * 90 s on a quiet machine here, more on a busy one, beyond harness/lib's
 * RUN_TIMEOUT_MS (120 s) for a command. */
#define NIX_TIMEOUT_S 600
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

extern char **environ;

static void add_network(text *b, unsigned i, unsigned kind, unsigned octet) {
        unsigned a = octet + i / 250, c = i % 250;

        switch (kind) {
        case 0: /* routed IPv4, /32 */
                text_printf(b, ",\"hostAddress\":\"10.%u.%u.1\",\"localAddress\":\"10.%u.%u.2\"", a, c, a, c);
                break;
        case 1: /* routed IPv4 with prefixes */
                text_printf(b, ",\"hostAddress\":\"10.%u.%u.1\",\"localAddress\":\"10.%u.%u.2/24\"", a, c, a, c);
                break;
        case 2: /* IPv6 only */
                text_printf(b, ",\"hostAddress6\":\"fd%02x:%x::1\",\"localAddress6\":\"fd%02x:%x::2/64\"", octet, i,
                            octet, i);
                break;
        case 3: /* dual stack */
                text_printf(b,
                            ",\"hostAddress\":\"10.%u.%u.1\",\"localAddress\":\"10.%u.%u.2\""
                            ",\"hostAddress6\":\"fd%02x:%x::1\",\"localAddress6\":\"fd%02x:%x::2\"",
                            a, c, a, c, octet, i, octet, i);
                break;
        default: /* bridged */
                text_printf(b, ",\"hostBridge\":\"br%u\",\"localAddress\":\"192.168.%u.%u/16\"", i % 4, a, c + 2);
                break;
        }
}

/* Options that every `every`-th container takes, as they are. */
static const struct {
        unsigned every;
        const char *json;
} every_nth[] = {
        { 8, ",\"tmpfs\":[\"/tmp\",\"/var/tmp:mode=1777\"]" },
        { 9, ",\"extraFlags\":[\"--private-users=pick\"]" },
        { 10, ",\"additionalCapabilities\":[\"CAP_IPC_LOCK\"]" },
        { 12, ",\"enableTun\":true" },
        { 13, ",\"allowedDevices\":[{\"node\":\"/dev/fuse\",\"modifier\":\"rw\"}]" },
        { 14, ",\"ephemeral\":true" },
};

/* Container i: deterministic, every option taken by some. */
static void add_container(text *b, unsigned i) {
        bool private = i % 3 != 0;

        text_printf(b, "%s\"c%05u\":{\"path\":\"/nix/store/%032u-nixos-system-c%05u-21.05\"", i ? "," : "", i, i,
                    i);
        if (private) {
                text_puts(b, ",\"privateNetwork\":true");
                add_network(b, i, i % 5, 20);
                if (i % 4 == 0)
                        text_printf(b, ",\"forwardPorts\":[{\"hostPort\":%u}%s]", 8000 + i % 1000,
                                    i % 8 == 0 ? ",{\"protocol\":\"udp\",\"hostPort\":53,\"containerPort\":5353}" : "");
                if (i % 7 == 0) {
                        text_printf(b, ",\"extraVeths\":{\"xv%05u\":{", i);
                        if (i % 2)
                                text_printf(b, "\"hostBridge\":\"br%u\"", i % 4);
                        else {
                                text_puts(b, "\"hostBridge\":null");
                                add_network(b, i, 3, 60);
                        }
                        text_puts(b, "}}");
                }
                if (i % 17 == 0)
                        text_puts(b, ",\"interfaces\":[\"eth1\"]");
                if (i % 19 == 0)
                        text_puts(b, ",\"macvlans\":[\"eth2\"]");
        } else if (i % 9 == 0)
                add_network(b, i, 0, 40); /* addresses without a private network: rendered, unused */
        if (i % 6 == 0)
                text_printf(b, ",\"bindMounts\":{\"/srv\":{\"hostPath\":\"/srv/c%05u\",\"isReadOnly\":false},"
                               "\"/var/cache\":{}}",
                            i);
        for (size_t k = 0; k < ELEMENTSOF(every_nth); k++)
                if (i % every_nth[k].every == 0)
                        text_puts(b, every_nth[k].json);
        text_printf(b, ",\"autoStart\":%s", i % 2 ? "false" : "true");
        if (i % 15 == 0)
                text_puts(b, ",\"timeoutStartSec\":\"2min\"");
        text_puts(b, "}");
}

static int write_config(const char *path, unsigned n) {
        text b = { 0 };
        const char *data;
        size_t len = 0;
        int r;

        text_puts(&b, "{");
        for (unsigned i = 0; i < n; i++)
                add_container(&b, i);
        text_puts(&b, "}\n");
        data = text_data(&b, &len);
        r = data ? write_file(path, data, len, 0644) : -ENOMEM;
        text_free(&b);
        return r;
}

/* Where the ref's time goes (a separate, clocked pass). */
enum { PHASE_LOAD, PHASE_ENV_FILE, PHASE_UNIT_ENV, PHASE_ARGV, PHASE_FREE, PHASE_COUNT };

static double lap(double *phases, int phase, double since) {
        double now = clock_us();
        if (phases)
                phases[phase] += now - since;
        return now;
}

/* What the ref rendered, summed over the containers: what a release's
 * module asks for. */
typedef struct render_output {
        double env_file_bytes, unit_env_entries, argv_words;
} render_output;

/* The ref's whole job, at `release` and host `state_version` (NULL:
 * 21.05); with `keep`, the env files are kept by name; with `phases`, each
 * call is clocked into its phase, and with `out` what was rendered is
 * counted. */
static int render_all(const char *path, const char *release, const char *state_version, json_t *keep,
                      double *phases, render_output *out, double *ret_us) {
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        nc_env *base = nc_env_new();
        double t0 = clock_us(), t = t0;
        int r = base ? nc_config_load_file(path, NC_MODE_STRICT, release, state_version, &config, &error) : -ENOMEM;

        t = lap(phases, PHASE_LOAD, t);
        for (size_t i = 0; r >= 0 && i < nc_config_count(config); i++) {
                const nc_container *c = nc_config_at(config, i);
                nc_argv_request request = { .guest_system = "x86_64-linux" };
                nc_strv argv = { 0 };
                nc_env *env = NULL;
                char *conf = NULL;
                size_t len = 0;
                r = nc_render_env_file(c, &conf, &len);
                t = lap(phases, PHASE_ENV_FILE, t);
                if (r >= 0)
                        r = nc_unit_environment(c, nc_container_name(c), base, conf, len, &env, &error);
                t = lap(phases, PHASE_UNIT_ENV, t);
                if (r >= 0)
                        r = nc_build_argv(c, env, &request, &argv, &error);
                t = lap(phases, PHASE_ARGV, t);
                if (r >= 0 && keep)
                        json_object_set_new(keep, nc_container_name(c), json_stringn(conf, len));
                if (r >= 0 && out) {
                        out->env_file_bytes += (double) len;
                        out->unit_env_entries += (double) nc_env_count(env);
                        out->argv_words += (double) argv.n;
                }
                nc_strv_clear(&argv);
                nc_env_free(env);
                free(conf);
                t = lap(phases, PHASE_FREE, t);
        }
        *ret_us = clock_us() - t0;
        if (r < 0)
                fprintf(stderr, "bench: row 3: ref (%s): %s\n", release ? release : NC_RELEASE_DEFAULT,
                        error.message[0] ? error.message : strerror(-r));
        nc_config_free(config);
        nc_env_free(base);
        lap(phases, PHASE_FREE, t);
        return r;
}


/* One release's nix side: its module under a nixpkgs lib of its time. */
typedef struct nix_setup {
        bool present;
        char *why;  /* when not present */
        char *lib, *module, *expression, *store;
        const char *state_version;
        bool timed_out[2]; /* at 1,000 and at full size: nix did not finish within NIX_TIMEOUT_S */
} nix_setup;

static void nix_find(const bench_options *o, const bench_release *b, nix_setup *n) {
        char *lib_default = NULL;

        n->state_version = b->state_version;
        if (system("command -v nix-instantiate > /dev/null 2>&1") != 0) {
                n->why = strdup("nix-instantiate is not installed");
                return;
        }
        if (asprintf(&lib_default, "%s/default.nix", b->lib) < 0)
                return;
        if (access(lib_default, R_OK) < 0 || access(b->module, R_OK) < 0) {
                if (asprintf(&n->why, "no nixpkgs lib/ at %s or no module at %s (see golden/README.md)", b->lib,
                             b->module) < 0)
                        n->why = NULL;
                free(lib_default);
                return;
        }
        free(lib_default);
        n->lib = realpath(b->lib, NULL);
        n->module = realpath(b->module, NULL);
        if (asprintf(&n->expression, "%s/render.nix", o->bench_dir) < 0 ||
            asprintf(&n->store, "%s/nix-store", o->work) < 0)
                return;
        n->present = n->lib && n->module;
}

static void nix_free(nix_setup *n) {
        free(n->why), free(n->lib), free(n->module), free(n->expression), free(n->store);
}

/* One evaluation; with `check`, every env file must equal the ref's. */
static int nix_render(const nix_setup *n, const char *config_path, json_t *check, double *ret_us) {
        char *lib_arg = NULL, *abs_config = realpath(config_path, NULL);
        nc_strv envp = { 0 };
        run_result result = { 0 };
        double t0;
        int r = 0;

        if (!abs_config || asprintf(&lib_arg, "import %s", n->lib) < 0)
                r = -ENOMEM;
        /* NIX_REMOTE= : a private local store (--store), no daemon, as generate.sh does. */
        for (char **e = environ; r >= 0 && *e; e++)
                if (strncmp(*e, "NIX_REMOTE=", 11) != 0)
                        r = nc_strv_push(&envp, *e);
        if (r >= 0 && (r = nc_strv_push(&envp, "NIX_REMOTE=")) >= 0)
                r = strv_null_terminate(&envp);
        if (r >= 0) {
                char *argv[] = { "nix-instantiate", "--store", n->store, "--eval", "--strict", "--json",
                                 "--read-write-mode", "--arg", "lib", lib_arg, "--arg", "module", n->module,
                                 "--arg", "containers", abs_config, "--argstr", "stateVersion",
                                 (char *) n->state_version, n->expression, NULL };
                t0 = clock_us();
                r = run_command_timeout(argv, envp.items, NIX_TIMEOUT_S * 1000L, &result);
                *ret_us = clock_us() - t0;
        }
        if (r >= 0 && result.status == 124) /* run_command_timeout()'s timeout */
                r = -ETIME;
        else if (r >= 0 && result.status != 0) {
                fprintf(stderr, "bench: row 3: nix-instantiate (%s) exited %d:\n%.*s", n->module, result.status,
                        (int) result.err_len, result.err ? result.err : "");
                r = -EIO;
        }
        if (r >= 0 && check) {
                json_t *out = json_loadb(result.out, result.out_len, 0, NULL), *value;
                const char *name;
                size_t mismatches = 0;
                if (!out || json_object_size(out) != json_object_size(check))
                        r = -EPROTO;
                json_object_foreach(check, name, value) {
                        json_t *conf = json_object_get(json_object_get(out, name), "conf");
                        if (!conf || !json_equal(conf, value))
                                mismatches++;
                }
                if (mismatches) {
                        fprintf(stderr, "bench: row 3: %zu env files differ between nix (%s) and the ref\n", mismatches,
                                n->module);
                        r = -EPROTO;
                }
                json_decref(out);
        }
        run_result_free(&result);
        nc_strv_clear(&envp);
        free(lib_arg);
        free(abs_config);
        return r;
}

int bench_render_once(const char *what, const char *path, const char *release, const char *state_version) {
        double us;
        if (strcmp(what, "render") == 0)
                return render_all(path, release, state_version, NULL, NULL, NULL, &us) < 0 ? 1 : 0;
        return 2;
}

/* Instructions (callgrind) of `nixcontainer-bench --once render FILE
 * RELEASE STATEVERSION`, less those of the same on an empty object; NAN
 * without valgrind. */
static double instructions(const bench_options *o, const bench_release *b, const char *path, const char *empty) {
        double counts[2] = { NAN, NAN };
        char *self = NULL;

        if (system("command -v valgrind > /dev/null 2>&1") != 0 || asprintf(&self, "%s/nixcontainer-bench", o->work) < 0)
                return NAN;
        for (int k = 0; k < 2; k++) {
                char *argv[] = { "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", self, "--once",
                                 "render", (char *) (k ? empty : path), b->name, b->state_version, NULL };
                run_result result = { 0 };
                const char *collected;
                if (run_command(argv, environ, NULL, NULL, &result) >= 0 && result.status == 0 && result.err &&
                    (collected = strstr(result.err, "Collected : ")))
                        counts[k] = strtod(collected + 12, NULL);
                run_result_free(&result);
        }
        free(self);
        return counts[0] - counts[1];
}

/* The row's measurements: per release, the ref and nix at both sizes, and
 * the ref's clocked phases at full size. */
typedef struct render_samples {
        bench_samples ref[2], nix[2];
        bench_samples phase[PHASE_COUNT];
        double instructions; /* per container, at the smaller size */
        render_output output; /* at full size */
} render_samples;

static void render_samples_free(render_samples *m) {
        for (int k = 0; k < 2; k++)
                samples_free(&m->ref[k]), samples_free(&m->nix[k]);
        for (int x = 0; x < PHASE_COUNT; x++)
                samples_free(&m->phase[x]);
}

/* "loading 10.0 ms, env files 3.9 ms, ..." of one release. */
static void phases_text(const render_samples *m, char *buf, size_t size) {
        snprintf(buf, size, "loading %.1f ms, env files %.1f ms, unit environments %.1f ms, argv %.1f ms, freeing %.1f ms",
                 samples_median(&m->phase[PHASE_LOAD]) / 1e3, samples_median(&m->phase[PHASE_ENV_FILE]) / 1e3,
                 samples_median(&m->phase[PHASE_UNIT_ENV]) / 1e3, samples_median(&m->phase[PHASE_ARGV]) / 1e3,
                 samples_median(&m->phase[PHASE_FREE]) / 1e3);
}

/* Whether nix runs for release j at size k now: every round at 1,000
 * containers; at full size for 21.05 alone, in `nix_rounds` of them (one
 * evaluation of 10,000 containers takes about 20 s and 4 GB: three more
 * releases would add a minute and more to the bench, and the bar is the
 * ref's, release against release). Not after a timeout. */
static bool nix_due(const nix_setup *n, size_t j, int k, const render_samples *m, unsigned nix_rounds) {
        if (!n->present || n->timed_out[k])
                return false;
        return k == 0 || (j == 0 && m->nix[1].n < nix_rounds);
}

/* One timed nix run (checked with `check`), its time added to `samples`
 * (when not NULL);
 * a run that does not finish in time marks size k timed out. */
static int nix_timed(nix_setup *n, int k, const char *path, json_t *check, bench_samples *samples) {
        double us = NAN;
        int r = nix_render(n, path, check, &us);

        if (r == -ETIME) {
                fprintf(stderr, "bench: row 3: nix-instantiate (%s) did not finish within %d s; its %s runs are "
                                "skipped\n", n->module, NIX_TIMEOUT_S, k ? "full-size" : "1,000-container");
                n->timed_out[k] = true;
                return 0;
        }
        return r < 0 || !samples ? r : samples_add(samples, us);
}

/* The lines and notes of the later releases, each against 21.05's rounds. */
static void release_lines(const bench_releases *rel, const render_samples *m, const nix_setup *n,
                          const unsigned sizes[2], unsigned rounds, bench_table *t) {
        text per_release = { 0 };

        for (size_t j = 0; j < rel->n; j++) {
                const bench_release *b = &rel->items[j];
                double ratio = samples_ratio_median(&m[j].ref[1], &m[0].ref[1]);
                double ratio_small = samples_ratio_median(&m[j].ref[0], &m[0].ref[0]);
                double ins = m[j].instructions / m[0].instructions;
                char what[200], median[128], text_ratio[200], phases[256];

                phases_text(&m[j], phases, sizeof phases);
                text_printf(&per_release,
                            "%s%s: %s; %.0f instructions per container (%.3f× 21.05's), rendering %.0f env-file bytes, "
                            "%.1f unit-environment entries and %.1f argv words per container",
                            j ? "; " : "", b->set, phases, m[j].instructions, ins, m[j].output.env_file_bytes / sizes[1],
                            m[j].output.unit_env_entries / sizes[1], m[j].output.argv_words / sizes[1]);
                if (j == 0)
                        continue;
                snprintf(what, sizeof what, "ref, %s (host stateVersion %s): %u containers", b->name,
                         b->state_version, sizes[1]);
                format_us(samples_median(&m[j].ref[1]), median, sizeof median);
                snprintf(text_ratio, sizeof text_ratio, "%.3f× 21.05's (at %u: %.3f×; instructions: %.3f×)", ratio,
                         sizes[0], ratio_small, ins);
                table_add(t, "3 render", what, median, text_ratio, "≤ 1.10× 21.05's",
                          ratio <= BENCH_RELEASE_BAR ? VERDICT_MET : VERDICT_MISSED);
                if (ratio > BENCH_RELEASE_BAR) {
                        char base[256];
                        phases_text(&m[0], base, sizeof base);
                        table_note(&t->missed,
                                   "**Row 3, ref for %s ≤ 1.10× 21.05's: missed (%.3f×).** Where the time goes "
                                   "(medians of 5 clocked passes over the %u containers): %s: %s; 21.05: %s. "
                                   "Instructions per container (callgrind): %.0f against %.0f (%.3f×). For the same "
                                   "definitions %s's module asks for more than 21.05's: per container %.1f env-file "
                                   "bytes against %.1f (%.3f×), %.2f unit-environment entries against %.2f (%.3f×: "
                                   "each parsed from the env file again), %.2f argv words against %.2f (%.3f×); "
                                   "the extra instructions follow that output, spread over the env-file parser, the "
                                   "environment and the argv builder (callgrind finds no one function that "
                                   "accounts for the growth). Making %s as fast as 21.05 means making those faster "
                                   "for every release: a change to ref/lib, the lead's call.",
                                   b->name, ratio, sizes[1], b->set, phases, base, m[j].instructions, m[0].instructions,
                                   ins, b->name, m[j].output.env_file_bytes / sizes[1],
                                   m[0].output.env_file_bytes / sizes[1],
                                   m[j].output.env_file_bytes / m[0].output.env_file_bytes,
                                   m[j].output.unit_env_entries / sizes[1], m[0].output.unit_env_entries / sizes[1],
                                   m[j].output.unit_env_entries / m[0].output.unit_env_entries,
                                   m[j].output.argv_words / sizes[1], m[0].output.argv_words / sizes[1],
                                   m[j].output.argv_words / m[0].output.argv_words, b->name);
                }
                if (m[j].nix[0].n) {
                        char c[32], d[32];
                        format_us(samples_median(&m[j].ref[0]), c, sizeof c);
                        format_us(samples_median(&m[j].nix[0]), d, sizeof d);
                        snprintf(what, sizeof what, "%s, %u containers, ref \\| nix with %s's module (%zu alternating rounds)",
                                 b->name, sizes[0], b->name, m[j].nix[0].n);
                        snprintf(median, sizeof median, "%s \\| %s", c, d);
                        snprintf(text_ratio, sizeof text_ratio, "ref %.0f× faster",
                                 samples_ratio_median(&m[j].nix[0], &m[j].ref[0]));
                        table_add(t, "3 render", what, median, text_ratio, "", VERDICT_NONE);
                } else {
                        snprintf(what, sizeof what, "%s, %u containers, nix with %s's module: %s", b->name, sizes[0],
                                 b->name, n[j].why ? n[j].why : "did not finish within " STRINGIFY(NIX_TIMEOUT_S) " s");
                        table_add(t, "3 render", what, "-", "-", "", VERDICT_SKIPPED);
                }
        }
        {
                text names = { 0 };
                bool all_nix = true;
                for (size_t j = 0; j < rel->n; j++) {
                        text_printf(&names, "%s%s", j ? (j + 1 < rel->n ? ", " : " and ") : "", rel->items[j].set);
                        all_nix = all_nix && n[j].present;
                }
                table_note(&t->notes,
                           "**Row 3, releases.** The ref rendered the same files for every release the library "
                           "follows (%s: RELEASE@STATEVERSION; `nc_config_load_file` given the release and the "
                           "host's stateVersion, which moves the env file and the root, and with 25.11 the start "
                           "script's flag array and nounset), in each of the %u rounds, the release that goes first "
                           "turning round by round; the ratio is the median of the per-round ratios to 21.05's "
                           "time, the bar 1.10×. The containers use only options every release declares, so that "
                           "every release does the same work. %s Per release, where the time goes (%u containers, "
                           "medians of 5 clocked passes) and instructions (callgrind, %u containers): %s.",
                           text_data(&names, NULL) ? text_data(&names, NULL) : "?", rounds,
                           all_nix ? "nix evaluated each release's own module (harness/golden/releases: the module "
                                     "and a nixpkgs lib of its time) at the same stateVersion for the 1,000-container "
                                     "file in every round, alternating with the ref, after its env files were checked "
                                     "against the ref's for that release, byte for byte; at full size only 21.05's "
                                     "module runs (one evaluation takes about 20 s and 4 GB: three more would add a "
                                     "minute and more to the bench, and the bar is the ref's, release against "
                                     "release)."
                                   : "nix was not run for every release (no module or lib; see the lines).",
                           sizes[1], sizes[0], text_data(&per_release, NULL) ? text_data(&per_release, NULL) : "?");
                text_free(&names);
        }
        text_free(&per_release);
}

int row_render(const bench_options *o, bench_table *t) {
        unsigned sizes[2] = { o->render_count < 1000 ? o->render_count : 1000, o->render_count };
        char *paths[2] = { NULL, NULL }, *error = NULL;
        bench_releases rel = { 0 };
        render_samples *m = NULL;
        nix_setup *n = NULL;
        char med[96], ratio[160], what[160];
        int r = 0;

        for (int k = 0; r >= 0 && k < 2; k++)
                if (asprintf(&paths[k], "%s/containers-%u.json", o->work, sizes[k]) < 0 ||
                    write_config(paths[k], sizes[k]) < 0)
                        r = -EIO;
        if (r >= 0 && (r = bench_releases_load(o, &rel, &error)) < 0)
                fprintf(stderr, "bench: row 3: %s\n", error ? error : strerror(-r));
        free(error);
        if (r >= 0 && (!(m = calloc(rel.n, sizeof *m)) || !(n = calloc(rel.n, sizeof *n))))
                r = -ENOMEM;
        for (size_t j = 0; r >= 0 && j < rel.n; j++)
                nix_find(o, &rel.items[j], &n[j]);
        /* Checked once per release: nix's env files are the ref's. */
        for (size_t j = 0; r >= 0 && j < rel.n; j++)
                for (int k = 0; r >= 0 && k < 2; k++) {
                        json_t *keep;
                        double us;
                        if (!nix_due(&n[j], j, k, &m[j], o->nix_rounds))
                                continue;
                        keep = json_object();
                        r = render_all(paths[k], rel.items[j].name, rel.items[j].state_version, keep, NULL, NULL,
                                       &us);
                        /* At full size the check is one of the nix_rounds runs. */
                        if (r >= 0)
                                r = nix_timed(&n[j], k, paths[k], keep, k ? &m[j].nix[k] : NULL);
                        json_decref(keep);
                }
        for (unsigned round = 0; r >= 0 && round < o->rounds; round++)
                for (int k = 0; r >= 0 && k < 2; k++) {
                        double us;
                        for (size_t q = 0; r >= 0 && q < rel.n; q++) {
                                size_t j = (round + q) % rel.n; /* who goes first turns round by round */
                                r = render_all(paths[k], rel.items[j].name, rel.items[j].state_version, NULL, NULL,
                                               NULL, &us);
                                if (r >= 0)
                                        r = samples_add(&m[j].ref[k], us);
                        }
                        for (size_t q = 0; r >= 0 && q < rel.n; q++) {
                                size_t j = (round + q) % rel.n;
                                if (nix_due(&n[j], j, k, &m[j], o->nix_rounds))
                                        r = nix_timed(&n[j], k, paths[k], NULL, &m[j].nix[k]);
                        }
                }
        /* After the rounds: where the time goes, and instructions. */
        {
                char *empty = NULL;
                if (r >= 0 && (asprintf(&empty, "%s/containers-0.json", o->work) < 0 ||
                               write_file_string(empty, "{}\n", 0644) < 0))
                        r = -EIO;
                for (size_t j = 0; r >= 0 && j < rel.n; j++) {
                        for (int pass = 0; r >= 0 && pass < 5; pass++) {
                                double phases[PHASE_COUNT] = { 0 }, us;
                                m[j].output = (render_output) { 0 };
                                r = render_all(paths[1], rel.items[j].name, rel.items[j].state_version, NULL, phases,
                                               &m[j].output, &us);
                                for (int x = 0; r >= 0 && x < PHASE_COUNT; x++)
                                        r = samples_add(&m[j].phase[x], phases[x]);
                        }
                        m[j].instructions = instructions(o, &rel.items[j], paths[0], empty) / sizes[0];
                }
                free(empty);
        }
        if (r < 0) {
                fprintf(stderr, "bench: row 3: %s\n", strerror(-r));
                goto out;
        }
        format_us(samples_median(&m[0].ref[1]), med, sizeof med);
        snprintf(what, sizeof what,
                 "ref, 21.05: %u containers from one JSON file (load, env file, unit environment, argv)", sizes[1]);
        table_add(t, "3 render", what, med, "", "< 100 ms",
                  samples_median(&m[0].ref[1]) < 100e3 ? VERDICT_MET : VERDICT_MISSED);
        if (n[0].present) {
                /* nix at full size runs in fewer rounds than the ref: the ratio of the medians. */
                double ratio_full = samples_median(&m[0].nix[1]) / samples_median(&m[0].ref[1]);
                if (m[0].nix[1].n) {
                        format_us(samples_median(&m[0].nix[1]), med, sizeof med);
                        snprintf(what, sizeof what, "nix, 21.05's module, for the same %u containers (%zu run%s)",
                                 sizes[1], m[0].nix[1].n, m[0].nix[1].n == 1 ? "" : "s");
                        snprintf(ratio, sizeof ratio, "ref %.0f× faster (ratio of the medians)", ratio_full);
                        table_add(t, "3 render", what, med, ratio, "ref ≥ 100× faster than nix",
                                  ratio_full >= 100 ? VERDICT_MET : VERDICT_MISSED);
                } else {
                        snprintf(what, sizeof what,
                                 "nix, 21.05's module, for the same %u containers: did not finish within "
                                 STRINGIFY(NIX_TIMEOUT_S) " s on this run's busy machine",
                                 sizes[1]);
                        table_add(t, "3 render", what, "-", "-", "ref ≥ 100× faster than nix", VERDICT_SKIPPED);
                }
                if (sizes[0] != sizes[1] && m[0].nix[0].n) {
                        char a[32], b[32];
                        format_us(samples_median(&m[0].ref[0]), a, sizeof a);
                        format_us(samples_median(&m[0].nix[0]), b, sizeof b);
                        snprintf(what, sizeof what, "21.05, %u containers, ref \\| nix (%zu alternating rounds)",
                                 sizes[0], m[0].nix[0].n);
                        snprintf(med, sizeof med, "%s \\| %s", a, b);
                        snprintf(ratio, sizeof ratio, "ref %.0f× faster",
                                 samples_ratio_median(&m[0].nix[0], &m[0].ref[0]));
                        table_add(t, "3 render", what, med, ratio, "", VERDICT_NONE);
                }
                table_note(&t->notes,
                           "**Row 3** (%u rounds). `%s` holds %u containers with options varied container by "
                           "container (routed IPv4, IPv6 and dual-stack, bridged, host network, extra veths, ports, "
                           "bind mounts, tmpfs, flags, capabilities, tun, devices, ephemeral, autoStart, timeouts); "
                           "`%s` its first %u. The ref loads the file in strict mode and renders every container's "
                           "env file, unit environment and argv. nix evaluates the module for the same file with "
                           "nixpkgs' `lib.evalModules` exactly as the golden generator does (`bench/render.nix` → "
                           "`harness/golden/eval.nix`), into a private store, and prints every env file and start "
                           "script. Before timing, nix's env files were checked against the ref's, byte for byte, "
                           "for all %u containers%s. At %u containers nix ran in %zu of the rounds%s; at %u, in every "
                           "round, alternating with the ref.",
                           o->rounds, paths[1], sizes[1], paths[0], sizes[0], sizes[0],
                           m[0].nix[1].n ? " and at full size" : "", sizes[1], m[0].nix[1].n,
                           m[0].nix[1].n ? "" : " (it did not finish within " STRINGIFY(NIX_TIMEOUT_S) " s: the machine was that busy)",
                           sizes[0]);
        } else {
                table_add(t, "3 render", "nix: the module evaluated for the same containers", "-", "-",
                          "ref ≥ 100× faster than nix", VERDICT_SKIPPED);
                table_note(&t->notes, "**Row 3** (%u rounds): the nix rows were skipped: %s. `%s` holds the %u containers.",
                           o->rounds, n[0].why ? n[0].why : "nix is not usable here", paths[1], sizes[1]);
        }
        {
                double total = samples_median(&m[0].ref[1]);
                bool missed = total >= 100e3 || (n[0].present && samples_median(&m[0].nix[1]) / total < 100);
                char breakdown[1024];
                struct stat st;
                if (stat(paths[1], &st) < 0)
                        st.st_size = 0;
                snprintf(breakdown, sizeof breakdown,
                         "Where the ref's time goes for 21.05 (a clocked pass over the %u containers, medians of 5): "
                         "loading the %.1f MB file %.1f ms (`nc_config_load_file`: reading, the library's own "
                         "JSON parser, the option table's checks, the model), env files %.1f ms, unit "
                         "environments %.1f ms (`nc_unit_environment` parses each env file it was just given "
                         "with systemd's rules, as the CLI does with the file on disk), argv %.1f ms, freeing "
                         "%.1f ms; %.1f µs per container in all. Counted by `valgrind --tool=callgrind` (which a "
                         "noisy machine does not disturb) on the %u-container file: %.0f instructions per "
                         "container.",
                         sizes[1], (double) st.st_size / 1e6, samples_median(&m[0].phase[PHASE_LOAD]) / 1e3,
                         samples_median(&m[0].phase[PHASE_ENV_FILE]) / 1e3,
                         samples_median(&m[0].phase[PHASE_UNIT_ENV]) / 1e3,
                         samples_median(&m[0].phase[PHASE_ARGV]) / 1e3, samples_median(&m[0].phase[PHASE_FREE]) / 1e3,
                         total / sizes[1], sizes[0], m[0].instructions);
                table_note(&t->notes, "%s", breakdown);
                if (missed)
                        table_note(&t->missed,
                                     "**Row 3: ref under 100 ms for %u containers (%.0f ms)%s: missed.** %s%s",
                                     sizes[1], total / 1e3, n[0].present ? " and ref ≥ 100× faster than nix" : "",
                                     breakdown,
                                     n[0].present ? " The nix ratio follows from the same time: nix's evaluation is "
                                                    "what it is, and the ratio reaches 100× once the ref is under 1% "
                                                    "of it."
                                                  : "");
        }
        release_lines(&rel, m, n, sizes, o->rounds, t);
out:
        for (size_t j = 0; j < rel.n; j++) {
                if (m)
                        render_samples_free(&m[j]);
                if (n)
                        nix_free(&n[j]);
        }
        free(m);
        free(n);
        bench_releases_free(&rel);
        for (int k = 0; k < 2; k++)
                free(paths[k]);
        return r;
}
