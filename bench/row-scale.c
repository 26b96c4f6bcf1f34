/* Row 2: N containers against one host namespace, N = 1, 10, 100, 1000.
 * One host namespace and N container namespaces (bench/pool.c); before
 * each pass the veths nspawn creates for containers 0..N-1 are made
 * (untimed), and after it they are deleted. Per round and N, two passes:
 *
 *   ref       containers 0..N-1 in order, each: in its namespace
 *             nc_netlink_open + nc_init_setup, then on the host
 *             nc_netlink_open + nc_host_setup (all timed; setns not)
 *   original  the module's scripts (bash -e container-init in the
 *             container's namespace, postStart on the host) for an evenly
 *             spread sample of the containers (all when N <= samples), the
 *             others set up by the ref untimed, in the same order, so that
 *             each sampled container meets the host as full as the ref's
 *
 * The per-round value is the mean cost per container (ref: all N;
 * original: the sampled ones); the table gives medians over the rounds. */
#include <errno.h>
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

enum { VAL_REF, VAL_ORIGINAL, VAL_REQUESTS, VAL_DUMPS, VAL_SAMPLES, VAL_PER };

typedef struct scale_ctx {
        const bench_options *o;
        bench_scheme scheme;
        unsigned sizes[MAX_SIZES], n_sizes, max;
        nc_config *config;
        const nc_container **containers;
        nc_env **envs;
        nc_strv *envps;
        char **init_paths, **post_paths, *stage2_path;
} scale_ctx;

static int ref_one(scale_ctx *c, const bench_netns_pool *p, unsigned i, double *ret_us) {
        nc_netlink *nl = NULL;
        nc_error error = { { 0 } };
        double t0, t1, t2, t3;
        int r;

        if (setns(p->fds[i], CLONE_NEWNET) < 0)
                return -errno;
        t0 = bench_now_us();
        r = nc_netlink_open(&nl, &error);
        if (r >= 0)
                r = nc_init_setup(nl, c->containers[i], c->envs[i], &error);
        nc_netlink_free(nl);
        nl = NULL;
        t1 = bench_now_us();
        if (setns(p->host_fd, CLONE_NEWNET) < 0)
                return -errno;
        if (r >= 0) {
                t2 = bench_now_us();
                r = nc_netlink_open(&nl, &error);
                if (r >= 0)
                        r = nc_host_setup(nl, c->containers[i], c->envs[i], &error);
                nc_netlink_free(nl);
                t3 = bench_now_us();
                *ret_us = (t1 - t0) + (t3 - t2);
        }
        if (r < 0)
                fprintf(stderr, "bench: row 2: b%04u: %s\n", i, error.message[0] ? error.message : strerror(-r));
        return r;
}

static int original_one(scale_ctx *c, const bench_netns_pool *p, unsigned i, double *ret_us) {
        char *init_argv[] = { "bash", "-e", c->init_paths[i], c->stage2_path, NULL };
        char *post_argv[] = { "bash", "-e", c->post_paths[i], NULL };
        run_result result = { 0 };
        double t0 = bench_now_us();
        int r = run_command_netns(init_argv, c->envps[i].items, p->fds[i], &result);

        if (r >= 0 && result.status == 0) {
                run_result_free(&result);
                r = run_command_netns(post_argv, c->envps[i].items, -1, &result);
        }
        *ret_us = bench_now_us() - t0;
        if (r >= 0 && result.status != 0) {
                fprintf(stderr, "bench: row 2: b%04u: the original's script exited %d:\n%.*s", i, result.status,
                        (int) result.err_len, result.err ? result.err : "");
                r = -EIO;
        }
        run_result_free(&result);
        return r;
}

static bool sampled(unsigned i, unsigned n, unsigned samples) {
        unsigned stride = n / samples;
        return n <= samples || (i + 1) % stride == 0;
}

