/* Row 1: the setup of one container, container side (the network part of
 * container-init) plus host side (postStart), for b0000 (dual-stack, one
 * dual-stack extra veth), each sample in fresh namespaces that the
 * harness builds (harness/lib: a prepared host namespace, a container
 * namespace held by a process, systemd-nspawn's network setup simulated
 * for b0000's golden argv). Five variants, alternating:
 *
 *   original  bash -e on the module's scripts (bench/golden/bench-one), iproute2
 *   cli       nixcontainer init-setup, then host-setup
 *   inproc    nc_netlink_open + nc_init_setup, then nc_netlink_open + nc_host_setup
 *   replay    the very requests inproc sends (recorded once), each sent on a
 *             raw socket and its ACK awaited: the round trips alone
 *   minimal   as many RTM_GETLINK of lo in the same namespaces
 *   floor     `true` started the same way, once in each namespace: what any
 *             implementation that is two processes pays here
 *   static    the CLI linked statically (the bench's build, when it links)
 *
 * cli and inproc run for every release the library follows, side by side
 * with 21.05 in every round (the others run 21.05's b0000): each release's
 * b0000 is its config in the export format at that release and its own
 * stateVersion, with the environment its module's start script hands
 * nspawn (bench/golden/SET/bench-one), checked against that module's
 * network state.
 *
 * Config and environment are loaded before the clock starts for inproc
 * (row 3 measures that); the CLI does all of it. setns() is not timed. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "bench.h"
#include "dump.h"
#include "fixture.h"
#include "run.h"
#include "strv.h"
#include "netns.h"
#include "nspawn-sim.h"

typedef enum variant { V_ORIGINAL, V_CLI, V_INPROC, V_REPLAY, V_MINIMAL, V_FLOOR, V_STATIC, V_COUNT } variant;

static const char *const variant_names[V_COUNT] = { "original", "cli", "inproc", "replay", "minimal", "floor",
                                                    "static cli" };

enum { VAL_TOTAL, VAL_CONTAINER, VAL_HOST, VAL_OPEN, VAL_REQUESTS, VAL_COUNT };

/* One release's b0000: its config (the export format, naming the release
 * and the host's stateVersion), the environment its start script hands
 * nspawn, nspawn's network options, the module's network state, and the
 * requests the library sends for it. */
typedef struct setup_release {
        const bench_release *release;
        nc_strv envp;
        nspawn_network network;
        char *config_path, *config_json;
        char *record_path;
        char *golden_net;
        trace_request *recorded;
        size_t n_recorded, recorded_capacity;
        unsigned n_phase[2];
} setup_release;

typedef struct setup_ctx {
        const bench_options *o;
        bench_scheme scheme;
        bench_releases releases;
        setup_release *rel; /* releases.n of them; rel[0] is 21.05, which every variant runs */
        char *init_path, *poststart_path, *stage2_path, *cli, *cli_static;
        bool have_static;
        variant v;
        setup_release *cur; /* the release the child runs */
        bool check, record;
        bool count; /* V_CLI under callgrind: instructions, not time */
} setup_ctx;

/* Samples of each release's CLI and in-process per round: the releases are
 * compared over more pairs than the other variants. */
#define RELEASE_REPEATS 3

/* The variants every release runs; the others run 21.05 alone. */
static bool per_release(variant v) {
        return v == V_CLI || v == V_INPROC;
}

static int write_recording(const char *path, trace_request *q, size_t n) {
        FILE *out = fopen(path, "we");
        int r = 0;

        if (!out)
                return -errno;
        for (size_t i = 0; i < n; i++) {
                uint32_t header[2] = { (uint32_t) q[i].phase, (uint32_t) q[i].len };
                if (!q[i].bytes || fwrite(header, sizeof header, 1, out) != 1 || fwrite(q[i].bytes, 1, q[i].len, out) != q[i].len)
                        r = -EIO;
        }
        if (fclose(out) != 0 && r >= 0)
                r = -EIO;
        return r;
}

static int read_recording(setup_release *c) {
        size_t len = 0, offset = 0;
        char *data = NULL;
        int r = read_file(c->record_path, BENCH_FILE_MAX, &data, &len);

        if (r < 0)
                return r;
        while (offset + 8 <= len) {
                uint32_t header[2];
                trace_request *p = array_grow(c->recorded, &c->recorded_capacity, c->n_recorded + 1, sizeof *p);
                if (!p) {
                        free(data);
                        return -ENOMEM;
                }
                c->recorded = p;
                memcpy(header, data + offset, sizeof header);
                offset += 8;
                if (offset + header[1] > len || header[0] > 1)
                        break;
                p[c->n_recorded] = (trace_request) { .phase = (int) header[0], .len = header[1],
                                                     .bytes = malloc(header[1]) };
                if (!p[c->n_recorded].bytes) {
                        free(data);
                        return -ENOMEM;
                }
                memcpy(p[c->n_recorded].bytes, data + offset, header[1]);
                c->n_phase[header[0]]++;
                c->n_recorded++;
                offset += header[1];
        }
        free(data);
        return c->n_recorded > 0 ? 0 : -EINVAL;
}

