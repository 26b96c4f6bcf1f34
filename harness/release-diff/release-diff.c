/* release-diff: what behaves differently between two golden sets (two
 * releases of the module, or one release at two host stateVersions), fixture
 * by fixture and container by container, classified as golden/RELEASES.md
 * shows it. `make release-diff` runs it over the adjacent releases of
 * harness/golden/releases; `make release-diff FROM=A TO=B` over one pair.
 *
 *   release-diff --golden DIR --fixtures DIR --pair FROM:TO... [--out FILE]
 *
 * Every class compares behaviour, not text: the env file as systemd parses
 * it (the library's EnvironmentFile= parser, which the suite checks against
 * systemd's own), argv as a list of flags, nspawn's environment and the
 * unit's properties as NAME=VALUE pairs, the `ip` steps, the hosts lines,
 * the network state. A script whose text changed while none of those did is
 * counted apart ("script text only"), so it never hides a behaviour change. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "array.h"
#include "args.h"
#include "fixture.h"
#include "nixcontainer.h"
#include "strv.h"
#include "text.h"

/* The classes, in the order the report lists them. */
typedef enum diff_class {
        CLASS_OUTCOME,     /* evaluates/starts under one, not the other */
        CLASS_ENV_FILE,    /* keys of the env file, as systemd parses it */
        CLASS_ENV_PATH,    /* where the env file is */
        CLASS_ARGV,        /* nspawn's flags */
        CLASS_NSPAWN_ENV,  /* the environment nspawn is started with */
        CLASS_UNIT,        /* the unit's properties */
        CLASS_IP_STEPS,    /* the `ip` commands of preStart, postStart, container-init */
        CLASS_HOSTS,       /* networking.extraHosts */
        CLASS_NETWORK,     /* the final network state (NAME.net) */
        CLASS_SCRIPT_TEXT, /* a script's text changed and nothing above did */
        N_CLASSES,
} diff_class;

static const char *const class_titles[N_CLASSES] = {
        [CLASS_OUTCOME] = "starts or fails",
        [CLASS_ENV_FILE] = "env file keys",
        [CLASS_ENV_PATH] = "env file path",
        [CLASS_ARGV] = "argv flags",
        [CLASS_NSPAWN_ENV] = "nspawn's environment",
        [CLASS_UNIT] = "unit properties",
        [CLASS_IP_STEPS] = "ip steps",
        [CLASS_HOSTS] = "extraHosts",
        [CLASS_NETWORK] = "network state",
        [CLASS_SCRIPT_TEXT] = "script text only",
};

/* What one fixture's comparison found: a line of text per difference. */
typedef struct fixture_diff {
        text lines[N_CLASSES];
        unsigned count[N_CLASSES];
} fixture_diff;

static void note(fixture_diff *d, diff_class c, const char *format, ...) __attribute__((format(printf, 3, 4)));
static void note(fixture_diff *d, diff_class c, const char *format, ...) {
        char *line = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&line, format, ap);
        va_end(ap);
        if (r < 0)
                return;
        /* Store paths shortened to their names: /nix/store/HASH-name as
         * /nix/store/…-name (the hashes say nothing a reader needs). */
        text_puts(&d->lines[c], "  - ");
        for (const char *p = line; *p;) {
                const char *store = strstr(p, "/nix/store/");

                if (!store || strlen(store) < 11 + 33 || store[11 + 32] != '-') {
                        text_puts(&d->lines[c], p);
                        break;
                }
                text_append(&d->lines[c], p, (size_t) (store - p));
                text_puts(&d->lines[c], "/nix/store/\u2026");
                p = store + 11 + 32;
        }
        text_puts(&d->lines[c], "\n");
        free(line);
        d->count[c]++;
}

static char *golden_file(const char *set_dir, const char *id, const char *file, size_t *ret_len) {
        char *path = NULL, *data = NULL;

        if (asprintf(&path, "%s/%s/%s", set_dir, id, file) >= 0 && read_file(path, 64u << 20, &data, ret_len) < 0)
                data = NULL;
        free(path);
        return data;
}

/* A file's entries, split at `sep` ('\n' or '\0'); a last separator
 * ends the last entry and opens none. */
