/* The bench's containers: b0000 of bench/fixtures/bench-one.json, whose
 * scripts, env file and nspawn options the module rendered into
 * bench/golden/bench-one/, and container i made from it by replacing the
 * name and the addresses. The replacement is checked against what the
 * module rendered for b0001 and b0999 (bench/golden/bench-substitution/)
 * every time it is loaded, so N containers run the module's own scripts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "bench.h"
#include "fixture.h"
#include "strv.h"
#include "nspawn-sim.h"

const char *const scheme_file_suffix[SCHEME_FILES] = {
        [SCHEME_INIT] = "init", [SCHEME_POSTSTART] = "poststart", [SCHEME_PRESTART] = "prestart", [SCHEME_CONF] = "conf"
};

static const char *const scheme_from[6] = { "b0000", "x0000", "10.100.0.", "10.110.0.", "fd00:b:0::", "fd00:c:0::" };

static void subst_pairs_free(subst_pair pairs[6]);

/* The pairs for container i (free with subst_pairs_free). */
static int bench_scheme_pairs(unsigned i, subst_pair ret_pairs[6]) {
        int r = 0;

        memset(ret_pairs, 0, 6 * sizeof *ret_pairs);
        for (int k = 0; k < 6; k++)
                ret_pairs[k].from = scheme_from[k];
        if (asprintf(&ret_pairs[0].to, "b%04u", i) < 0 || asprintf(&ret_pairs[1].to, "x%04u", i) < 0 ||
            asprintf(&ret_pairs[2].to, "10.%u.%u.", 100 + i / 250, i % 250) < 0 ||
            asprintf(&ret_pairs[3].to, "10.%u.%u.", 110 + i / 250, i % 250) < 0 ||
            asprintf(&ret_pairs[4].to, "fd00:b:%x::", i) < 0 || asprintf(&ret_pairs[5].to, "fd00:c:%x::", i) < 0)
                r = -ENOMEM;
        if (r < 0)
                subst_pairs_free(ret_pairs);
        return r;
}

static void subst_pairs_free(subst_pair pairs[6]) {
        for (int k = 0; k < 6; k++) {
                free(pairs[k].to);
                pairs[k].to = NULL;
        }
}

static char *subst_for(const char *template, unsigned i) {
        subst_pair pairs[6];
        char *out;

        if (bench_scheme_pairs(i, pairs) < 0)
                return NULL;
        out = subst_text(template, pairs, 6);
        subst_pairs_free(pairs);
        return out;
}

/* A container's definition from a fixture file, as compact JSON. */
static char *container_from_fixture(const char *path, const char *name) {
        json_t *root = json_load_file(path, 0, NULL), *c;
        char *definition = NULL;

        c = root ? json_object_get(json_object_get(root, "containers"), name) : NULL;
        if (c)
                definition = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(root);
        return definition;
}

/* DIR/NAME.SUFFIX; NULL when it cannot be read. */
static char *golden_file(const char *dir, const char *name, const char *suffix, size_t *ret_len) {
        char *path = NULL, *data = NULL;

        if (asprintf(&path, "%s/%s.%s", dir, name, suffix) >= 0 && read_file(path, BENCH_FILE_MAX, &data, ret_len) < 0)
                data = NULL;
        free(path);
        return data;
}

int bench_golden_setenv(const char *dir, const char *name, nc_strv *ret) {
        nspawn_network network = { 0 };
        nc_strv argv = { 0 };
        size_t len = 0;
        char *data = golden_file(dir, name, "argv", &len);
        int r;

        if (!data)
                return -ENOENT;
        r = split_nul(data, len, &argv);
        free(data);
        if (r >= 0)
                r = nspawn_network_parse(&argv, &network);
        for (size_t i = 0; r >= 0 && i < network.setenv.n; i++)
                if (strncmp(network.setenv.items[i], "PATH=", 5) != 0)
                        r = nc_strv_push(ret, network.setenv.items[i]);
        nspawn_network_clear(&network);
        nc_strv_clear(&argv);
        return r;
}

