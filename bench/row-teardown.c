/* Row 4: preStart for 100 containers. One host namespace and 100 container
 * namespaces (bench/pool.c); the 100 containers of the scheme get their
 * veths and are set up by the ref (untimed), so the host is one running 100
 * containers; a variant runs preStart for its containers in turn, which
 * deletes each one's ve-bNNNN and xNNNN (their peers go with them), and
 * those containers are then made and set up again (untimed) for the next
 * variant. The ref's preStart runs for all 100 containers in every round;
 * the original and one-by-one, which cost a round trip of the kernel's
 * deletion per link, for an evenly spread sample of them (SAMPLED).
 * Variants, alternating:
 *
 *   original     bash -e on the module's preStart (machinectl a stub: `true`)
 *   ref          nc_netlink_open + nc_prestart (bulk: one batch, one
 *                sendmsg, moving the links into an unused IFLA_GROUP, one
 *                RTM_DELLINK for the group, the moves back; bench/trace.c
 *                times the batch as its RTM_DELLINK)
 *   one-by-one   the same steps outside the library: `machinectl terminate`
 *                run as preStart runs it, each link looked up (RTM_GETLINK by
 *                name, as the library does) and deleted with its own
 *                RTM_DELLINK, on the bench's raw socket (bench/nl-raw.c)
 *   all at once  every container's links in one group, one RTM_DELLINK: what
 *                a batch across containers would save (a kernel figure, not
 *                a preStart; also on the raw socket)
 *
 * The RTM_DELLINK round trips are timed around each request (bench/trace.c,
 * which sees the library's and the raw socket's): that is the kernel's cost
 * of deleting the devices. */
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

extern char **environ;

#define CONTAINERS 100
#define SAMPLED 20
#define DEVICES_PER_CONTAINER 2
#define ALL_GROUP 0x62656e64u /* "bend" */

typedef enum variant { V_ORIGINAL, V_REF, V_ONE_BY_ONE, V_ALL, V_COUNT } variant;

enum {
        VAL_WALL,      /* per container (all at once: the whole, per container) */
        VAL_DEL,       /* RTM_DELLINK round trips, per container */
        VAL_DEL_CPU,   /* their CPU time */
        VAL_OTHER,     /* the other requests' round trips, per container */
        VAL_DELS,      /* RTM_DELLINK requests per container */
        VAL_PER
};

typedef struct teardown_ctx {
        const bench_options *o;
        bench_containers set;
        char **prestart_paths;
        char *stub_dir;
} teardown_ctx;

static int ctx_init(const bench_options *o, teardown_ctx *c, char **ret_error) {
        char *dir = NULL;
        int r;

        c->o = o;
        r = bench_stub_dir(o, &c->stub_dir);
        if (r >= 0)
                r = bench_containers_load(o, CONTAINERS, c->stub_dir, &c->set, ret_error);
        if (r >= 0)
                r = bench_work_dir(o, "teardown", &dir);
        if (r >= 0)
                r = bench_scheme_write_scripts(&c->set.scheme, SCHEME_PRESTART, CONTAINERS, dir, &c->prestart_paths);
        free(dir);
        return r;
}

static void ctx_free(teardown_ctx *c) {
        bench_paths_free(c->prestart_paths, CONTAINERS);
        bench_containers_free(&c->set);
        free(c->stub_dir);
}

static size_t value_index(unsigned round, variant v) {
        return ((size_t) round * V_COUNT + v) * VAL_PER;
}

/* nc_prestart()'s steps with one RTM_DELLINK per link: `machinectl
 * terminate`, then each of preStart's links looked up and deleted. */
static int prestart_one_by_one(unsigned i) {
        char names[3][16];
        char *machinectl[] = { "machinectl", "terminate", names[0] + 3, NULL };
        int fd;

        snprintf(names[0], sizeof names[0], "ve-b%04u", i);
        snprintf(names[1], sizeof names[1], "vb-b%04u", i);
        snprintf(names[2], sizeof names[2], "x%04u", i);
        /* machinectl terminate "$INSTANCE" 2> /dev/null || true */
        (void) run_program(machinectl, environ, NULL, NULL, NULL, NULL);
        fd = rawnl_socket_open();
        if (fd < 0)
                return fd;
        for (int k = 0; k < 3; k++) {
                int ifindex = rawnl_link_index(fd, names[k]);
                if (ifindex > 0)
                        (void) rawnl_link_delete(fd, ifindex, NULL);
        }
        close(fd);
        return 0;
}