static int scale_child(void *userdata, double *values, size_t n_values) {
        scale_ctx *c = userdata;
        const bench_options *o = c->o;
        bench_netns_pool pool = { .host_fd = -1 };
        char *error = NULL;
        int rtnl = -1, r;
        (void) n_values;

        r = netns_pool_make(&pool, c->max, &error);
        if (r < 0) {
                fprintf(stderr, "bench: row 2: %u container namespaces: %s\n", c->max, error ? error : strerror(-r));
                free(error);
                return r;
        }
        r = rtnl = rtnl_open();
        for (unsigned round = 0; r >= 0 && round < o->rounds; round++)
                for (unsigned k = 0; r >= 0 && k < c->n_sizes; k++) {
                        unsigned n = c->sizes[k];
                        double *v = values + ((size_t) round * c->n_sizes + k) * VAL_PER;
                        for (int pass = 0; r >= 0 && pass < 2; pass++) {
                                double sum = 0;
                                unsigned timed = 0;
                                unsigned long sent = trace_sent, dumps = trace_dumps;
                                for (unsigned i = 0; r >= 0 && i < n; i++)
                                        r = netns_pool_add_veths(&pool, rtnl, i);
                                if (r < 0)
                                        fprintf(stderr, "bench: row 2: creating the veths of b%04u..: %s\n", 0u,
                                                strerror(-r));
                                for (unsigned i = 0; r >= 0 && i < n; i++) {
                                        double us = 0;
                                        if (pass == 1 && sampled(i, n, o->scale_samples)) {
                                                r = original_one(c, &pool, i, &us);
                                                sum += us;
                                                timed++;
                                        } else if (pass == 0) {
                                                r = ref_one(c, &pool, i, &us);
                                                sum += us;
                                                timed++;
                                        } else
                                                r = ref_one(c, &pool, i, &us);
                                }
                                if (r >= 0 && pass == 0) {
                                        v[VAL_REF] = sum / timed;
                                        v[VAL_REQUESTS] = (double) (trace_sent - sent) / n;
                                        v[VAL_DUMPS] = (double) (trace_dumps - dumps);
                                } else if (r >= 0) {
                                        v[VAL_ORIGINAL] = sum / timed;
                                        v[VAL_SAMPLES] = timed;
                                }
                                if (r >= 0)
                                        r = netns_pool_clear(&pool, rtnl, n);
                        }
                        if (o->verbose && r >= 0)
                                fprintf(stderr, "bench: row 2: round %u N=%u: ref %.0f µs, original %.0f µs\n", round,
                                        n, v[VAL_REF], v[VAL_ORIGINAL]);
                }
        if (rtnl >= 0)
                close(rtnl);
        netns_pool_free(&pool);
        return r;
}

static int ctx_init(const bench_options *o, scale_ctx *c, char **ret_error) {
        char *json = NULL, *dir = NULL;
        nc_error error = { { 0 } };
        int r;

        c->o = o;
        c->max = o->scale_max;
        for (unsigned n = 1; n <= c->max && c->n_sizes < MAX_SIZES; n *= 10)
                c->sizes[c->n_sizes++] = n;
        r = bench_scheme_load(o, &c->scheme, ret_error);
        if (r < 0)
                return r;
        json = bench_scheme_config(&c->scheme, c->max);
        if (!json)
                return -ENOMEM;
        r = nc_config_load_json(json, strlen(json), NC_MODE_STRICT, &c->config, &error);
        free(json);
        if (r < 0) {
                if (asprintf(ret_error, "the scheme's config: %s", error.message) < 0)
                        *ret_error = NULL;
                return r;
        }
        c->containers = calloc(c->max, sizeof *c->containers);
        c->envs = calloc(c->max, sizeof *c->envs);
        c->envps = calloc(c->max, sizeof *c->envps);
        c->init_paths = calloc(c->max, sizeof *c->init_paths);
        c->post_paths = calloc(c->max, sizeof *c->post_paths);
        if (!c->containers || !c->envs || !c->envps || !c->init_paths || !c->post_paths ||
            asprintf(&dir, "%s/scale", o->work) < 0 || asprintf(&c->stage2_path, "%s/stage-2", o->work) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                r = -errno;
                free(dir);
                return r;
        }
        r = write_text(c->stage2_path, "", 0644);
        /* Container i: its definition, environment and the module's scripts. */
        for (unsigned i = 0; r >= 0 && i < c->max; i++) {
                char name[16];
                subst_pair pairs[6];
                snprintf(name, sizeof name, "b%04u", i);
                c->containers[i] = nc_config_find(c->config, name);
                r = c->containers[i] ? bench_scheme_envp(&c->scheme, i, NULL, &c->envps[i]) : -ENOENT;
                if (r >= 0)
                        r = (c->envs[i] = nc_env_new()) ? nc_env_load_environ(c->envs[i], c->envps[i].items) : -ENOMEM;
                if (r >= 0 && (asprintf(&c->init_paths[i], "%s/%s.init", dir, name) < 0 ||
                               asprintf(&c->post_paths[i], "%s/%s.poststart", dir, name) < 0))
                        r = -ENOMEM;
                if (r >= 0 && (r = bench_scheme_pairs(i, pairs)) >= 0) {
                        char *init = subst_text(c->scheme.init, pairs, 6);
                        char *post = subst_text(c->scheme.poststart, pairs, 6);
                        r = init && post ? write_text(c->init_paths[i], init, 0644) : -ENOMEM;
                        if (r >= 0)
                                r = write_text(c->post_paths[i], post, 0644);
                        free(init);
                        free(post);
                        subst_pairs_free(pairs);
                }
        }
        free(dir);
        return r;
}