static void split(const char *data, size_t len, char sep, nc_strv *ret) {
        size_t start = 0;

        for (size_t i = 0; data && i < len; i++)
                if (data[i] == sep) {
                        nc_strv_push_len(ret, data + start, i - start);
                        start = i + 1;
                }
        if (data && start < len)
                nc_strv_push_len(ret, data + start, len - start);
}

static int compare_items(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void strv_sort(nc_strv *v) {
        if (v->n > 1)
                qsort(v->items, v->n, sizeof v->items[0], compare_items);
}

/* NAME=VALUE lists (env, unit properties): added, removed, changed. */
static void compare_assignments(fixture_diff *d, diff_class c, const char *what, const nc_strv *from, const nc_strv *to) {
        for (size_t i = 0; i < to->n; i++) {
                const char *eq = strchr(to->items[i], '=');
                size_t name_len = eq ? (size_t) (eq - to->items[i]) : strlen(to->items[i]);
                const char *old = NULL;

                for (size_t j = 0; j < from->n && !old; j++)
                        if (strncmp(from->items[j], to->items[i], name_len + 1) == 0 ||
                            (strncmp(from->items[j], to->items[i], name_len) == 0 && from->items[j][name_len] == '\0'))
                                old = from->items[j];
                if (!old)
                        note(d, c, "%s: added `%s`", what, to->items[i]);
                else if (strcmp(old, to->items[i]) != 0)
                        note(d, c, "%s: `%s` -> `%s`", what, old, to->items[i]);
        }
        for (size_t j = 0; j < from->n; j++) {
                const char *eq = strchr(from->items[j], '=');
                size_t name_len = eq ? (size_t) (eq - from->items[j]) : strlen(from->items[j]);
                bool found = false;

                for (size_t i = 0; i < to->n && !found; i++)
                        found = strncmp(from->items[j], to->items[i], name_len) == 0 &&
                                (to->items[i][name_len] == '=' || to->items[i][name_len] == '\0');
                if (!found)
                        note(d, c, "%s: removed `%s`", what, from->items[j]);
        }
}

/* Lists where order matters (argv, ip steps): added, removed, and
 * reordered when the items both have stand in another order. */
static void compare_sequences(fixture_diff *d, diff_class c, const char *what, const nc_strv *from, const nc_strv *to) {
        size_t i = 0, j = 0;

        for (size_t k = 0; k < to->n; k++)
                if (!strv_contains(from, to->items[k]))
                        note(d, c, "%s: added `%s`", what, to->items[k]);
        for (size_t k = 0; k < from->n; k++)
                if (!strv_contains(to, from->items[k]))
                        note(d, c, "%s: removed `%s`", what, from->items[k]);
        /* The common items, each list's in its own order. */
        for (;;) {
                while (i < from->n && !strv_contains(to, from->items[i]))
                        i++;
                while (j < to->n && !strv_contains(from, to->items[j]))
                        j++;
                if (i >= from->n || j >= to->n)
                        return;
                if (strcmp(from->items[i], to->items[j]) != 0) {
                        note(d, c, "%s: reordered (`%s` now where `%s` was)", what, to->items[j], from->items[i]);
                        return;
                }
                i++;
                j++;
        }
}

/* The env file as systemd's EnvironmentFile= reads it, as NAME=VALUE. */
static void env_file_assignments(const char *data, size_t len, nc_strv *ret) {
        nc_env *env = nc_env_new();
        nc_error error;

        if (!env || !data)
                goto done;
        if (nc_env_file_parse(env, data, len, &error) < 0) {
                char *entry = NULL;

                if (asprintf(&entry, "(systemd skips the file: %s)", error.message) >= 0)
                        nc_strv_push(ret, entry);
                free(entry);
                goto done;
        }
        for (size_t i = 0; i < nc_env_count(env); i++) {
                char *entry = NULL;

                if (asprintf(&entry, "%s=%s", nc_env_name_at(env, i), nc_env_value_at(env, i)) >= 0)
                        nc_strv_push(ret, entry);
                free(entry);
        }
done:
        nc_env_free(env);
}

/* A JSON value as PATH=VALUE lines (objects by key, arrays by index). */
static void json_flatten(const json_t *value, const char *path, nc_strv *ret) {
        char *child = NULL;

        if (json_is_object(value)) {
                const char *key;
                json_t *member;

                json_object_foreach((json_t *) value, key, member) {
                        if (asprintf(&child, "%s%s%s", path, *path ? "." : "", key) < 0)
                                return;
                        json_flatten(member, child, ret);
                        free(child);
                }
        } else if (json_is_array(value)) {
                size_t i;
                json_t *item;

                json_array_foreach(value, i, item) {
                        if (asprintf(&child, "%s[%zu]", path, i) < 0)
                                return;
                        json_flatten(item, child, ret);
                        free(child);
                }
        } else {
                char *dumped = json_dumps(value, JSON_ENCODE_ANY);

                if (dumped && asprintf(&child, "%s=%s", path, dumped) >= 0)
                        nc_strv_push(ret, child);
                free(child);
                free(dumped);
        }
}

static void unit_properties(const char *data, nc_strv *ret) {
        json_t *root = data ? json_loads(data, 0, NULL) : NULL;

        if (root)
                json_flatten(root, "", ret);
        json_decref(root);
}

/* Reads FILE from both sets and splits it with `sep`. Returns which sets
 * have it: bit 0 the first, bit 1 the second. */
static unsigned both(const char *from_dir, const char *to_dir, const char *id, const char *file, char sep,
                     nc_strv *ret_from, nc_strv *ret_to) {
        size_t from_len = 0, to_len = 0;
        char *from = golden_file(from_dir, id, file, &from_len);
        char *to = golden_file(to_dir, id, file, &to_len);
        unsigned present = (from ? 1u : 0u) | (to ? 2u : 0u);

        split(from, from_len, sep, ret_from);
        split(to, to_len, sep, ret_to);
        free(from);
        free(to);
        return present;
}

static void compare_file_lines(fixture_diff *d, diff_class c, const char *from_dir, const char *to_dir,
                               const char *id, const char *file, char sep, bool ordered) {
        nc_strv from = { 0 }, to = { 0 };
        unsigned present = both(from_dir, to_dir, id, file, sep, &from, &to);

        if ((present == 1 || present == 2) && c == CLASS_NETWORK) {
                /* Made under one set only (the other failed before it): the
                 * network state in one line, not its every entry. */
                note(d, c, "%s: only in %s", file, basename(present == 1 ? from_dir : to_dir));
        } else if (present) {
                if (ordered)
                        compare_sequences(d, c, file, &from, &to);
                else
                        compare_assignments(d, c, file, &from, &to);
        }
        nc_strv_clear(&from);
        nc_strv_clear(&to);
}

/* nspawn's flags as units: a short option or --setenv with the argument
 * that follows it ("-M web", "--setenv PATH=..."), the container-init's
 * store path as <container-init> (its text is compared as a script). */
static void argv_flags(const nc_strv *argv, nc_strv *ret) {
        for (size_t i = 0; i < argv->n; i++) {
                const char *a = argv->items[i];
                size_t len = strlen(a);
                char *flag = NULL;

                if (i + 1 < argv->n && ((a[0] == '-' && a[1] != '-' && len == 2) || strcmp(a, "--setenv") == 0)) {
                        if (asprintf(&flag, "%s %s", a, argv->items[++i]) < 0)
                                return;
                } else if (strncmp(a, "/nix/store/", 11) == 0 && len > 15 && strcmp(a + len - 15, "-container-init") == 0) {
                        flag = strdup("<container-init>");
                } else {
                        flag = strdup(a);
                }
                if (flag)
                        nc_strv_push(ret, flag);
                free(flag);
        }
}

static void compare_argv(fixture_diff *d, const char *from_dir, const char *to_dir, const char *id,
                         const char *file) {
        nc_strv from = { 0 }, to = { 0 }, from_flags = { 0 }, to_flags = { 0 };

        both(from_dir, to_dir, id, file, '\0', &from, &to);
        argv_flags(&from, &from_flags);
        argv_flags(&to, &to_flags);
        compare_sequences(d, CLASS_ARGV, file, &from_flags, &to_flags);
        nc_strv_clear(&from);
        nc_strv_clear(&to);
        nc_strv_clear(&from_flags);
        nc_strv_clear(&to_flags);
}

/* The one-line outcome of a container: evaluated and started, or where it
 * stopped. */
static char *outcome(const char *set_dir, const char *id, const char *name) {
        static const char *const failures[] = { "start-error", "prestart.error", "host-setup.error", "init-setup.error" };
        char file[512], *data;

        if ((data = golden_file(set_dir, id, "eval-error", NULL))) {
                data[strcspn(data, "\n")] = '\0';
                return data;
        }
        for (size_t i = 0; i < ELEMENTSOF(failures); i++) {
                snprintf(file, sizeof file, "%s.%s", name, failures[i]);
                if ((data = golden_file(set_dir, id, file, NULL))) {
                        char *line = NULL, *end;

                        /* Its first two lines ("the start script failed:"
                         * and bash's message), as one. */
                        if ((end = strchr(data, '\n')) && (end = strchr(end + 1, '\n')))
                                *end = '\0';
                        for (char *p = data; *p; p++)
                                if (*p == '\n')
                                        *p = ' ';
                        if (asprintf(&line, "%s: %s", failures[i], data) < 0)
                                line = NULL;
                        free(data);
                        return line;
                }
        }
        return strdup("starts");
}

/* The containers of a fixture in a set: NAME of every NAME.conf. */
static void container_names(const char *set_dir, const char *id, nc_strv *names) {
        char *dir = NULL;
        DIR *d;
        struct dirent *e;

        if (asprintf(&dir, "%s/%s", set_dir, id) < 0)
                return;
        d = opendir(dir);
        free(dir);
        if (!d)
                return;
        while ((e = readdir(d))) {
                size_t len = strlen(e->d_name);

                if (len > 5 && strcmp(e->d_name + len - 5, ".conf") == 0) {
                        char *name = strndup(e->d_name, len - 5);

                        if (name && !strv_contains(names, name))
                                nc_strv_push(names, name);
                        free(name);
                }
        }
        closedir(d);
        strv_sort(names);
}

static bool same_file(const char *from_dir, const char *to_dir, const char *id, const char *file) {
        size_t from_len = 0, to_len = 0;
        char *from = golden_file(from_dir, id, file, &from_len);
        char *to = golden_file(to_dir, id, file, &to_len);
        bool same = (!from && !to) || (from && to && from_len == to_len && memcmp(from, to, from_len) == 0);

        free(from);
        free(to);
        return same;
}

static void compare_container(fixture_diff *d, const char *from_dir, const char *to_dir, const char *id,
                              const char *name) {
        static const char *const scripts[] = { "init", "prestart", "poststart" };
        static const char *const steps[] = { "prestart.ip", "host-setup.ip", "init-setup.ip" };
        char *from_outcome = outcome(from_dir, id, name), *to_outcome = outcome(to_dir, id, name);
        unsigned behaviour = 0;
        char file[512];

        if (from_outcome && to_outcome && strcmp(from_outcome, to_outcome) != 0)
                note(d, CLASS_OUTCOME, "%s: %s -> %s", name, from_outcome, to_outcome);
        free(from_outcome);
        free(to_outcome);

        {
                size_t from_len = 0, to_len = 0;
                char *from, *to;
                nc_strv from_env = { 0 }, to_env = { 0 };

                snprintf(file, sizeof file, "%s.conf", name);
                from = golden_file(from_dir, id, file, &from_len);
                to = golden_file(to_dir, id, file, &to_len);
                env_file_assignments(from, from_len, &from_env);
                env_file_assignments(to, to_len, &to_env);
                compare_assignments(d, CLASS_ENV_FILE, file, &from_env, &to_env);
                free(from);
                free(to);
                nc_strv_clear(&from_env);
                nc_strv_clear(&to_env);
        }
        snprintf(file, sizeof file, "%s.conf-path", name);
        compare_file_lines(d, CLASS_ENV_PATH, from_dir, to_dir, id, file, '\n', false);
        snprintf(file, sizeof file, "%s.argv", name);
        compare_argv(d, from_dir, to_dir, id, file);
        snprintf(file, sizeof file, "%s.nspawn-env", name);
        compare_file_lines(d, CLASS_NSPAWN_ENV, from_dir, to_dir, id, file, '\0', false);
        {
                char *from, *to;
                nc_strv from_props = { 0 }, to_props = { 0 };

                snprintf(file, sizeof file, "%s.service.json", name);
                from = golden_file(from_dir, id, file, NULL);
                to = golden_file(to_dir, id, file, NULL);
                unit_properties(from, &from_props);
                unit_properties(to, &to_props);
                compare_assignments(d, CLASS_UNIT, file, &from_props, &to_props);
                free(from);
                free(to);
                nc_strv_clear(&from_props);
                nc_strv_clear(&to_props);
        }
        for (size_t i = 0; i < ELEMENTSOF(steps); i++) {
                snprintf(file, sizeof file, "%s.%s", name, steps[i]);
                compare_file_lines(d, CLASS_IP_STEPS, from_dir, to_dir, id, file, '\n', true);
        }
        snprintf(file, sizeof file, "%s.net", name);
        compare_file_lines(d, CLASS_NETWORK, from_dir, to_dir, id, file, '\n', true);

        for (diff_class c = 0; c < CLASS_SCRIPT_TEXT; c++)
                behaviour += d->count[c];
        for (size_t i = 0; i < ELEMENTSOF(scripts); i++) {
                snprintf(file, sizeof file, "%s.%s", name, scripts[i]);
                if (!same_file(from_dir, to_dir, id, file))
                        note(d, CLASS_SCRIPT_TEXT, "%s%s", file,
                             behaviour ? " (and behaviour changed: see above)" : "");
        }
}

typedef struct pair_totals {
        unsigned fixtures_differ, fixtures_same, fixtures_text_only;
        unsigned count[N_CLASSES];
} pair_totals;

static void compare_fixture(text *out, pair_totals *totals, const char *from_dir, const char *to_dir,
                            const char *id, const char *label) {
        fixture_diff d = { 0 };
        nc_strv names = { 0 };
        unsigned behaviour = 0;

        container_names(from_dir, id, &names);
        container_names(to_dir, id, &names);
        if (names.n == 0) {
                /* Refused by both, or by one: only the outcome. */
                char *from = outcome(from_dir, id, ""), *to = outcome(to_dir, id, "");

                if (from && to && strcmp(from, to) != 0)
                        note(&d, CLASS_OUTCOME, "%s -> %s", from, to);
                free(from);
                free(to);
        }
        for (size_t i = 0; i < names.n; i++)
                compare_container(&d, from_dir, to_dir, id, names.items[i]);
        compare_file_lines(&d, CLASS_HOSTS, from_dir, to_dir, id, "hosts", '\n', true);

        for (diff_class c = 0; c < N_CLASSES; c++) {
                totals->count[c] += d.count[c];
                if (c != CLASS_SCRIPT_TEXT)
                        behaviour += d.count[c];
        }
        if (behaviour == 0 && d.count[CLASS_SCRIPT_TEXT] == 0)
                totals->fixtures_same++;
        else if (behaviour == 0)
                totals->fixtures_text_only++;
        else
                totals->fixtures_differ++;
        if (behaviour > 0 || d.count[CLASS_SCRIPT_TEXT] > 0) {
                text_printf(out, "\n#### %s\n", label);
                for (diff_class c = 0; c < N_CLASSES; c++)
                        if (d.count[c]) {
                                const char *lines = text_data(&d.lines[c], NULL);

                                text_printf(out, "- %s:\n%s", class_titles[c], lines ? lines : "");
                        }
        }
        for (diff_class c = 0; c < N_CLASSES; c++)
                text_free(&d.lines[c]);
        nc_strv_clear(&names);
}

/* `sources`: "DIR" (goldens in golden/SET/ID) or "DIR:SUB" (in
 * golden/SET/SUB/ID, shown as SUB/ID), each fixture folder in turn. */
static int compare_pair(FILE *out, const char *golden, const nc_strv *sources, const char *from, const char *to) {
        text body = { 0 };
        pair_totals totals = { 0 };
        int r = 0;

        for (size_t s = 0; s < sources->n && r >= 0; s++) {
                const char *colon = strchr(sources->items[s], ':');
                char *dir = colon ? strndup(sources->items[s], (size_t) (colon - sources->items[s]))
                                  : strdup(sources->items[s]);
                const char *sub = colon ? colon + 1 : NULL;
                char *from_dir = NULL, *to_dir = NULL, *error = NULL;
                fixture_set fixtures = { 0 };

                if (!dir || asprintf(&from_dir, "%s/%s%s%s", golden, from, sub ? "/" : "", sub ? sub : "") < 0 ||
                    asprintf(&to_dir, "%s/%s%s%s", golden, to, sub ? "/" : "", sub ? sub : "") < 0)
                        r = -ENOMEM;
                if (r >= 0 && (r = fixture_set_load(dir, from_dir, from, &fixtures, &error)) < 0)
                        fprintf(stderr, "release-diff: %s\n", error ? error : strerror(-r));
                free(error);
                for (size_t i = 0; r >= 0 && i < fixtures.n; i++) {
                        const char *id = fixtures.items[i].id;
                        char *label = NULL;

                        if (asprintf(&label, "%s%s%s", sub ? sub : "", sub ? "/" : "", id) < 0) {
                                r = -ENOMEM;
                                break;
                        }
                        compare_fixture(&body, &totals, from_dir, to_dir, id, label);
                        free(label);
                }
                fixture_set_free(&fixtures);
                free(from_dir);
                free(to_dir);
                free(dir);
        }
        if (r < 0) {
                text_free(&body);
                return r;
        }

        fprintf(out, "\n## %s -> %s\n\n", from, to);
        fprintf(out, "%u fixtures behave differently, %u differ in script text only, %u are the same.\n\n",
                totals.fixtures_differ, totals.fixtures_text_only, totals.fixtures_same);
        fprintf(out, "| class | differences |\n|---|---|\n");
        for (diff_class c = 0; c < N_CLASSES; c++)
                fprintf(out, "| %s | %u |\n", class_titles[c], totals.count[c]);
        {
                const char *lines = text_data(&body, NULL);

                if (lines && *lines)
                        fprintf(out, "\n### By fixture\n%s", lines);
        }
        text_free(&body);
        return 0;
}

/* What --help adds to the synopsis. */
static const char notes[] =
        "Writes what behaves differently between golden/FROM/ and golden/TO/, fixture by\n"
        "fixture, as Markdown (golden/RELEASES.md in `make release-diff`). The goldens of\n"
        "--fixtures DIR:SUB are in golden/SET/SUB/.\n";

int main(int argc, char **argv) {
        const char *golden = NULL, *out_path = NULL;
        nc_strv pairs = { 0 }, fixtures = { 0 };
        const arg_option options[] = {
                ARG("golden", ARG_STRING, &golden, .arg = "DIR", .required = true),
                ARG("fixtures", ARG_STRINGS, &fixtures, .arg = "DIR[:SUB]", .required = true),
                ARG("pair", ARG_STRINGS, &pairs, .arg = "FROM:TO", .required = true),
                ARG("out", ARG_STRING, &out_path, .arg = "FILE"),
                { NULL },
        };
        args_parse(argc, argv, options, notes);

        FILE *out = stdout;
        int r = 0;

        if (out_path && !(out = fopen(out_path, "we"))) {
                fprintf(stderr, "release-diff: %s: %s\n", out_path, strerror(errno));
                nc_strv_clear(&pairs);
                nc_strv_clear(&fixtures);
                return 1;
        }
        fprintf(out, "# Behaviour differences between releases of nixos-containers.nix\n\n"
                     "Generated by `make release-diff` from `golden/` (harness/release-diff/); do not edit.\n"
                     "Each section compares two golden sets fixture by fixture. A set is a release's\n"
                     "module at the host stateVersion 21.05 (`RELEASE`), or at the release's own\n"
                     "stateVersion (`RELEASE@VERSION`). \"script text only\" counts scripts whose text\n"
                     "changed where no behaviour did.\n");
        for (size_t i = 0; i < pairs.n && r >= 0; i++) {
                char *colon = strchr(pairs.items[i], ':');

                if (!colon) {
                        fprintf(stderr, "release-diff: --pair %s: FROM:TO expected\n", pairs.items[i]);
                        r = -EINVAL;
                        break;
                }
                *colon = '\0';
                r = compare_pair(out, golden, &fixtures, pairs.items[i], colon + 1);
                if (r < 0)
                        fprintf(stderr, "release-diff: %s -> %s: %s\n", pairs.items[i], colon + 1, strerror(-r));
        }
        if (out != stdout && fclose(out) != 0 && r >= 0)
                r = -errno;
        nc_strv_clear(&pairs);
        nc_strv_clear(&fixtures);
        return r < 0 ? 1 : 0;
}
