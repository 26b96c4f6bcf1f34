/* Row 2: containers against one host namespace, N = 1, 10, 100, 1000.
 *
 * One host namespace and up to 1000 container namespaces (bench/pool.c),
 * held by file descriptors. For each N, the host is filled: containers
 * 0..N-1 get the veths nspawn creates and are set up by the ref (timed:
 * the "fill" figure, N containers set up from an empty host, once). Then,
 * in alternating rounds, a sample of those containers (spread over 0..N-1;
 * at most REF_RESTARTS for the ref, --scale-samples for the original) is
 * restarted: its veths deleted and made again (untimed), then set up by
 * each variant in turn:
 *
 *   ref       in the container's namespace nc_init_setup, on the host
 *             nc_host_setup, each opening its own socket (setns not timed)
 *   original  the module's scripts: bash -e container-init in the
 *             container's namespace, bash -e postStart on the host
 * so each variant starts a container on a host that runs N of them. A
 * round's value is the mean per container; the table gives medians. For
 * the ref, its CPU time (CLOCK_THREAD_CPUTIME_ID) and the part spent in
 * each kind of request (the same clock around each round trip,
 * bench/trace.c) are kept too: they tell the library's work from the
 * kernel's, and are not inflated by other load on the machine. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "fixture.h"

#define MAX_SIZES 4
#define REF_RESTARTS 10

typedef enum variant { V_REF, V_ORIGINAL, V_COUNT } variant;

/* Per container, for the ref (the original has only VAL_WALL). */
enum {
        VAL_WALL,
        VAL_CPU,      /* CPU time (CLOCK_THREAD_CPUTIME_ID) */
        VAL_OUTSIDE,  /* of which outside the round trips: the library, opening sockets */
        VAL_LINK_CPU, /* CPU in RTM_GETLINK and RTM_NEWLINK round trips */
        VAL_ADDR_CPU, /* CPU in RTM_NEWADDR and RTM_NEWROUTE round trips */
        VAL_RUNQ,     /* waiting for a CPU (schedstat) */
        VAL_REQUESTS,
        VAL_DUMPS,
        VAL_PER
};

typedef struct scale_ctx {
        const bench_options *o;
        unsigned sizes[MAX_SIZES], n_sizes, max;
        bench_containers set;
        char **init_paths, **post_paths, *stage2_path;
} scale_ctx;

/* What the child hands back: per N, the fill, then per round and variant. */
static size_t fill_index(const scale_ctx *c, unsigned k) {
        return (size_t) k * 2;
}

static size_t value_index(const scale_ctx *c, unsigned k, unsigned round, variant v) {
        return (size_t) c->n_sizes * 2 + (((size_t) k * c->o->rounds + round) * V_COUNT + v) * VAL_PER;
}

/* /proc/thread-self/schedstat: time on a CPU, time waiting for one (ns). */
static double runqueue_us(void) {
        unsigned long long on_cpu = 0, waiting = 0;
        FILE *in = fopen("/proc/thread-self/schedstat", "re");

        if (!in)
                return NAN;
        if (fscanf(in, "%llu %llu", &on_cpu, &waiting) != 2)
                waiting = 0;
        fclose(in);
        return (double) waiting / 1e3;
}

static int ref_one(scale_ctx *c, const bench_netns_pool *p, unsigned i, double *ret_wall, double *ret_cpu) {
        nc_error error = { { 0 } };
        double wall = 0, cpu = 0;
        int r = netns_pool_setup(p, i, c->set.containers[i], c->set.envs[i], &wall, &cpu, &error);

        if (r < 0)
                fprintf(stderr, "bench: row 2: b%04u: %s\n", i, error.message[0] ? error.message : strerror(-r));
        *ret_wall = wall;
        *ret_cpu = cpu;
        return r;
}