static int prestart_ref(teardown_ctx *c, unsigned i) {
        nc_prestart_request request = { .skip_machinectl = false };
        nc_netlink *nl = NULL;
        nc_error error = { { 0 } };
        int r = nc_netlink_open(&nl, &error);

        if (r >= 0)
                r = nc_prestart(nl, c->set.containers[i], c->set.envs[i], &request, &error);
        nc_netlink_free(nl);
        if (r < 0)
                fprintf(stderr, "bench: row 4: b%04u: %s\n", i, error.message[0] ? error.message : strerror(-r));
        return r;
}

static int prestart_original(teardown_ctx *c, unsigned i) {
        char *argv[] = { "bash", "-e", c->prestart_paths[i], NULL };
        char what[64];

        snprintf(what, sizeof what, "row 4: b%04u: preStart", i);
        return run_script(argv, c->set.envps[i].items, -1, what);
}

/* Every container's links into one group (each looked up, then moved),
 * deleted with one request. */
static int delete_all_at_once(void) {
        int fd = rawnl_socket_open(), r = fd < 0 ? fd : 0;

        for (unsigned i = 0; r >= 0 && i < CONTAINERS; i++)
                for (int k = 0; r >= 0 && k < 2; k++) {
                        char name[16];
                        snprintf(name, sizeof name, k ? "x%04u" : "ve-b%04u", i);
                        r = rawnl_link_index(fd, name);
                        if (r >= 0)
                                r = rawnl_link_set_group(fd, r, NULL, ALL_GROUP);
                }
        if (r >= 0)
                r = rawnl_group_delete(fd, ALL_GROUP);
        if (fd >= 0)
                close(fd);
        return r;
}

static bool in_variant(variant v, unsigned i) {
        return v == V_REF || v == V_ALL || i % (CONTAINERS / SAMPLED) == CONTAINERS / SAMPLED / 2;
}

/* Makes and sets up again the containers whose links variant `v` deleted
 * (all of them when v is V_COUNT). */
static int setup_again(teardown_ctx *c, const bench_netns_pool *p, variant v) {
        int r = 0;

        for (unsigned i = 0; r >= 0 && i < CONTAINERS; i++) {
                nc_error error = { { 0 } };
                if (v != V_COUNT && !in_variant(v, i))
                        continue;
                r = netns_pool_add_veths(p, i);
                if (r >= 0)
                        r = netns_pool_setup(p, i, c->set.containers[i], c->set.envs[i], NULL, NULL, &error);
                if (r < 0)
                        fprintf(stderr, "bench: row 4: setting up b%04u: %s\n", i,
                                error.message[0] ? error.message : strerror(-r));
        }
        return r;
}

static void add_requests(double *v) {
        trace_request *q;
        size_t n;

        trace_stop(&q, &n);
        for (size_t k = 0; k < n; k++) {
                double wall = q[k].done_us - q[k].sent_us;
                if (q[k].type == RTM_DELLINK) {
                        v[VAL_DEL] += wall;
                        v[VAL_DEL_CPU] += q[k].cpu_done_us - q[k].cpu_sent_us;
                        v[VAL_DELS] += 1;
                } else
                        v[VAL_OTHER] += wall;
        }
        trace_free(q, n);
}