static void ctx_free(scale_ctx *c) {
        for (unsigned i = 0; i < c->max; i++) {
                if (c->envs)
                        nc_env_free(c->envs[i]);
                if (c->envps)
                        nc_strv_clear(&c->envps[i]);
                if (c->init_paths)
                        free(c->init_paths[i]);
                if (c->post_paths)
                        free(c->post_paths[i]);
        }
        free(c->containers), free(c->envs), free(c->envps), free(c->init_paths), free(c->post_paths);
        free(c->stage2_path);
        nc_config_free(c->config);
        bench_scheme_free(&c->scheme);
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
        n_values = (size_t) o->rounds * c.n_sizes * VAL_PER;
        values = calloc(n_values, sizeof *values);
        r = values ? run_in_child(scale_child, &c, values, n_values) : -ENOMEM;
        if (r < 0) {
                fprintf(stderr, "bench: row 2: %s\n", strerror(-r));
                goto out;
        }
        {
                bench_samples ref[MAX_SIZES] = { { 0 } }, orig[MAX_SIZES] = { { 0 } };
                double requests = 0, dumps = 0, samples[MAX_SIZES] = { 0 };
                unsigned k10 = c.n_sizes > 1 ? 1 : 0, kmax = c.n_sizes - 1;
                char m[96], ratio[160], what[200], target[80], curve[512] = "";
                bench_samples flat = { 0 };

                for (unsigned round = 0; round < o->rounds; round++)
                        for (unsigned k = 0; k < c.n_sizes; k++) {
                                double *v = values + ((size_t) round * c.n_sizes + k) * VAL_PER;
                                samples_add(&ref[k], v[VAL_REF]);
                                samples_add(&orig[k], v[VAL_ORIGINAL]);
                                requests = fmax(requests, v[VAL_REQUESTS]);
                                dumps += v[VAL_DUMPS];
                                samples[k] += v[VAL_SAMPLES];
                        }
                for (unsigned k = 0; k < c.n_sizes; k++) {
                        char a[32], b[32];
                        double speedup = samples_ratio_median(&orig[k], &ref[k]);
                        format_us(samples_median(&ref[k]), a, sizeof a);
                        format_us(samples_median(&orig[k]), b, sizeof b);
                        snprintf(what, sizeof what, "N = %u: ref per container | original per container", c.sizes[k]);
                        snprintf(m, sizeof m, "%s \\| %s", a, b);
                        snprintf(ratio, sizeof ratio, "ref %.2f× its cost at N = %u; original %.2f×; ref %.0f× faster",
                                 samples_ratio_median(&ref[k], &ref[k10]), c.sizes[k10],
                                 samples_ratio_median(&orig[k], &orig[k10]), speedup);
                        if (k == kmax && c.n_sizes > 1) {
                                snprintf(target, sizeof target, "ref at N = %u ≤ 1.5× its cost at N = %u", c.sizes[k],
                                         c.sizes[k10]);
                                for (unsigned round = 0; round < o->rounds; round++)
                                        samples_add(&flat, ref[k].v[round] / ref[k10].v[round]);
                                table_add(t, "2 scale", what, m, ratio, target,
                                          samples_median(&flat) <= 1.5 ? VERDICT_MET : VERDICT_MISSED);
                        } else
                                table_add(t, "2 scale", what, m, ratio, "", VERDICT_NONE);
                        snprintf(curve + strlen(curve), sizeof curve - strlen(curve), "%s%u: %s / %s (%.0f samples)",
                                 k ? "; " : "", c.sizes[k], a, b, samples[k] / o->rounds);
                }
                table_note(t,
                           "**Row 2** (%u rounds; in each, for each N, a ref pass then an original pass, each on "
                           "fresh veths). One host namespace and %u container namespaces, held by file descriptors; "
                           "the veths are those nspawn creates for each container (ve-bNNNN with host0, xNNNN with "
                           "xNNNN in the container). Container i is b0000 with its name and addresses replaced, "
                           "which is exactly what the module renders for it (checked against the module's output "
                           "for b0001 and b0999 in `bench/golden/bench-substitution/` at every run). The ref sends "
                           "%.0f requests per container at every N and %.0f dumps in all (no cache, nothing refilled "
                           "per operation). The original is timed on an evenly spread sample of at most %u "
                           "containers per pass (the rest set up by the ref, untimed, so each sample meets a host "
                           "as full as the ref's); per container, ref / original, per N: %s.",
                           o->rounds, c.max, requests, dumps, o->scale_samples, curve);
                for (unsigned k = 0; k < c.n_sizes; k++) {
                        samples_free(&ref[k]);
                        samples_free(&orig[k]);
                }
                samples_free(&flat);
        }
out:
        free(values);
        ctx_free(&c);
        return r;
}
