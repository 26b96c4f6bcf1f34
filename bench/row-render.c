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

#include "bench.h"
#include "fixture.h"
#include "run.h"
#include "strv.h"

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
        for (size_t k = 0; k < sizeof every_nth / sizeof every_nth[0]; k++)
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

/* The ref's whole job; with `keep`, the env files are kept by name; with
 * `phases`, each call is clocked into its phase. */
static int render_all(const char *path, json_t *keep, double *phases, double *ret_us) {
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        nc_env *base = nc_env_new();
        double t0 = clock_us(), t = t0;
        int r = base ? nc_config_load_file(path, NC_MODE_STRICT, NULL, NULL, &config, &error) : -ENOMEM;

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
                nc_strv_clear(&argv);
                nc_env_free(env);
                free(conf);
                t = lap(phases, PHASE_FREE, t);
        }
        *ret_us = clock_us() - t0;
        if (r < 0)
                fprintf(stderr, "bench: row 3: ref: %s\n", error.message[0] ? error.message : strerror(-r));
        nc_config_free(config);
        nc_env_free(base);
        lap(phases, PHASE_FREE, t);
        return r;
}

typedef struct nix_setup {
        bool present;
        char *why;  /* when not present */
        char *lib, *module, *expression, *store;
} nix_setup;