static int check_one(const bench_scheme *s, const char *dir, const char *fixture_path, unsigned i, char **ret_error) {
        char name[16], *expected = NULL, *actual = NULL;
        nc_strv pairs = { 0 };
        json_t *a = NULL, *b = NULL;
        int r = 0;

        snprintf(name, sizeof name, "b%04u", i);
        for (size_t k = 0; r >= 0 && k < SCHEME_FILES; k++) {
                expected = golden_file(dir, name, scheme_file_suffix[k], NULL);
                actual = subst_for(s->files[k], i);
                if (!expected || !actual || strcmp(expected, actual) != 0) {
                        r = asprintf(ret_error, "%s/%s.%s is not b0000's with the name and addresses replaced", dir,
                                     name, scheme_file_suffix[k]) < 0 ? -ENOMEM : -EINVAL;
                }
                free(expected);
                free(actual);
        }
        if (r >= 0 && (r = bench_golden_setenv(dir, name, &pairs)) >= 0) {
                bool same = pairs.n == s->setenv.n;
                for (size_t k = 0; same && k < pairs.n; k++) {
                        actual = subst_for(s->setenv.items[k], i);
                        same = actual && strcmp(actual, pairs.items[k]) == 0;
                        free(actual);
                }
                if (!same)
                        r = asprintf(ret_error, "%s/%s.argv: --setenv pairs are not b0000's replaced", dir, name) < 0
                                    ? -ENOMEM
                                    : -EINVAL;
        }
        if (r >= 0) {
                char *definition = container_from_fixture(fixture_path, name);
                actual = subst_for(s->container_json, i);
                a = definition ? json_loads(definition, 0, NULL) : NULL;
                b = actual ? json_loads(actual, 0, NULL) : NULL;
                if (!a || !b || !json_equal(a, b))
                        r = asprintf(ret_error, "%s: %s is not b0000 replaced", fixture_path, name) < 0 ? -ENOMEM
                                                                                                      : -EINVAL;
                free(definition);
                free(actual);
        }
        json_decref(a);
        json_decref(b);
        nc_strv_clear(&pairs);
        return r;
}

void bench_scheme_free(bench_scheme *s) {
        free(s->container_json);
        for (size_t k = 0; k < SCHEME_FILES; k++)
                free(s->files[k]);
        free(s->fixture_dir);
        nc_strv_clear(&s->setenv);
        memset(s, 0, sizeof *s);
}

int bench_scheme_load(const bench_options *o, bench_scheme *ret, char **ret_error) {
        bench_scheme s = { 0 };
        char *one = NULL, *sub_dir = NULL, *sub_fixture = NULL;
        int r = 0;

        if (asprintf(&s.fixture_dir, "%s/golden/bench-one", o->bench_dir) < 0 ||
            asprintf(&one, "%s/fixtures/bench-one.json", o->bench_dir) < 0 ||
            asprintf(&sub_dir, "%s/golden/bench-substitution", o->bench_dir) < 0 ||
            asprintf(&sub_fixture, "%s/fixtures/bench-substitution.json", o->bench_dir) < 0) {
                r = -ENOMEM;
                goto out;
        }
        s.container_json = container_from_fixture(one, "b0000");
        r = s.container_json ? 0 : -ENOENT;
        for (size_t k = 0; k < SCHEME_FILES; k++)
                if (!(s.files[k] = golden_file(s.fixture_dir, "b0000", scheme_file_suffix[k], NULL)))
                        r = -ENOENT;
        if (r < 0) {
                r = asprintf(ret_error, "cannot read %s and %s/b0000.*", one, s.fixture_dir) < 0 ? -ENOMEM : -ENOENT;
                goto out;
        }
        r = bench_golden_setenv(s.fixture_dir, "b0000", &s.setenv);
        if (r < 0) {
                if (asprintf(ret_error, "%s/b0000.argv: %s", s.fixture_dir, strerror(-r)) < 0)
                        *ret_error = NULL;
                goto out;
        }
        r = check_one(&s, sub_dir, sub_fixture, 1, ret_error);
        if (r >= 0)
                r = check_one(&s, sub_dir, sub_fixture, 999, ret_error);
out:
        free(one);
        free(sub_dir);
        free(sub_fixture);
        if (r >= 0)
                *ret = s;
        else
                bench_scheme_free(&s);
        return r < 0 ? r : 0;
}

char *bench_scheme_config(const bench_scheme *s, unsigned n) {
        text out = { 0 };
        int r = text_puts(&out, "{");

        for (unsigned i = 0; r >= 0 && i < n; i++) {
                char *definition = subst_for(s->container_json, i);
                r = definition ? text_printf(&out, "%s\"b%04u\":%s", i ? "," : "", i, definition) : -ENOMEM;
                free(definition);
        }
        if (r >= 0)
                text_puts(&out, "}");
        if (r < 0) {
                text_free(&out);
                return NULL;
        }
        return text_steal(&out, NULL); /* NULL after a failed append */
}

void bench_containers_free(bench_containers *set) {
        for (unsigned i = 0; i < set->n; i++) {
                nc_env_free(set->envs ? set->envs[i] : NULL);
                if (set->envps)
                        nc_strv_clear(&set->envps[i]);
        }
        free(set->containers);
        free(set->envs);
        free(set->envps);
        nc_config_free(set->config);
        bench_scheme_free(&set->scheme);
        *set = (bench_containers) { 0 };
}

