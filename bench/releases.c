/* The releases rows 1 and 3 run side by side: every release the library
 * follows (nc_release_name()), each at the host stateVersion that changes
 * what it does (its own, where its module reads one), with the module and
 * nixpkgs lib harness/golden/releases gives it. The first is 21.05, the
 * seed, which the others are measured against. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "bench.h"

void bench_releases_free(bench_releases *list) {
        for (size_t i = 0; list->items && i < list->n; i++) {
                bench_release *r = &list->items[i];
                free(r->name), free(r->state_version), free(r->set), free(r->module), free(r->lib), free(r->golden);
        }
        free(list->items);
        *list = (bench_releases) { 0 };
}

/* harness/golden/releases' line for `name`: its module, nixpkgs lib commit
 * and own stateVersion ("-": it reads none). */
static int releases_line(const char *path, const char *name, char **ret_module, char **ret_commit, char **ret_own) {
        FILE *in = fopen(path, "re");
        char line[1024];
        int r = -ENOENT;

        if (!in)
                return -errno;
        while (r == -ENOENT && fgets(line, sizeof line, in)) {
                char release[64], module[512], commit[64], own[64];
                if (line[0] == '#' || sscanf(line, "%63s %511s %63s %63s", release, module, commit, own) != 4 ||
                    strcmp(release, name) != 0)
                        continue;
                *ret_module = strdup(module);
                *ret_commit = strdup(commit);
                *ret_own = strdup(own);
                r = *ret_module && *ret_commit && *ret_own ? 0 : -ENOMEM;
        }
        fclose(in);
        return r;
}

int bench_releases_load(const bench_options *o, bench_releases *ret, char **ret_error) {
        bench_releases list = { 0 };
        size_t capacity = 0;
        int r = 0;

        for (size_t i = 0; r >= 0 && nc_release_name(i); i++) {
                const char *name = nc_release_name(i);
                char *module = NULL, *commit = NULL, *own = NULL;
                bench_release *items = array_grow(list.items, &capacity, list.n + 1, sizeof *items), *b;
                if (!items) {
                        r = -ENOMEM;
                        break;
                }
                list.items = items;
                b = memset(&list.items[list.n++], 0, sizeof *b);
                r = releases_line(o->releases, name, &module, &commit, &own);
                if (r < 0) {
                        if (asprintf(ret_error, "%s: no line for release %s, which the library follows", o->releases,
                                     name) < 0)
                                *ret_error = NULL;
                } else if (i == 0) {
                        /* The seed: the bench's own options name its module and lib,
                         * its goldens are bench/golden/ itself. */
                        if (!(b->name = strdup(name)) || !(b->state_version = strdup(NC_STATE_VERSION_DEFAULT)) ||
                            !(b->set = strdup(name)) || !(b->module = strdup(o->module)) ||
                            !(b->lib = strdup(o->nixpkgs_lib)) || asprintf(&b->golden, "%s/golden", o->bench_dir) < 0)
                                r = -ENOMEM;
                } else {
                        bool reads = strcmp(own, "-") != 0;
                        if (!(b->name = strdup(name)) ||
                            !(b->state_version = strdup(reads ? own : NC_STATE_VERSION_DEFAULT)) ||
                            (reads ? asprintf(&b->set, "%s@%s", name, own) : asprintf(&b->set, "%s", name)) < 0 ||
                            !(b->module = strdup(module)) ||
                            asprintf(&b->lib, "%s/%s/lib", o->lib_cache, commit) < 0 ||
                            asprintf(&b->golden, "%s/golden/%s", o->bench_dir, b->set) < 0)
                                r = -ENOMEM;
                }
                free(module), free(commit), free(own);
        }
        if (r >= 0 && (list.n == 0 || strcmp(list.items[0].name, NC_RELEASE_DEFAULT) != 0))
                r = -EINVAL;
        if (r < 0) {
                bench_releases_free(&list);
                return r;
        }
        *ret = list;
        return 0;
}