static void nix_find(const bench_options *o, nix_setup *n) {
        char *lib_default = NULL;

        if (system("command -v nix-instantiate > /dev/null 2>&1") != 0) {
                n->why = strdup("nix-instantiate is not installed");
                return;
        }
        if (asprintf(&lib_default, "%s/default.nix", o->nixpkgs_lib) < 0)
                return;
        if (access(lib_default, R_OK) < 0 || access(o->module, R_OK) < 0) {
                if (asprintf(&n->why, "no nixpkgs lib/ at %s or no module at %s (see golden/README.md)",
                             o->nixpkgs_lib, o->module) < 0)
                        n->why = NULL;
                free(lib_default);
                return;
        }
        free(lib_default);
        n->lib = realpath(o->nixpkgs_lib, NULL);
        n->module = realpath(o->module, NULL);
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
                                 "--arg", "containers", abs_config, n->expression, NULL };
                t0 = clock_us();
                r = run_command(argv, envp.items, NULL, NULL, &result);
                *ret_us = clock_us() - t0;
        }
        if (r >= 0 && result.status != 0) {
                fprintf(stderr, "bench: row 3: nix-instantiate exited %d:\n%.*s", result.status, (int) result.err_len,
                        result.err ? result.err : "");
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
                        fprintf(stderr, "bench: row 3: %zu env files differ between nix and the ref\n", mismatches);
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

int bench_render_once(const char *what, const char *path) {
        double us;
        if (strcmp(what, "render") == 0)
                return render_all(path, NULL, NULL, &us) < 0 ? 1 : 0;
        return 2;
}

/* Instructions (callgrind) of `nixcontainer-bench --once WHAT FILE`, less
 * those of the same on an empty object; NAN without valgrind. */
static double instructions(const bench_options *o, const char *what, const char *path, const char *empty) {
        double counts[2] = { NAN, NAN };
        char *self = NULL;

        if (system("command -v valgrind > /dev/null 2>&1") != 0 || asprintf(&self, "%s/nixcontainer-bench", o->work) < 0)
                return NAN;
        for (int k = 0; k < 2; k++) {
                char *argv[] = { "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", self, "--once",
                                 (char *) what, (char *) (k ? empty : path), NULL };
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

int row_render(const bench_options *o, bench_table *t) {
        unsigned sizes[2] = { o->render_count < 1000 ? o->render_count : 1000, o->render_count };
        char *paths[2] = { NULL, NULL };
        bench_samples ref[2] = { { 0 } }, nix[2] = { { 0 } };
        bench_samples phase[PHASE_COUNT] = { { 0 } };
        nix_setup n = { 0 };
        char m[96], ratio[160], what[160];
        int r = 0;

        for (int k = 0; r >= 0 && k < 2; k++)
                if (asprintf(&paths[k], "%s/containers-%u.json", o->work, sizes[k]) < 0 ||
                    write_config(paths[k], sizes[k]) < 0)
                        r = -EIO;
        nix_find(o, &n);
        /* Checked once: nix's env files are the ref's. */
        for (int k = 0; r >= 0 && n.present && k < 2; k++) {
                json_t *keep = json_object();
                double us;
                r = render_all(paths[k], keep, NULL, &us);
                if (r >= 0 && (k == 0 || o->nix_rounds > 0)) {
                        r = nix_render(&n, paths[k], keep, &us);
                        if (r >= 0 && k == 1)
                                samples_add(&nix[1], us);
                }
                json_decref(keep);
        }
        for (unsigned round = 0; r >= 0 && round < o->rounds; round++) {
                double us;
                for (int k = 0; r >= 0 && k < 2; k++) {
                        r = render_all(paths[k], NULL, NULL, &us);
                        if (r >= 0)
                                samples_add(&ref[k], us);
                        if (r >= 0 && n.present && (k == 0 || nix[1].n < o->nix_rounds)) {
                                r = nix_render(&n, paths[k], NULL, &us);
                                if (r >= 0)
                                        samples_add(&nix[k], us);
                        }
                }
        }
        /* After the rounds: where the time goes. */
        for (int pass = 0; r >= 0 && pass < 5; pass++) {
                double phases[PHASE_COUNT] = { 0 }, us;
                r = render_all(paths[1], NULL, phases, &us);
                for (int x = 0; r >= 0 && x < PHASE_COUNT; x++)
                        samples_add(&phase[x], phases[x]);
        }
        if (r < 0) {
                fprintf(stderr, "bench: row 3: %s\n", strerror(-r));
                goto out;
        }
        format_us(samples_median(&ref[1]), m, sizeof m);
        snprintf(what, sizeof what, "ref: %u containers from one JSON file (load, env file, unit environment, argv)",
                 sizes[1]);
        table_add(t, "3 render", what, m, "", "< 100 ms", samples_median(&ref[1]) < 100e3 ? VERDICT_MET : VERDICT_MISSED);
        if (n.present) {
                /* nix at full size runs in fewer rounds than the ref: the ratio of the medians. */
                double ratio_full = samples_median(&nix[1]) / samples_median(&ref[1]);
                format_us(samples_median(&nix[1]), m, sizeof m);
                snprintf(what, sizeof what, "nix: the module evaluated for the same %u containers (%zu run%s)",
                         sizes[1], nix[1].n, nix[1].n == 1 ? "" : "s");
                snprintf(ratio, sizeof ratio, "ref %.0f× faster (ratio of the medians)", ratio_full);
                table_add(t, "3 render", what, m, ratio, "ref ≥ 100× faster than nix",
                          ratio_full >= 100 ? VERDICT_MET : VERDICT_MISSED);
                if (sizes[0] != sizes[1]) {
                        char a[32], b[32];
                        format_us(samples_median(&ref[0]), a, sizeof a);
                        format_us(samples_median(&nix[0]), b, sizeof b);
                        snprintf(what, sizeof what, "%u containers, ref \\| nix (%u alternating rounds)", sizes[0],
                                 o->rounds);
                        snprintf(m, sizeof m, "%s \\| %s", a, b);
                        snprintf(ratio, sizeof ratio, "ref %.0f× faster", samples_ratio_median(&nix[0], &ref[0]));
                        table_add(t, "3 render", what, m, ratio, "", VERDICT_NONE);
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
                           "for all %u and all %u containers. At %u containers nix ran in %zu of the rounds (one "
                           "evaluation takes %.0f s); at %u, in every round, alternating with the ref.",
                           o->rounds, paths[1], sizes[1], paths[0], sizes[0], sizes[0], sizes[1], sizes[1], nix[1].n,
                           samples_median(&nix[1]) / 1e6, sizes[0]);
        } else {
                table_add(t, "3 render", "nix: the module evaluated for the same containers", "-", "-",
                          "ref ≥ 100× faster than nix", VERDICT_SKIPPED);
                table_note(&t->notes, "**Row 3** (%u rounds): the nix rows were skipped: %s. `%s` holds the %u containers.",
                           o->rounds, n.why ? n.why : "nix is not usable here", paths[1], sizes[1]);
        }
        {
                double total = samples_median(&ref[1]), all = NAN;
                bool missed = total >= 100e3 || (n.present && samples_median(&nix[1]) / total < 100);
                char *empty = NULL, breakdown[1024];
                struct stat st;
                if (asprintf(&empty, "%s/containers-0.json", o->work) >= 0 && write_file_string(empty, "{}\n", 0644) >= 0)
                        all = instructions(o, "render", paths[0], empty) / sizes[0];
                free(empty);
                if (stat(paths[1], &st) < 0)
                        st.st_size = 0;
                snprintf(breakdown, sizeof breakdown,
                         "Where the ref's time goes (a clocked pass over the %u containers, medians of 5): "
                         "loading the %.1f MB file %.1f ms (`nc_config_load_file`: reading, the library's own "
                         "JSON parser, the option table's checks, the model), env files %.1f ms, unit "
                         "environments %.1f ms (`nc_unit_environment` parses each env file it was just given "
                         "with systemd's rules, as the CLI does with the file on disk), argv %.1f ms, freeing "
                         "%.1f ms; %.1f µs per container in all. Counted by `valgrind --tool=callgrind` (which a "
                         "noisy machine does not disturb) on the %u-container file: %.0f instructions per "
                         "container.",
                         sizes[1], (double) st.st_size / 1e6, samples_median(&phase[PHASE_LOAD]) / 1e3,
                         samples_median(&phase[PHASE_ENV_FILE]) / 1e3, samples_median(&phase[PHASE_UNIT_ENV]) / 1e3,
                         samples_median(&phase[PHASE_ARGV]) / 1e3, samples_median(&phase[PHASE_FREE]) / 1e3,
                         total / sizes[1], sizes[0], all);
                table_note(&t->notes, "%s", breakdown);
                if (missed)
                        table_note(&t->missed,
                                     "**Row 3: ref under 100 ms for %u containers (%.0f ms)%s: missed.** %s%s",
                                     sizes[1], total / 1e3, n.present ? " and ref ≥ 100× faster than nix" : "",
                                     breakdown,
                                     n.present ? " The nix ratio follows from the same time: nix's evaluation is "
                                                 "what it is, and the ratio reaches 100× once the ref is under 1% "
                                                 "of it."
                                               : "");
        }
out:
        for (int x = 0; x < PHASE_COUNT; x++)
                samples_free(&phase[x]);
        for (int k = 0; k < 2; k++) {
                free(paths[k]);
                samples_free(&ref[k]);
                samples_free(&nix[k]);
        }
        nix_free(&n);
        return r;
}