static int original_one(scale_ctx *c, const bench_netns_pool *p, unsigned i, double *ret_wall) {
        char *init_argv[] = { "bash", "-e", c->init_paths[i], c->stage2_path, NULL };
        char *post_argv[] = { "bash", "-e", c->post_paths[i], NULL };
        char what[64];
        double t0;
        int r;

        snprintf(what, sizeof what, "row 2: b%04u: the original's script", i);
        t0 = clock_us();
        r = run_script(init_argv, c->set.envps[i].items, p->fds[i], what);
        if (r >= 0)
                r = run_script(post_argv, c->set.envps[i].items, -1, what);
        *ret_wall = clock_us() - t0;
        return r;
}

/* The j-th of m containers restarted in each round, spread over 0..n-1. */
static unsigned sample_index(unsigned j, unsigned m, unsigned n) {
        return m >= n ? j : (unsigned) (((unsigned long) j * n + n / 2) / m) % n;
}

static int restart(scale_ctx *c, const bench_netns_pool *p, variant v, unsigned i, double *sums) {
        double wall = 0, cpu = 0, in_requests = 0;
        unsigned long sent = trace_sent, dumps = trace_dumps;
        int r = netns_pool_remove_veths(p, i);

        if (r >= 0)
                r = netns_pool_add_veths(p, i);
        if (r < 0) {
                fprintf(stderr, "bench: row 2: b%04u's veths: %s\n", i, strerror(-r));
                return r;
        }
        if (v == V_ORIGINAL) {
                r = original_one(c, p, i, &wall);
                sums[VAL_WALL] += wall;
                return r;
        }
        double runq = runqueue_us();
        trace_start(false);
        r = ref_one(c, p, i, &wall, &cpu);
        sums[VAL_RUNQ] += runqueue_us() - runq;
        {
                trace_request *q;
                size_t n;
                trace_stop(&q, &n);
                for (size_t k = 0; k < n; k++) {
                        double request = q[k].cpu_done_us - q[k].cpu_sent_us;
                        in_requests += request;
                        if (q[k].type == RTM_GETLINK || q[k].type == RTM_NEWLINK)
                                sums[VAL_LINK_CPU] += request;
                        else
                                sums[VAL_ADDR_CPU] += request;
                }
                trace_free(q, n);
        }
        sums[VAL_WALL] += wall;
        sums[VAL_CPU] += cpu;
        sums[VAL_OUTSIDE] += cpu - in_requests;
        sums[VAL_REQUESTS] += (double) (trace_sent - sent);
        sums[VAL_DUMPS] += (double) (trace_dumps - dumps);
        return r;
}

static int scale_child(void *userdata, double *values, size_t n_values) {
        scale_ctx *c = userdata;
        const bench_options *o = c->o;
        bench_netns_pool pool = { .host_fd = -1, .rtnl = -1 };
        char *error = NULL;
        double started = clock_us();
        int r;
        (void) n_values;

        r = netns_pool_make(&pool, c->max, &error);
        if (r < 0) {
                fprintf(stderr, "bench: row 2: %u container namespaces: %s\n", c->max, error ? error : strerror(-r));
                free(error);
                return r;
        }
        if (o->verbose)
                fprintf(stderr, "bench: row 2: %u namespaces in %.0f ms\n", c->max, (clock_us() - started) / 1e3);
        for (unsigned k = 0; r >= 0 && k < c->n_sizes; k++) {
                unsigned n = c->sizes[k];
                unsigned m[V_COUNT] = { n < REF_RESTARTS ? n : REF_RESTARTS,
                                        n < o->scale_samples ? n : o->scale_samples };
                double fill = 0, last = 0, t = clock_us();

                for (unsigned i = 0; r >= 0 && i < n; i++) {
                        double wall = 0;
                        double cpu = 0;
                        r = netns_pool_add_veths(&pool, i);
                        if (r >= 0)
                                r = ref_one(c, &pool, i, &wall, &cpu);
                        fill += wall;
                        if (i + m[V_REF] >= n)
                                last += wall;
                }
                if (o->verbose)
                        fprintf(stderr, "bench: row 2: N=%u: the last %u of the fill: %.0f µs per container\n", n,
                                m[V_REF], last / m[V_REF]);
                values[fill_index(c, k)] = fill / n;
                if (o->verbose)
                        fprintf(stderr, "bench: row 2: N=%u filled in %.0f ms (ref %.0f µs per container)\n", n,
                                (clock_us() - t) / 1e3, fill / n);
                for (unsigned round = 0; r >= 0 && round < o->rounds; round++)
                        for (int v = 0; r >= 0 && v < V_COUNT; v++) {
                                double *sums = values + value_index(c, k, round, (variant) v);
                                for (unsigned j = 0; r >= 0 && j < m[v]; j++)
                                        r = restart(c, &pool, (variant) v, sample_index(j, m[v], n), sums);
                                for (int x = 0; x < VAL_PER; x++)
                                        sums[x] /= m[v];
                        }
                t = clock_us();
                if (r >= 0)
                        r = netns_pool_clear(&pool, n);
                if (o->verbose)
                        fprintf(stderr, "bench: row 2: N=%u cleared in %.0f ms\n", n, (clock_us() - t) / 1e3);
        }
        if (r < 0)
                fprintf(stderr, "bench: row 2: %s\n", strerror(-r));
        netns_pool_free(&pool);
        return r;
}