static int teardown_child(void *userdata, double *values, size_t n_values) {
        teardown_ctx *c = userdata;
        bench_netns_pool pool = { .host_fd = -1, .rtnl = -1 };
        char *error = NULL, *path = NULL;
        int r;
        (void) n_values;

        /* nc_prestart() finds `machinectl` in PATH, as the unit's preStart does. */
        if (asprintf(&path, "%s:%s", c->stub_dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin") < 0 ||
            setenv("PATH", path, 1) < 0) {
                free(path);
                return -ENOMEM;
        }
        free(path);
        r = netns_pool_make(&pool, CONTAINERS, &error);
        if (r < 0) {
                fprintf(stderr, "bench: row 4: %s\n", error ? error : strerror(-r));
                free(error);
                return r;
        }
        r = setup_again(c, &pool, V_COUNT);
        for (unsigned round = 0; r >= 0 && round < c->o->rounds; round++)
                for (int v = 0; r >= 0 && v < V_COUNT; v++) {
                        double *out = values + value_index(round, (variant) v), t0;
                        unsigned done = 0;
                        int left;
                        if (v == V_ALL) {
                                trace_start(false);
                                t0 = clock_us();
                                r = delete_all_at_once();
                                out[VAL_WALL] = clock_us() - t0;
                                add_requests(out);
                        } else
                                for (unsigned i = 0; r >= 0 && i < CONTAINERS; i++) {
                                        if (!in_variant((variant) v, i))
                                                continue;
                                        done++;
                                        if (v != V_ORIGINAL)
                                                trace_start(false);
                                        t0 = clock_us();
                                        r = v == V_ORIGINAL     ? prestart_original(c, i)
                                            : v == V_REF        ? prestart_ref(c, i)
                                                                : prestart_one_by_one(i);
                                        out[VAL_WALL] += clock_us() - t0;
                                        if (v != V_ORIGINAL)
                                                add_requests(out);
                                }
                        for (int x = 0; x < VAL_PER; x++)
                                out[x] /= v == V_ALL ? CONTAINERS : done;
                        /* preStart must have deleted exactly its containers' links. */
                        left = rawnl_count_links(pool.rtnl);
                        if (r >= 0 && left != 1 + DEVICES_PER_CONTAINER * (int) (CONTAINERS - (v == V_ALL ? CONTAINERS : done))) {
                                fprintf(stderr, "bench: row 4: %d links left on the host after variant %d\n", left, v);
                                r = -EPROTO;
                        }
                        if (r >= 0)
                                r = setup_again(c, &pool, (variant) v);
                }
        netns_pool_free(&pool);
        return r;
}

static void report(const teardown_ctx *c, const double *values, bench_table *t) {
        const bench_options *o = c->o;
        bench_samples s[V_COUNT][VAL_PER] = { { { 0 } } }, per_device[V_COUNT] = { { 0 } }, saved = { 0 };
        char m[32], ratio[200], what[200], a[32], b[32], d[32], e[32], f[32], g[32];

        for (unsigned round = 0; round < o->rounds; round++) {
                for (int v = 0; v < V_COUNT; v++) {
                        const double *x = values + value_index(round, (variant) v);
                        for (int k = 0; k < VAL_PER; k++)
                                samples_add(&s[v][k], x[k]);
                        /* The kernel's cost per device: the RTM_DELLINK round trips over the devices. */
                        samples_add(&per_device[v], x[VAL_DEL] / DEVICES_PER_CONTAINER);
                }
                samples_add(&saved, values[value_index(round, V_ONE_BY_ONE) + VAL_WALL] -
                                            values[value_index(round, V_REF) + VAL_WALL]);
        }
        format_us(samples_median(&s[V_ORIGINAL][VAL_WALL]), m, sizeof m);
        table_add(t, "4 teardown", "preStart per container, original: `bash -e` (machinectl stub, 3 `ip link del`)", m,
                  "1×", "", VERDICT_NONE);
        format_us(samples_median(&s[V_REF][VAL_WALL]), m, sizeof m);
        snprintf(ratio, sizeof ratio, "%.1f× faster than the original",
                 samples_ratio_median(&s[V_ORIGINAL][VAL_WALL], &s[V_REF][VAL_WALL]));
        table_add(t, "4 teardown", "preStart per container, ref: `nc_prestart` (bulk: 2 links, 1 RTM_DELLINK in one batch)", m, ratio,
                  "", VERDICT_NONE);
        format_us(samples_median(&s[V_ONE_BY_ONE][VAL_WALL]), m, sizeof m);
        format_us(samples_median(&saved), a, sizeof a);
        snprintf(ratio, sizeof ratio, "bulk saves %s per container (one-by-one is %.2f× the bulk preStart)", a,
                 samples_ratio_median(&s[V_ONE_BY_ONE][VAL_WALL], &s[V_REF][VAL_WALL]));
        table_add(t, "4 teardown", "preStart per container, its steps deleting one by one (raw socket, 2 RTM_DELLINK)", m,
                  ratio, "", VERDICT_NONE);
        format_us(samples_median(&per_device[V_ONE_BY_ONE]), m, sizeof m);
        format_us(samples_median(&per_device[V_REF]), a, sizeof a);
        format_us(samples_median(&per_device[V_ALL]), b, sizeof b);
        snprintf(what, sizeof what, "kernel's cost per device deleted (RTM_DELLINK round trip per device): one by one");
        snprintf(ratio, sizeof ratio, "2 per request: %s (%.2f×); %u per request: %s (%.2f×)", a,
                 samples_ratio_median(&per_device[V_REF], &per_device[V_ONE_BY_ONE]),
                 CONTAINERS * DEVICES_PER_CONTAINER, b,
                 samples_ratio_median(&per_device[V_ALL], &per_device[V_ONE_BY_ONE]));
        table_add(t, "4 teardown", what, m, ratio, "report", VERDICT_NONE);
        format_us(samples_median(&s[V_REF][VAL_OTHER]), a, sizeof a);
        format_us(samples_median(&s[V_ONE_BY_ONE][VAL_OTHER]), b, sizeof b);
        format_us(samples_median(&s[V_REF][VAL_DEL]), d, sizeof d);
        format_us(samples_median(&s[V_ONE_BY_ONE][VAL_DEL]), e, sizeof e);
        format_us(samples_median(&s[V_ONE_BY_ONE][VAL_DEL_CPU]), f, sizeof f);
        format_us(samples_median(&s[V_ALL][VAL_WALL]) * CONTAINERS, g, sizeof g);
        table_note(&t->notes,
                   "**Row 4** (%u rounds, variants alternating). One host namespace and %u container namespaces; "
                   "the %u containers get their veths and are set up by the ref (untimed), so each preStart "
                   "deletes the links of a configured container on a host running the others; after a variant, "
                   "the containers it stopped are made and set up again (untimed). The ref's preStart runs for "
                   "all %u containers every round; the original and one-by-one for %u of them, spread evenly. "
                   "Each container has %d links on the host (ve-bNNNN, xNNNN; vb-bNNNN is looked for and not "
                   "found); deleting one also deletes its peer in the container's namespace. `machinectl` is a "
                   "link to `true` for all three preStarts. One by one is the ref's steps outside the library: "
                   "`machinectl terminate` run the same way, the same lookups (RTM_GETLINK by name), one "
                   "RTM_DELLINK per link, on the bench's raw socket (`bench/nl-raw.c`). Per container, RTM_DELLINK round trips: "
                   "bulk %s, one by one %s (of which CPU %s: the rest is waiting, for RCU grace periods among "
                   "others); other requests: bulk %s (lookups, the group dump that finds an unused group, two "
                   "group moves), one by one %s (lookups). All %u containers' links in one request: %s for the "
                   "whole (lookups, %u group moves and one RTM_DELLINK). After every variant the host held exactly the "
                   "links of the containers it had not stopped."
                   ,
                   o->rounds, CONTAINERS, CONTAINERS, CONTAINERS, SAMPLED, DEVICES_PER_CONTAINER, d, e, f, a, b, CONTAINERS, g,
                   CONTAINERS * DEVICES_PER_CONTAINER);
        for (int v = 0; v < V_COUNT; v++) {
                for (int k = 0; k < VAL_PER; k++)
                        samples_free(&s[v][k]);
                samples_free(&per_device[v]);
        }
        samples_free(&saved);
}

int row_teardown(const bench_options *o, bench_table *t) {
        teardown_ctx c = { 0 };
        char *error = NULL;
        size_t n_values = value_index(o->rounds, 0);
        double *values = calloc(n_values, sizeof *values);
        int r = values ? ctx_init(o, &c, &error) : -ENOMEM;

        if (r < 0)
                fprintf(stderr, "bench: row 4: %s\n", error ? error : strerror(-r));
        else
                r = run_in_child(o, "teardown", teardown_child, &c, values, n_values);
        if (r >= 0)
                report(&c, values, t);
        free(error);
        free(values);
        ctx_free(&c);
        return r;
}