static int inproc(setup_ctx *ctx, int container_fd, int host_fd, double *values) {
        setup_release *c = ctx->cur;
        const int fds[2] = { container_fd, host_fd };
        nc_config *config = NULL;
        nc_env *env = nc_env_new();
        nc_error error = { { 0 } };
        const nc_container *container;
        double side_us[2] = { 0, 0 }, open_us = 0;
        unsigned long sent0 = trace_sent;
        int r;

        r = env ? nc_env_load_environ(env, c->envp.items) : -ENOMEM;
        if (r >= 0)
                r = nc_config_load_json(c->config_json, strlen(c->config_json), NC_MODE_STRICT, NULL, NULL, &config, &error);
        if (r < 0)
                goto out;
        container = nc_config_find(config, "b0000");
        if (ctx->record)
                trace_start(true);
        /* Container side, then host side; the socket is opened on the clock. */
        for (int side = 0; r >= 0 && side < 2; side++) {
                nc_netlink *nl = NULL;
                double start;
                if (setns(fds[side], CLONE_NEWNET) < 0) {
                        r = -errno;
                        break;
                }
                trace_set_phase(side);
                start = clock_us();
                r = nc_netlink_open(&nl, &error);
                open_us += clock_us() - start;
                if (r >= 0)
                        r = bench_setup_sides[side](nl, container, env, &error);
                nc_netlink_free(nl);
                side_us[side] = clock_us() - start;
        }
        values[VAL_TOTAL] = side_us[0] + side_us[1];
        values[VAL_CONTAINER] = side_us[0];
        values[VAL_HOST] = side_us[1];
        values[VAL_OPEN] = open_us;
        values[VAL_REQUESTS] = (double) (trace_sent - sent0);
        if (ctx->record) {
                trace_request *q;
                size_t n;
                trace_stop(&q, &n);
                if (r >= 0)
                        r = write_recording(c->record_path, q, n);
                trace_free(q, n);
        }
out:
        if (r < 0)
                fprintf(stderr, "bench: row 1: in-process: %s\n", error.message[0] ? error.message : strerror(-r));
        nc_env_free(env);
        nc_config_free(config);
        return r;
}

