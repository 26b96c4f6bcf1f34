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

typedef struct setup_ctx {
        const bench_options *o;
        bench_scheme scheme;
        nc_strv envp;
        nspawn_network network;
        char *config_path, *config_json;
        char *init_path, *poststart_path, *stage2_path, *cli, *cli_static;
        bool have_static;
        char *record_path;
        char *golden_net;
        trace_request *recorded;
        size_t n_recorded, recorded_capacity;
        unsigned n_phase[2];
        variant v;
        bool check, record;
} setup_ctx;

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

static int read_recording(setup_ctx *c) {
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

static int inproc(setup_ctx *c, int container_fd, int host_fd, double *values) {
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
        if (c->record)
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
        if (c->record) {
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
static int round_trips(setup_ctx *c, int container_fd, int host_fd, double *values) {
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
                if (c->v == V_MINIMAL) {
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
        const char *host = strstr(c->golden_net, "# host\n");
        const char *container = strstr(c->golden_net, "# container b0000\n");
        const char *steps = strstr(c->golden_net, "# steps\n");
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
                fprintf(stderr, "bench: row 1: %s left the namespaces differently from the golden:\n%s\n",
                        variant_names[c->v], actual);
        free(actual);
        free(expected);
        return r;
}

static int setup_child(void *userdata, double *values, size_t n) {
        setup_ctx *c = userdata;
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
        if (r >= 0 && (r = nspawn_sim_run(&c->network, holder.pid, &failed, &error)) < 0)
                fprintf(stderr, "bench: row 1: nspawn: %s\n", failed ? failed : "?");
        if (r < 0)
                goto out;
        switch (c->v) {
        case V_ORIGINAL:
        case V_CLI:
        case V_STATIC:
        case V_FLOOR: {
                char *cli = c->v == V_STATIC ? c->cli_static : c->cli;
                char *argv[V_COUNT][2][8] = {
                        [V_ORIGINAL] = { { "bash", "-e", c->init_path, c->stage2_path, NULL },
                                         { "bash", "-e", c->poststart_path, NULL } },
                        [V_CLI] = { { cli, "init-setup", "--config", c->config_path, "b0000", NULL },
                                    { cli, "host-setup", "--config", c->config_path, "b0000", NULL } },
                        [V_STATIC] = { { cli, "init-setup", "--config", c->config_path, "b0000", NULL },
                                       { cli, "host-setup", "--config", c->config_path, "b0000", NULL } },
                        [V_FLOOR] = { { "true", NULL }, { "true", NULL } },
                };
                char what[32];
                snprintf(what, sizeof what, "row 1: %s", variant_names[c->v]);
                t0 = clock_us();
                r = run_script(argv[c->v][0], c->envp.items, holder.fd, what);
                t1 = clock_us();
                if (r >= 0)
                        r = run_script(argv[c->v][1], c->envp.items, -1, what);
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
        case V_COUNT: r = -EINVAL; break;
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

static int ctx_init(const bench_options *o, setup_ctx *c, char **ret_error) {
        nc_strv argv = { 0 };
        char *data = NULL, *path = NULL;
        size_t len = 0;
        int r;

        c->o = o;
        r = bench_scheme_load(o, &c->scheme, ret_error);
        if (r < 0)
                return r;
        r = bench_scheme_envp(&c->scheme, 0, NULL, &c->envp);
        if (r >= 0 && asprintf(&path, "%s/b0000.argv", c->scheme.fixture_dir) >= 0 && read_file(path, BENCH_FILE_MAX, &data, &len) >= 0)
                r = split_nul(data, len, &argv);
        else if (r >= 0)
                r = -ENOENT;
        free(data);
        free(path);
        if (r >= 0)
                r = nspawn_network_parse(&argv, &c->network);
        nc_strv_clear(&argv);
        if (r < 0)
                return r;
        c->config_json = bench_scheme_config(&c->scheme, 1);
        if (!c->config_json || asprintf(&c->config_path, "%s/bench-one.json", o->work) < 0 ||
            asprintf(&c->init_path, "%s/b0000.init", c->scheme.fixture_dir) < 0 ||
            asprintf(&c->poststart_path, "%s/b0000.poststart", c->scheme.fixture_dir) < 0 ||
            asprintf(&c->stage2_path, "%s/stage-2", o->work) < 0 || asprintf(&c->cli, "%s/nixcontainer", o->build) < 0 ||
            asprintf(&c->cli_static, "%s/nixcontainer-memcheck", o->build) < 0 ||
            asprintf(&c->record_path, "%s/row1-requests.bin", o->work) < 0 ||
            asprintf(&path, "%s/b0000.net", c->scheme.fixture_dir) < 0)
                return -ENOMEM;
        c->have_static = access(c->cli_static, X_OK) == 0;
        if (read_file(path, BENCH_FILE_MAX, &c->golden_net, NULL) < 0)
                c->golden_net = NULL;
        free(path);
        if (!c->golden_net)
                return -ENOENT;
        r = write_file_string(c->config_path, c->config_json, 0644);
        if (r >= 0)
                r = write_file_string(c->stage2_path, "", 0644);
        return r;
}

static void ctx_free(setup_ctx *c) {
        bench_scheme_free(&c->scheme);
        nc_strv_clear(&c->envp);
        nspawn_network_clear(&c->network);
        free(c->config_path), free(c->config_json), free(c->init_path), free(c->poststart_path);
        free(c->stage2_path), free(c->cli), free(c->cli_static), free(c->record_path), free(c->golden_net);
        trace_free(c->recorded, c->n_recorded);
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

int row_setup(const bench_options *o, bench_table *t) {
        setup_ctx c = { 0 };
        bench_samples s[V_COUNT][VAL_COUNT] = { { { 0 } } };
        double values[VAL_COUNT];
        char *error = NULL, m[64], ratio[128], what[256];
        int r;

        r = ctx_init(o, &c, &error);
        if (r < 0) {
                fprintf(stderr, "bench: row 1: %s\n", error ? error : strerror(-r));
                free(error);
                ctx_free(&c);
                return r;
        }
        /* The requests in-process sends, recorded once (also a warm-up). */
        c.v = V_INPROC;
        c.record = true;
        r = run_in_child(o, "setup", setup_child, &c, values, VAL_COUNT);
        c.record = false;
        if (r >= 0)
                r = read_recording(&c);
        if (r < 0) {
                fprintf(stderr, "bench: row 1: recording the in-process requests: %s\n", strerror(-r));
                ctx_free(&c);
                return r;
        }
        /* A checked warm-up round: every variant leaves the golden state. */
        c.check = true;
        for (int v = 0; r >= 0 && v < V_COUNT; v++) {
                c.v = (variant) v;
                if (v != V_STATIC || c.have_static)
                        r = run_in_child(o, "setup", setup_child, &c, values, VAL_COUNT);
        }
        c.check = false;
        for (unsigned round = 0; r >= 0 && round < o->rounds; round++)
                for (int v = 0; r >= 0 && v < V_COUNT; v++) {
                        c.v = (variant) v;
                        if (v == V_STATIC && !c.have_static)
                                continue;
                        r = run_in_child(o, "setup", setup_child, &c, values, VAL_COUNT);
                        for (int k = 0; r >= 0 && k < VAL_COUNT; k++)
                                r = samples_add(&s[v][k], values[k]);
                }
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
                unsigned requests = c.n_phase[0] + c.n_phase[1];

                format_us(orig, m, sizeof m);
                table_add(t, "1 setup", "original: `bash -e` container-init + postStart (23 `ip` calls)", m, "1×", "",
                          VERDICT_NONE);
                format_us(samples_median(&s[V_CLI][VAL_TOTAL]), m, sizeof m);
                ratio_text(cli_ratio, "faster than the original", ratio, sizeof ratio);
                table_add(t, "1 setup", "CLI: `nixcontainer init-setup` + `host-setup`", m, ratio,
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
                                   c.cli_static, cli_instructions(c.cli_static, c.config_path),
                                   cli_faults(c.cli_static, c.config_path), cli_instructions(c.cli, c.config_path),
                                   cli_faults(c.cli, c.config_path));
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
                         "in-process: `nc_netlink_open` + `nc_init_setup`, `nc_netlink_open` + `nc_host_setup` (%u requests)",
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
                                   o->rounds, a, b, cc, d, e, f, g, requests, c.n_phase[0], c.n_phase[1]);
                }
        }
out:
        for (int v = 0; v < V_COUNT; v++)
                for (int k = 0; k < VAL_COUNT; k++)
                        samples_free(&s[v][k]);
        ctx_free(&c);
        return r;
}