static int ctx_init(const bench_options *o, scale_ctx *c, char **ret_error) {
        char *dir = NULL;
        int r;

        c->o = o;
        c->max = o->scale_max;
        for (unsigned n = 1; n <= c->max && c->n_sizes < MAX_SIZES; n *= 10)
                c->sizes[c->n_sizes++] = n;
        /* Container i: its definition, environment and the module's scripts. */
        r = bench_containers_load(o, c->max, NULL, &c->set, ret_error);
        if (r >= 0)
                r = bench_work_dir(o, "scale", &dir);
        if (r >= 0)
                r = bench_scheme_write_scripts(&c->set.scheme, SCHEME_INIT, c->max, dir, &c->init_paths);
        if (r >= 0)
                r = bench_scheme_write_scripts(&c->set.scheme, SCHEME_POSTSTART, c->max, dir, &c->post_paths);
        if (r >= 0 && asprintf(&c->stage2_path, "%s/stage-2", o->work) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = write_file_string(c->stage2_path, "", 0644);
        free(dir);
        return r;
}

static void ctx_free(scale_ctx *c) {
        bench_paths_free(c->init_paths, c->max);
        bench_paths_free(c->post_paths, c->max);
        free(c->stage2_path);
        bench_containers_free(&c->set);
}

static double median_of(bench_samples s[V_COUNT][VAL_PER], variant v, int x) {
        return samples_median(&s[v][x]);
}

static void report(const scale_ctx *c, const double *values, bench_table *t) {
        const bench_options *o = c->o;
        bench_samples s[MAX_SIZES][V_COUNT][VAL_PER] = { { { { 0 } } } };
        unsigned k10 = c->n_sizes > 1 ? 1 : 0, kmax = c->n_sizes - 1;
        double requests = 0, dumps = 0;
        char m[96], ratio[200], what[160], target[96], fills[400] = "", cpus[1200] = "";

        for (unsigned k = 0; k < c->n_sizes; k++)
                for (unsigned round = 0; round < o->rounds; round++)
                        for (int v = 0; v < V_COUNT; v++)
                                for (int x = 0; x < VAL_PER; x++)
                                        samples_add(&s[k][v][x], values[value_index(c, k, round, (variant) v) + x]);
        for (unsigned k = 0; k < c->n_sizes; k++) {
                char a[32], b[32], f[32], cpu[32], outside[32], link[32], addr[32], runq[32];
                double flat = samples_ratio_median(&s[k][V_REF][VAL_WALL], &s[k10][V_REF][VAL_WALL]);

                requests = fmax(requests, samples_max(&s[k][V_REF][VAL_REQUESTS]));
                dumps += samples_max(&s[k][V_REF][VAL_DUMPS]) * o->rounds;
                format_us(median_of(s[k], V_REF, VAL_WALL), a, sizeof a);
                format_us(median_of(s[k], V_ORIGINAL, VAL_WALL), b, sizeof b);
                snprintf(what, sizeof what, "N = %u: a container started on a host running N, ref \\| original",
                         c->sizes[k]);
                snprintf(m, sizeof m, "%s \\| %s", a, b);
                snprintf(ratio, sizeof ratio, "ref %.2f× its cost at N = %u (original %.2f×); ref %.0f× faster", flat,
                         c->sizes[k10],
                         samples_ratio_median(&s[k][V_ORIGINAL][VAL_WALL], &s[k10][V_ORIGINAL][VAL_WALL]),
                         samples_ratio_median(&s[k][V_ORIGINAL][VAL_WALL], &s[k][V_REF][VAL_WALL]));
                if (k == kmax && c->n_sizes > 1) {
                        snprintf(target, sizeof target, "ref at N = %u ≤ 1.5× its cost at N = %u", c->sizes[k],
                                 c->sizes[k10]);
                        table_add(t, "2 scale", what, m, ratio, target, flat <= 1.5 ? VERDICT_MET : VERDICT_MISSED);
                } else
                        table_add(t, "2 scale", what, m, ratio, "", VERDICT_NONE);
                format_us(values[fill_index(c, k)], f, sizeof f);
                format_us(median_of(s[k], V_REF, VAL_CPU), cpu, sizeof cpu);
                format_us(median_of(s[k], V_REF, VAL_OUTSIDE), outside, sizeof outside);
                format_us(median_of(s[k], V_REF, VAL_RUNQ), runq, sizeof runq);
                format_us(median_of(s[k], V_REF, VAL_LINK_CPU), link, sizeof link);
                format_us(median_of(s[k], V_REF, VAL_ADDR_CPU), addr, sizeof addr);
                snprintf(fills + strlen(fills), sizeof fills - strlen(fills), "%sN = %u: %s", k ? "; " : "",
                         c->sizes[k], f);
                snprintf(cpus + strlen(cpus), sizeof cpus - strlen(cpus),
                         "%sN = %u: %s, of which %s outside the round trips, %s in link requests and %s in "
                         "address and route requests (and %s waiting for a CPU)",
                         k ? "; " : "", c->sizes[k], cpu, outside, link, addr, runq);
        }
        table_note(&t->notes,
                   "**Row 2** (%u rounds, variants alternating within each N). One host namespace and %u container "
                   "namespaces held by file descriptors, prepared as harness/lib/netns.c prepares them; the veths are "
                   "those nspawn creates (ve-bNNNN with host0, xNNNN with xNNNN in the container). Container i is "
                   "b0000 with its name and addresses replaced, which is exactly what the module renders for it "
                   "(checked against the module's own output for b0001 and b0999, "
                   "`bench/golden/bench-substitution/`, at every run). For each N the host is first filled by the "
                   "ref: containers 0..N-1 set up one after another from an empty host (mean per container, one "
                   "run: %s). Then in each round a sample spread over 0..N-1 (at most %d containers for the ref, %u "
                   "for the original) is restarted by each variant: veths deleted and made again (untimed), setup "
                   "timed; so every start meets a host running N containers. The ref sends %.0f requests per "
                   "container at every N and %.0f dumps in all: no cache, nothing refilled per operation. The "
                   "ref's CPU time per container (CLOCK_THREAD_CPUTIME_ID, also around each round trip): %s.",
                   o->rounds, c->max, fills, REF_RESTARTS, o->scale_samples, requests, dumps, cpus);
        if (c->n_sizes > 1 && samples_ratio_median(&s[kmax][V_REF][VAL_WALL], &s[k10][V_REF][VAL_WALL]) > 1.5) {
                double u10 = median_of(s[k10], V_REF, VAL_OUTSIDE), uk = median_of(s[kmax], V_REF, VAL_OUTSIDE);
                double c10 = median_of(s[k10], V_REF, VAL_CPU), ck = median_of(s[kmax], V_REF, VAL_CPU);
                double l10 = median_of(s[k10], V_REF, VAL_LINK_CPU), lk = median_of(s[kmax], V_REF, VAL_LINK_CPU);
                double a10 = median_of(s[k10], V_REF, VAL_ADDR_CPU), ak = median_of(s[kmax], V_REF, VAL_ADDR_CPU);
                double w10 = median_of(s[k10], V_REF, VAL_WALL), wk = median_of(s[kmax], V_REF, VAL_WALL);
                double q10 = median_of(s[k10], V_REF, VAL_RUNQ), qk = median_of(s[kmax], V_REF, VAL_RUNQ);
                table_note(&t->missed,
                             "**Row 2, ref at N = %u ≤ 1.5× its cost at N = %u: missed (%.2f×; %.0f µs against "
                             "%.0f µs).** What grows is the kernel, not the library. The library does the same "
                             "work at every N: %.0f requests per container, no dump, no cache; the CPU time it spends "
                             "outside the round trips (its own code, opening two sockets) is %.0f µs per container "
                             "at N = %u and %.0f µs at N = %u (%.2f×). Its CPU time per container goes from %.0f µs "
                             "to %.0f µs, and %.0f µs of that growth is inside the round trips, that is in the "
                             "kernel (link requests: %.0f µs, then %.0f µs; address and route requests: %.0f µs, "
                             "then %.0f µs); the rest of the wall time is spent waiting for a CPU (%.0f µs, then "
                             "%.0f µs, from the thread's schedstat), taken by the kernel's own threads and by "
                             "whatever else runs on the machine. "
                             "`perf record -g` on this row shows why: every link state change in a namespace walks "
                             "that namespace's whole IPv6 routing table (`netif_state_change()` → "
                             "`addrconf_notify()` → `rt6_sync_up()` → `fib6_clean_all()`), once inside the request "
                             "when `ip link set dev ve-… up` sets IFF_UP, and once more when the kernel's linkwatch "
                             "worker processes the carrier change, holding rtnl_lock: the address and route "
                             "requests that follow wait for it (`mutex_spin_on_owner` under `inet_rtm_newaddr` and "
                             "`inet_rtm_newroute`: 19%% of all samples in one profile of this row, with "
                             "`fib6_walk_continue` 13%%, `fib6_ifdown` and `fib6_ifup` next; the restarts' untimed "
                             "deletions walk it too). The host holds "
                             "about 8 IPv6 routes per running container (multicast, local and the routes the scripts "
                             "add, for ve-… and the extra veth), so each start costs O(N) in the kernel whoever asks. "
                             "The original pays the same kernel work, hidden under its forks (its cost at N = %u is "
                             "%.2f× its cost at N = %u). The ref cannot avoid it without leaving the script's order "
                             "of steps (the container's eth0 is up before postStart sets ve-… up, so the link is "
                             "ready at once, and the links are up before their addresses and routes); it is bounded "
                             "by the kernel's routing table walk.",
                             c->sizes[kmax], c->sizes[k10],
                             samples_ratio_median(&s[kmax][V_REF][VAL_WALL], &s[k10][V_REF][VAL_WALL]), wk, w10,
                             requests, u10, c->sizes[k10], uk, c->sizes[kmax], u10 > 0 ? uk / u10 : NAN, c10, ck,
                             (lk + ak) - (l10 + a10), l10, lk, a10, ak, q10, qk, c->sizes[kmax],
                             samples_ratio_median(&s[kmax][V_ORIGINAL][VAL_WALL], &s[k10][V_ORIGINAL][VAL_WALL]),
                             c->sizes[k10]);
        }
        for (unsigned k = 0; k < c->n_sizes; k++)
                for (int v = 0; v < V_COUNT; v++)
                        for (int x = 0; x < VAL_PER; x++)
                                samples_free(&s[k][v][x]);
}

int row_scale(const bench_options *o, bench_table *t) {
        scale_ctx c = { 0 };
        char *error = NULL;
        double *values = NULL;
        size_t n_values;
        int r = ctx_init(o, &c, &error);

        if (r < 0) {
                fprintf(stderr, "bench: row 2: %s\n", error ? error : strerror(-r));
                free(error);
                ctx_free(&c);
                return r;
        }
        n_values = value_index(&c, c.n_sizes, 0, 0);
        values = calloc(n_values, sizeof *values);
        r = values ? run_in_child(o, "scale", scale_child, &c, values, n_values) : -ENOMEM;
        if (r >= 0)
                report(&c, values, t);
        free(values);
        ctx_free(&c);
        return r;
}