/* replay and minimal: raw sockets opened beforehand, one per namespace. */
static int round_trips(setup_ctx *ctx, int container_fd, int host_fd, double *values) {
        const setup_release *c = &ctx->rel[0];
        int fds[2] = { -1, -1 }, r = 0;
        double t[3];

        if (setns(container_fd, CLONE_NEWNET) < 0)
                r = -errno;
        else if ((fds[0] = rawnl_socket_open()) < 0)
                r = fds[0];
        else if (setns(host_fd, CLONE_NEWNET) < 0)
                r = -errno;
        else if ((fds[1] = rawnl_socket_open()) < 0)
                r = fds[1];
        for (int phase = 0; r >= 0 && phase < 2; phase++) {
                t[phase] = clock_us();
                if (ctx->v == V_MINIMAL) {
                        for (unsigned i = 0; r >= 0 && i < c->n_phase[phase]; i++)
                                r = rawnl_getlink_lo(fds[phase]);
                } else
                        for (size_t i = 0; r >= 0 && i < c->n_recorded; i++)
                                if (c->recorded[i].phase == phase) {
                                        r = rawnl_transact(fds[phase], c->recorded[i].bytes, c->recorded[i].len);
                                        if (r < 0)
                                                fprintf(stderr, "bench: row 1: replayed request %zu (type %u): %s\n",
                                                        i, ((uint16_t *) c->recorded[i].bytes)[2], strerror(-r));
                                }
                t[phase + 1] = clock_us();
        }
        if (r >= 0) {
                values[VAL_CONTAINER] = t[1] - t[0];
                values[VAL_HOST] = t[2] - t[1];
                values[VAL_TOTAL] = t[2] - t[0];
                values[VAL_REQUESTS] = (double) (c->n_phase[0] + c->n_phase[1]);
        }
        for (int i = 0; i < 2; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
        return r;
}

/* The namespaces against golden/bench-one/b0000.net (its host and
 * container parts): every variant that changes them must leave them as the
 * module's scripts do. */
static int check_state(setup_ctx *c, int container_fd) {
        const char *net = c->cur->golden_net;
        const char *host = strstr(net, "# host\n");
        const char *container = strstr(net, "# container b0000\n");
        const char *steps = strstr(net, "# steps\n");
        char *expected = NULL, *actual = NULL;
        int r = 0;

        if (!host || !container || !steps)
                return -EINVAL;
        if (asprintf(&expected, "%.*s%.*s", (int) (container - host - 7), host + 7, (int) (steps - container - 18),
                     container + 18) < 0)
                return -ENOMEM;
        {
                int fds[2] = { -1, container_fd };
                char *texts[2] = { NULL, NULL }, *error = NULL;
                unsigned samples;
                bool settled;

                r = dump_settled(fds, 2, texts, &samples, &settled, &error);
                if (r >= 0 && asprintf(&actual, "%s%s", texts[0], texts[1]) < 0)
                        r = -ENOMEM;
                if (r >= 0 && strcmp(actual, expected) != 0)
                        r = -EPROTO;
                if (error)
                        fprintf(stderr, "bench: row 1: dump: %s\n", error);
                free(error);
                free(texts[0]);
                free(texts[1]);
        }
        if (r == -EPROTO)
                fprintf(stderr, "bench: row 1: %s (%s) left the namespaces differently from the golden:\n%s\n",
                        variant_names[c->v], c->cur->release->set, actual);
        free(actual);
        free(expected);
        return r;
}

/* "Collected : N" of callgrind's report, or NAN. */
static double collected(const char *err) {
        const char *p = err ? strstr(err, "Collected : ") : NULL;
        return p ? strtod(p + 12, NULL) : NAN;
}

/* The CLI's two sides under `valgrind --tool=callgrind`, in the same fresh
 * namespaces: instructions, which the machine's load does not move. */
static int counted_cli(setup_ctx *c, int container_fd, double *values) {
        int fds[2] = { container_fd, -1 };
        const char *sides[2] = { "init-setup", "host-setup" };
        int r = 0;

        for (int side = 0; r >= 0 && side < 2; side++) {
                char *argv[] = { "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", c->cli,
                                 (char *) sides[side], "--config", c->cur->config_path, "b0000", NULL };
                run_result result = { 0 };
                r = run_command_netns(argv, c->cur->envp.items, fds[side], &result);
                if (r >= 0 && result.status != 0) {
                        fprintf(stderr, "bench: row 1: callgrind %s (%s) exited %d:\n%.*s", sides[side],
                                c->cur->release->set, result.status, (int) result.err_len, result.err ? result.err : "");
                        r = -EIO;
                }
                if (r >= 0)
                        values[side ? VAL_HOST : VAL_CONTAINER] = collected(result.err);
                run_result_free(&result);
        }
        values[VAL_TOTAL] = values[VAL_CONTAINER] + values[VAL_HOST];
        values[VAL_REQUESTS] = NAN;
        return r;
}

static int setup_child(void *userdata, double *values, size_t n) {
        setup_ctx *c = userdata;
        setup_release *rel = c->cur;
        netns_holder holder = NETNS_HOLDER_NONE;
        bench_netns_pool host = { .host_fd = -1, .rtnl = -1 }; /* the host namespace alone */
        char *error = NULL, *failed = NULL;
        int host_fd, r;
        double t0, t1, t2;
        (void) n;

        r = netns_pool_make(&host, 0, &error);
        host_fd = host.host_fd;
        if (r >= 0)
                r = netns_holder_spawn(&holder, &error);
        if (r >= 0 && (r = nspawn_sim_run(&rel->network, holder.pid, &failed, &error)) < 0)
                fprintf(stderr, "bench: row 1: nspawn: %s\n", failed ? failed : "?");
        if (r < 0)
                goto out;
        switch (c->count ? V_COUNT : c->v) {
        case V_ORIGINAL:
        case V_CLI:
        case V_STATIC:
        case V_FLOOR: {
                char *cli = c->v == V_STATIC ? c->cli_static : c->cli;
                char *argv[V_COUNT][2][8] = {
                        [V_ORIGINAL] = { { "bash", "-e", c->init_path, c->stage2_path, NULL },
                                         { "bash", "-e", c->poststart_path, NULL } },
                        [V_CLI] = { { cli, "init-setup", "--config", rel->config_path, "b0000", NULL },
                                    { cli, "host-setup", "--config", rel->config_path, "b0000", NULL } },
                        [V_STATIC] = { { cli, "init-setup", "--config", rel->config_path, "b0000", NULL },
                                       { cli, "host-setup", "--config", rel->config_path, "b0000", NULL } },
                        [V_FLOOR] = { { "true", NULL }, { "true", NULL } },
                };
                char what[64];
                snprintf(what, sizeof what, "row 1: %s (%s)", variant_names[c->v], rel->release->set);
                t0 = clock_us();
                r = run_script(argv[c->v][0], rel->envp.items, holder.fd, what);
                t1 = clock_us();
                if (r >= 0)
                        r = run_script(argv[c->v][1], rel->envp.items, -1, what);
                t2 = clock_us();
                values[VAL_TOTAL] = t2 - t0;
                values[VAL_CONTAINER] = t1 - t0;
                values[VAL_HOST] = t2 - t1;
                values[VAL_REQUESTS] = NAN;
                break;
        }
        case V_INPROC: r = inproc(c, holder.fd, host_fd, values); break;
        case V_REPLAY:
        case V_MINIMAL: r = round_trips(c, holder.fd, host_fd, values); break;
        case V_COUNT: r = c->count ? counted_cli(c, holder.fd, values) : -EINVAL; break;
        }
        if (r >= 0 && c->check && c->v != V_MINIMAL && c->v != V_FLOOR)
                r = check_state(c, holder.fd);
out:
        if (error)
                fprintf(stderr, "bench: row 1: %s\n", error);
        free(error);
        free(failed);
        netns_holder_kill(&holder);
        netns_pool_free(&host);
        return r;
}

/* Release `b`'s b0000 from its golden (bench/golden/SET/bench-one). */
static int release_init(const bench_options *o, const bench_scheme *scheme, const bench_release *b,
                        setup_release *c) {
        nc_strv argv = { 0 }, setenv = { 0 };
        char *dir = NULL, *data = NULL, *path = NULL, *containers = NULL;
        size_t len = 0;
        int r = 0;

        c->release = b;
        if (asprintf(&dir, "%s/bench-one", b->golden) < 0)
                return -ENOMEM;
        r = bench_golden_setenv(dir, "b0000", &setenv);
        if (r >= 0)
                r = bench_setenv_envp(&setenv, 0, NULL, &c->envp);
        if (r >= 0 && asprintf(&path, "%s/b0000.argv", dir) >= 0 && read_file(path, BENCH_FILE_MAX, &data, &len) >= 0)
                r = split_nul(data, len, &argv);
        else if (r >= 0)
                r = -ENOENT;
        free(data);
        free(path);
        path = NULL;
        if (r >= 0)
                r = nspawn_network_parse(&argv, &c->network);
        nc_strv_clear(&argv);
        nc_strv_clear(&setenv);
        /* The export format, as the harness hands every implementation a fixture. */
        if (r >= 0 && (!(containers = bench_scheme_config(scheme, 1)) ||
                       asprintf(&c->config_json,
                                "{\"format\":\"nixcontainer-containers/1\",\"release\":\"%s\",\"stateVersion\":\"%s\","
                                "\"containers\":%s}",
                                b->name, b->state_version, containers) < 0 ||
                       asprintf(&c->config_path, "%s/bench-one-%s.json", o->work, b->set) < 0 ||
                       asprintf(&c->record_path, "%s/row1-requests-%s.bin", o->work, b->set) < 0 ||
                       asprintf(&path, "%s/b0000.net", dir) < 0))
                r = -ENOMEM;
        free(containers);
        if (r >= 0 && read_file(path, BENCH_FILE_MAX, &c->golden_net, NULL) < 0) {
                c->golden_net = NULL;
                r = -ENOENT;
        }
        if (r >= 0)
                r = write_file_string(c->config_path, c->config_json, 0644);
        if (r < 0)
                fprintf(stderr, "bench: row 1: %s: %s\n", dir, strerror(-r));
        free(path);
        free(dir);
        return r;
}

static int ctx_init(const bench_options *o, setup_ctx *c, char **ret_error) {
        int r;

        c->o = o;
        r = bench_scheme_load(o, &c->scheme, ret_error);
        if (r >= 0)
                r = bench_releases_load(o, &c->releases, ret_error);
        if (r >= 0 && !(c->rel = calloc(c->releases.n, sizeof *c->rel)))
                r = -ENOMEM;
        for (size_t i = 0; r >= 0 && i < c->releases.n; i++)
                r = release_init(o, &c->scheme, &c->releases.items[i], &c->rel[i]);
        if (r < 0)
                return r;
        c->cur = &c->rel[0];
        if (asprintf(&c->init_path, "%s/b0000.init", c->scheme.fixture_dir) < 0 ||
            asprintf(&c->poststart_path, "%s/b0000.poststart", c->scheme.fixture_dir) < 0 ||
            asprintf(&c->stage2_path, "%s/stage-2", o->work) < 0 || asprintf(&c->cli, "%s/nixcontainer", o->build) < 0 ||
            asprintf(&c->cli_static, "%s/nixcontainer-memcheck", o->build) < 0)
                return -ENOMEM;
        c->have_static = access(c->cli_static, X_OK) == 0;
        return write_file_string(c->stage2_path, "", 0644);
}

static void ctx_free(setup_ctx *c) {
        for (size_t i = 0; c->rel && i < c->releases.n; i++) {
                setup_release *r = &c->rel[i];
                nc_strv_clear(&r->envp);
                nspawn_network_clear(&r->network);
                free(r->config_path), free(r->config_json), free(r->record_path), free(r->golden_net);
                trace_free(r->recorded, r->n_recorded);
        }
        free(c->rel);
        bench_releases_free(&c->releases);
        bench_scheme_free(&c->scheme);
        free(c->init_path), free(c->poststart_path), free(c->stage2_path), free(c->cli), free(c->cli_static);
}

/* Whether two recordings are the same requests, byte for byte but for each
 * header's nlmsg_seq and nlmsg_pid (libnl numbers a socket's requests
 * from the time it was opened). */
static bool same_requests(const setup_release *a, const setup_release *b) {
        if (a->n_recorded != b->n_recorded)
                return false;
        for (size_t i = 0; i < a->n_recorded; i++) {
                const trace_request *x = &a->recorded[i], *y = &b->recorded[i];
                if (x->phase != y->phase || x->len != y->len || x->len < 16 ||
                    memcmp(x->bytes, y->bytes, 8) != 0 ||
                    memcmp((const char *) x->bytes + 16, (const char *) y->bytes + 16, x->len - 16) != 0)
                        return false;
        }
        return true;
}

/* Instructions (callgrind) of one CLI start that does nothing: init-setup
 * of a container that is not in the config, with an empty environment
 * (the imperative template: no step). NAN without valgrind. */
static double cli_instructions(const char *cli, const char *config) {
        char *argv[] = { "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", (char *) cli, "init-setup",
                         "--config", (char *) config, "nothing", NULL };
        char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
        run_result result = { 0 };
        const char *collected;
        double n = NAN;

        if (system("command -v valgrind > /dev/null 2>&1") != 0)
                return NAN;
        if (run_command(argv, envp, NULL, NULL, &result) >= 0 && result.status == 0 && result.err &&
            (collected = strstr(result.err, "Collected : ")))
                n = strtod(collected + 12, NULL);
        run_result_free(&result);
        return n;
}

/* Minor page faults of one such start (the median of 11). */
static double cli_faults(const char *cli, const char *config) {
        char *argv[] = { (char *) cli, "init-setup", "--config", (char *) config, "nothing", NULL };
        char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
        bench_samples faults = { 0 };
        double m;

        for (int i = 0; i < 11; i++) {
                long n = 0;
                if (run_program(argv, envp, NULL, NULL, NULL, &n) == 0)
                        samples_add(&faults, (double) n);
        }
        m = samples_median(&faults);
        samples_free(&faults);
        return m;
}

static void ratio_text(double ratio, const char *what, char *buf, size_t size) {
        snprintf(buf, size, "%.1f× %s", ratio, what);
}

/* One sample of variant v for release i. */
static int run_one(setup_ctx *c, variant v, size_t i, double *values) {
        c->v = v;
        c->cur = &c->rel[i];
        return run_in_child(c->o, "setup", setup_child, c, values, VAL_COUNT);
}

/* Row 1's lines for the later releases: CLI and in-process, each against
 * 21.05's in the same rounds. */
static void release_lines(const setup_ctx *c, bench_samples (*rs)[2], const double *instructions, bench_table *t) {
        static const char *const what[2] = { "CLI", "in-process" };
        bool same = true;

        for (size_t i = 1; i < c->releases.n; i++) {
                const bench_release *b = c->rel[i].release;
                for (int k = 0; k < 2; k++) {
                        double ratio = samples_ratio_median(&rs[i][k], &rs[0][k]);
                        char line[160], m[32], label[96];
                        snprintf(line, sizeof line, "%s, %s (host stateVersion %s, the environment its start script "
                                                    "gives nspawn)",
                                 what[k], b->name, b->state_version);
                        format_us(samples_median(&rs[i][k]), m, sizeof m);
                        if (k == 0)
                                snprintf(label, sizeof label, "%.3f× 21.05's (instructions: %.3f×)", ratio,
                                         instructions[i] / instructions[0]);
                        else
                                snprintf(label, sizeof label, "%.3f× 21.05's (the same requests)", ratio);
                        table_add(t, "1 setup", line, m, label, "≤ 1.10× 21.05's",
                                  ratio <= BENCH_RELEASE_BAR ? VERDICT_MET : VERDICT_MISSED);
                        if (ratio > BENCH_RELEASE_BAR)
                                table_note(&t->missed,
                                           "**Row 1, %s of %s ≤ 1.10× 21.05's: missed (%.3f×).** In the same rounds "
                                           "%s took %.0f µs for 21.05 and %.0f µs for %s (medians); the library sent "
                                           "%u requests for %s and %u for 21.05.",
                                           what[k], b->name, ratio, what[k], samples_median(&rs[0][k]),
                                           samples_median(&rs[i][k]), b->name, c->rel[i].n_phase[0] + c->rel[i].n_phase[1],
                                           b->name, c->rel[0].n_phase[0] + c->rel[0].n_phase[1]);
                }
                same = same && same_requests(&c->rel[0], &c->rel[i]);
        }
        {
                text names = { 0 }, counts = { 0 };
                for (size_t i = 0; i < c->releases.n; i++) {
                        text_printf(&names, "%s%s", i ? (i + 1 < c->releases.n ? ", " : " and ") : "",
                                    c->rel[i].release->set);
                        text_printf(&counts, "%s%s %.0f", i ? ", " : "", c->rel[i].release->set, instructions[i]);
                }
                table_note(&t->notes,
                           "**Row 1, releases.** The CLI and the in-process variant ran for each release the library "
                           "follows (%s: RELEASE@STATEVERSION, each later release at its own stateVersion, which "
                           "changes the env file's path and the root but not the network), in every round, "
                           "alternating with the other variants, the release that goes first turning round by "
                           "round, %d samples of each release in a round (%u pairs per release). Each release's b0000 is the same definition in the export format naming the "
                           "release and stateVersion, with the environment that release's start script hands nspawn "
                           "(`bench/golden/SET/bench-one/b0000.argv`, made by that release's module: 25.11 adds "
                           "`PRIVATE_USERS`, 26.05 `LOCAL_MAC_ADDRESS`); the warm-up round checked each against "
                           "that module's network state. %s The ratio is the median of the ratios to 21.05's time "
                           "of the samples taken side by side; the bar is 1.10×. The CLI's instructions, both sides "
                           "(`valgrind --tool=callgrind`, in the same fresh namespaces; the load on the machine "
                           "does not move them): %s.",
                           text_data(&names, NULL) ? text_data(&names, NULL) : "?", RELEASE_REPEATS,
                           RELEASE_REPEATS * c->o->rounds,
                           same ? "The library sends every release the same requests, byte for byte (sequence "
                                  "numbers aside): the releases differ here only in the config they load."
                                : "The library's requests differ between releases (see the closing note).",
                           text_data(&counts, NULL) ? text_data(&counts, NULL) : "?");
                text_free(&names);
                text_free(&counts);
                if (!same)
                        for (size_t i = 1; i < c->releases.n; i++)
                                if (!same_requests(&c->rel[0], &c->rel[i]))
                                        table_note(&t->missed, "**Row 1, %s:** the library sends %u requests for "
                                                               "b0000, not 21.05's %u, or other ones.",
                                                   c->rel[i].release->set, c->rel[i].n_phase[0] + c->rel[i].n_phase[1],
                                                   c->rel[0].n_phase[0] + c->rel[0].n_phase[1]);
        }
}

int row_setup(const bench_options *o, bench_table *t) {
        setup_ctx c = { 0 };
        bench_samples s[V_COUNT][VAL_COUNT] = { { { 0 } } };
        bench_samples (*rs)[2] = NULL; /* per release: CLI and in-process totals */
        double *instructions = NULL;   /* per release: the CLI's, both sides */
        double values[VAL_COUNT];
        char *error = NULL, m[64], ratio[128], what[256];
        int r;

        r = ctx_init(o, &c, &error);
        if (r >= 0 && (!(rs = calloc(c.releases.n, sizeof *rs)) ||
                       !(instructions = calloc(c.releases.n, sizeof *instructions))))
                r = -ENOMEM;
        if (r < 0) {
                fprintf(stderr, "bench: row 1: %s\n", error ? error : strerror(-r));
                free(error);
                free(rs);
                free(instructions);
                ctx_free(&c);
                return r;
        }
        /* The requests in-process sends, recorded once per release (also a warm-up). */
        c.record = true;
        for (size_t i = 0; r >= 0 && i < c.releases.n; i++) {
                r = run_one(&c, V_INPROC, i, values);
                if (r >= 0)
                        r = read_recording(&c.rel[i]);
        }
        c.record = false;
        if (r < 0) {
                fprintf(stderr, "bench: row 1: recording the in-process requests: %s\n", strerror(-r));
                goto out;
        }
        /* A checked warm-up round: every variant leaves the golden state. */
        c.check = true;
        for (int v = 0; r >= 0 && v < V_COUNT; v++)
                for (size_t i = 0; r >= 0 && i < (per_release((variant) v) ? c.releases.n : 1); i++)
                        if (v != V_STATIC || c.have_static)
                                r = run_one(&c, (variant) v, i, values);
        c.check = false;
        for (unsigned round = 0; r >= 0 && round < o->rounds; round++)
                for (int v = 0; r >= 0 && v < V_COUNT; v++) {
                        size_t n = per_release((variant) v) ? c.releases.n : 1;
                        if (v == V_STATIC && !c.have_static)
                                continue;
                        for (unsigned rep = 0; r >= 0 && rep < (n > 1 ? RELEASE_REPEATS : 1); rep++)
                                for (size_t k = 0; r >= 0 && k < n; k++) {
                                        size_t i = (round + k) % n; /* who goes first turns round by round */
                                        r = run_one(&c, (variant) v, i, values);
                                        if (r >= 0 && per_release((variant) v))
                                                r = samples_add(&rs[i][v == V_INPROC], values[VAL_TOTAL]);
                                        for (int x = 0; r >= 0 && i == 0 && rep == 0 && x < VAL_COUNT; x++)
                                                r = samples_add(&s[v][x], values[x]);
                                }
                }
        /* The CLI's instructions per release (callgrind), once each. */
        c.count = true;
        for (size_t i = 0; r >= 0 && i < c.releases.n; i++) {
                r = run_one(&c, V_CLI, i, values);
                instructions[i] = values[VAL_TOTAL];
        }
        c.count = false;
        if (r < 0) {
                fprintf(stderr, "bench: row 1: %s\n", strerror(-r));
                goto out;
        }

        {
                double orig = samples_median(&s[V_ORIGINAL][VAL_TOTAL]);
                double cli_ratio = samples_ratio_median(&s[V_ORIGINAL][VAL_TOTAL], &s[V_CLI][VAL_TOTAL]);
                double in_replay = samples_ratio_median(&s[V_INPROC][VAL_TOTAL], &s[V_REPLAY][VAL_TOTAL]);
                double in_minimal = samples_ratio_median(&s[V_INPROC][VAL_TOTAL], &s[V_MINIMAL][VAL_TOTAL]);
                double orig_in = samples_ratio_median(&s[V_ORIGINAL][VAL_TOTAL], &s[V_INPROC][VAL_TOTAL]);
                unsigned requests = c.rel[0].n_phase[0] + c.rel[0].n_phase[1];

                format_us(orig, m, sizeof m);
                table_add(t, "1 setup", "original, 21.05: `bash -e` container-init + postStart (23 `ip` calls)", m, "1×", "",
                          VERDICT_NONE);
                format_us(samples_median(&s[V_CLI][VAL_TOTAL]), m, sizeof m);
                ratio_text(cli_ratio, "faster than the original", ratio, sizeof ratio);
                table_add(t, "1 setup", "CLI, 21.05: `nixcontainer init-setup` + `host-setup`", m, ratio,
                          "≥ 15× faster than the original", cli_ratio >= 15 ? VERDICT_MET : VERDICT_MISSED);
                if (cli_ratio < 15) {
                        double cli = samples_median(&s[V_CLI][VAL_TOTAL]);
                        double floor = samples_median(&s[V_FLOOR][VAL_TOTAL]);
                        double in = samples_median(&s[V_INPROC][VAL_TOTAL]);
                        double floor_ratio = samples_ratio_median(&s[V_ORIGINAL][VAL_TOTAL], &s[V_FLOOR][VAL_TOTAL]);
                        table_note(&t->missed,
                                     "**Row 1, CLI ≥ 15× faster than the scripts: missed (%.1f×).** What bounds it "
                                     "is starting processes. The CLI is two processes (init-setup in the "
                                     "container, host-setup on the host) and the original 25 (two bash, 23 `ip`). "
                                     "Starting `true` the same way, once in each namespace, costs %.2f ms here (the "
                                     "floor row: fork, setns, exec, exit, wait), so no implementation that is two "
                                     "processes can be more than %.1f× faster than the original on this machine, "
                                     "however little it does. The CLI's %.2f ms are that floor, the library's own "
                                     "%.2f ms (the in-process row), and %.2f ms of starting the CLI itself (a static "
                                     "PIE: no shared library to map). In a deployment the container side needs no "
                                     "CLI process at all: nixcontainer-init, the container's PID 1, calls "
                                     "`nc_init_setup` in-process where the original runs 13 `ip`.",
                                     cli_ratio, floor / 1e3, floor_ratio, cli / 1e3, in / 1e3, (cli - floor - in) / 1e3);
                }
                if (c.have_static) {
                        double shared_ratio = samples_ratio_median(&s[V_ORIGINAL][VAL_TOTAL], &s[V_STATIC][VAL_TOTAL]);
                        format_us(samples_median(&s[V_STATIC][VAL_TOTAL]), m, sizeof m);
                        ratio_text(shared_ratio, "faster than the original", ratio, sizeof ratio);
                        table_add(t, "1 setup", "the same CLI with libc shared (`nixcontainer-memcheck`, the build memcheck runs)",
                                  m, ratio, "", VERDICT_NONE);
                        table_note(&t->notes,
                                   "**Row 1, static linking.** `make` links the CLI as a static PIE; the same objects "
                                   "linked with libc shared (`%s`, the build `make memcheck` runs so that valgrind "
                                   "can follow malloc) start with %.0f instructions (callgrind, a start that does "
                                   "nothing: init-setup of a container that is not there) and %.0f minor page "
                                   "faults, against %.0f and %.0f for the static CLI: the dynamic loader mapping "
                                   "and relocating libc was most of a start.",
                                   c.cli_static, cli_instructions(c.cli_static, c.rel[0].config_path),
                                   cli_faults(c.cli_static, c.rel[0].config_path), cli_instructions(c.cli, c.rel[0].config_path),
                                   cli_faults(c.cli, c.rel[0].config_path));
                }
                {
                        double floor_ratio = samples_ratio_median(&s[V_ORIGINAL][VAL_TOTAL], &s[V_FLOOR][VAL_TOTAL]);
                        format_us(samples_median(&s[V_FLOOR][VAL_TOTAL]), m, sizeof m);
                        ratio_text(floor_ratio, "less than the original", ratio, sizeof ratio);
                        table_add(t, "1 setup", "floor: `true` started the same way, once per namespace", m, ratio, "",
                                  VERDICT_NONE);
                }
                format_us(samples_median(&s[V_INPROC][VAL_TOTAL]), m, sizeof m);
                snprintf(ratio, sizeof ratio, "%.2f× its round trips (%.0f× faster than the original)", in_replay,
                         orig_in);
                snprintf(what, sizeof what,
                         "in-process, 21.05: `nc_netlink_open` + `nc_init_setup`, `nc_netlink_open` + `nc_host_setup` (%u requests)",
                         requests);
                table_add(t, "1 setup", what, m, ratio, "≤ 2× its netlink round trips",
                          in_replay <= 2 ? VERDICT_MET : VERDICT_MISSED);
                format_us(samples_median(&s[V_REPLAY][VAL_TOTAL]), m, sizeof m);
                snprintf(what, sizeof what, "its round trips: the same %u requests replayed on a raw socket", requests);
                table_add(t, "1 setup", what, m, "1×", "", VERDICT_NONE);
                format_us(samples_median(&s[V_MINIMAL][VAL_TOTAL]), m, sizeof m);
                snprintf(what, sizeof what, "%u minimal round trips (RTM_GETLINK of lo), same namespaces", requests);
                snprintf(ratio, sizeof ratio, "in-process is %.2f× this", in_minimal);
                table_add(t, "1 setup", what, m, ratio, "", VERDICT_NONE);

                {
                        char a[32], b[32], cc[32], d[32], e[32], f[32], g[32];
                        format_us(samples_median(&s[V_ORIGINAL][VAL_CONTAINER]), a, sizeof a);
                        format_us(samples_median(&s[V_ORIGINAL][VAL_HOST]), b, sizeof b);
                        format_us(samples_median(&s[V_CLI][VAL_CONTAINER]), cc, sizeof cc);
                        format_us(samples_median(&s[V_CLI][VAL_HOST]), d, sizeof d);
                        format_us(samples_median(&s[V_INPROC][VAL_CONTAINER]), e, sizeof e);
                        format_us(samples_median(&s[V_INPROC][VAL_HOST]), f, sizeof f);
                        format_us(samples_median(&s[V_INPROC][VAL_OPEN]), g, sizeof g);
                        table_note(&t->notes,
                                   "**Row 1** (%u rounds, variants alternating, each sample in fresh namespaces built "
                                   "by harness/lib with b0000's nspawn options simulated; a checked warm-up round "
                                   "first, in which every variant left the namespaces exactly as "
                                   "`bench/golden/bench-one/b0000.net` says). Container side + host side: original "
                                   "%s + %s; CLI %s + %s; in-process %s + %s, of which %s opening the two sockets "
                                   "(libcap check included). The in-process call sends %u requests (%u in the "
                                   "container, %u on the host; no dump). \"Its round trips\" sends those recorded "
                                   "requests again, byte for byte, to identical fresh namespaces, waiting for each "
                                   "ACK; \"minimal\" is the same number of the cheapest request there is.",
                                   o->rounds, a, b, cc, d, e, f, g, requests, c.rel[0].n_phase[0], c.rel[0].n_phase[1]);
                }
                release_lines(&c, rs, instructions, t);
        }
out:
        for (int v = 0; v < V_COUNT; v++)
                for (int k = 0; k < VAL_COUNT; k++)
                        samples_free(&s[v][k]);
        for (size_t i = 0; rs && i < c.releases.n; i++)
                samples_free(&rs[i][0]), samples_free(&rs[i][1]);
        free(rs);
        free(instructions);
        ctx_free(&c);
        return r;
}