int bench_containers_load(const bench_options *o, unsigned n, const char *stub_dir, bench_containers *ret,
                          char **ret_error) {
        bench_containers set = { .containers = calloc(n, sizeof *set.containers), .envs = calloc(n, sizeof *set.envs),
                                 .envps = calloc(n, sizeof *set.envps) };
        const bench_scheme *s = &set.scheme;
        nc_error error = { { 0 } };
        char *json = NULL;
        int r = set.containers && set.envs && set.envps ? bench_scheme_load(o, &set.scheme, ret_error) : -ENOMEM;

        if (r >= 0 && !(json = bench_scheme_config(s, n)))
                r = -ENOMEM;
        if (r >= 0 && (r = nc_config_load_json(json, strlen(json), NC_MODE_STRICT, NULL, NULL, &set.config, &error)) < 0 &&
            asprintf(ret_error, "the scheme's config: %s", error.message) < 0)
                *ret_error = NULL;
        free(json);
        /* Container i: its definition and environment. */
        set.n = n; /* what is not made yet is zero, which frees */
        for (unsigned i = 0; r >= 0 && i < n; i++) {
                char name[16];
                snprintf(name, sizeof name, "b%04u", i);
                set.containers[i] = nc_config_find(set.config, name);
                r = set.containers[i] ? bench_scheme_envp(s, i, stub_dir, &set.envps[i]) : -ENOENT;
                if (r >= 0 && !(set.envs[i] = nc_env_new()))
                        r = -ENOMEM;
                if (r >= 0)
                        r = nc_env_load_environ(set.envs[i], set.envps[i].items);
        }
        if (r < 0) {
                bench_containers_free(&set);
                return r;
        }
        *ret = set;
        return 0;
}

int bench_scheme_write_scripts(const bench_scheme *s, scheme_file script, unsigned n, const char *dir,
                               char ***ret_paths) {
        char **paths = calloc(n ? n : 1, sizeof *paths);
        int r = paths ? 0 : -ENOMEM;

        for (unsigned i = 0; r >= 0 && i < n; i++) {
                char *script_text = subst_for(s->files[script], i);
                if (!script_text || asprintf(&paths[i], "%s/b%04u.%s", dir, i, scheme_file_suffix[script]) < 0) {
                        paths[i] = NULL;
                        r = -ENOMEM;
                } else
                        r = write_file_string(paths[i], script_text, 0644);
                free(script_text);
        }
        if (r < 0) {
                bench_paths_free(paths, n);
                return r;
        }
        *ret_paths = paths;
        return 0;
}

void bench_paths_free(char **paths, unsigned n) {
        for (unsigned i = 0; paths && i < n; i++)
                free(paths[i]);
        free(paths);
}

int bench_scheme_envp(const bench_scheme *s, unsigned i, const char *stub_dir, nc_strv *ret) {
        return bench_setenv_envp(&s->setenv, i, stub_dir, ret);
}

int bench_setenv_envp(const nc_strv *setenv, unsigned i, const char *stub_dir, nc_strv *ret) {
        const char *path = getenv("PATH");
        nc_strv envp = { 0 };
        char *line = NULL;
        int r = 0;

        for (size_t k = 0; r >= 0 && k < setenv->n; k++) {
                char *pair = subst_for(setenv->items[k], i);
                r = pair ? nc_strv_push(&envp, pair) : -ENOMEM;
                free(pair);
        }
        if (r >= 0 && asprintf(&line, "INSTANCE=b%04u", i) >= 0) {
                r = nc_strv_push(&envp, line);
                free(line);
        } else if (r >= 0)
                r = -ENOMEM;
        if (r >= 0 && asprintf(&line, "PATH=%s%s%s", stub_dir ? stub_dir : "", stub_dir ? ":" : "",
                               path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin") >= 0) {
                r = nc_strv_push(&envp, line);
                free(line);
        } else if (r >= 0)
                r = -ENOMEM;
        if (r >= 0)
                r = strv_null_terminate(&envp);
        if (r < 0) {
                nc_strv_clear(&envp);
                return r;
        }
        *ret = envp;
        return 0;
}

int bench_stub_dir(const bench_options *o, char **ret_dir) {
        const char *truth = access("/usr/bin/true", X_OK) == 0 ? "/usr/bin/true" : "/bin/true";
        char *dir = NULL, *link = NULL;
        int r = bench_work_dir(o, "stub", &dir);

        if (r >= 0 && asprintf(&link, "%s/machinectl", dir) < 0)
                r = -ENOMEM;
        if (r >= 0) {
                (void) unlink(link);
                if (symlink(truth, link) < 0)
                        r = -errno;
        }
        free(link);
        if (r >= 0)
                *ret_dir = dir;
        else
                free(dir);
        return r;
}
