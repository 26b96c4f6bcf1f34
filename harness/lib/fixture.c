#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "array.h"
#include "fixture.h"
#include "strv.h"
#include "text.h"
#include "tier.h"

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static int compare_fixture(const void *a, const void *b) {
        return strcmp(((const fixture *) a)->id, ((const fixture *) b)->id);
}

static void set_error(char **ret_error, const char *format, const char *a, const char *b) {
        if (asprintf(ret_error, format, a, b) < 0)
                *ret_error = NULL;
}

/* The config every implementation is given: the export format
 * (ref/nix/export-containers.nix), which names the release and the host's
 * stateVersion the goldens were made at. */
static char *envelope(json_t *containers, const char *release, const char *state_version, json_t *enable) {
        json_t *root = json_pack("{s:s, s:s, s:s, s:O}", "format", "nixcontainer-containers/1", "release", release,
                                 "stateVersion", state_version, "containers", containers);

        /* A fixture's "bootEnableContainers": the host's boot.enableContainers. */
        if (root && json_is_boolean(enable))
                json_object_set(root, "enableContainers", enable);
        char *dumped = root ? json_dumps(root, JSON_INDENT(1) | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER) : NULL;

        json_decref(root);
        return dumped;
}

static int load_one(const char *path, const char *id, const char *golden_dir, const char *set, const char *tmpdir,
                    fixture *f, char **ret_error) {
        const char *at;
        json_error_t jerr;
        json_t *root, *containers, *guest, *value;
        const char *key;
        int r = 0;

        root = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (!root) {
                set_error(ret_error, "%s: %s", path, jerr.text);
                return -EINVAL;
        }
        containers = json_object_get(root, "containers");
        if (!json_is_object(containers) || !json_is_string(json_object_get(root, "description"))) {
                json_decref(root);
                set_error(ret_error, "%s: a fixture needs \"description\" and \"containers\"%s", path, "");
                return -EINVAL;
        }
        f->id = strdup(id);
        f->description = strdup(json_string_value(json_object_get(root, "description")));
        f->compat = json_is_true(json_object_get(root, "compat"));
        f->rejected = json_is_true(json_object_get(root, "rejected"));
        f->generate = !json_is_false(json_object_get(root, "generate"));
        if (json_is_string(json_object_get(root, "refusal")) &&
            !(f->refusal = strdup(json_string_value(json_object_get(root, "refusal")))))
                r = -ENOMEM;
        /* A set is RELEASE (the host at 21.05, or at the fixture's
         * hostStateVersion) or RELEASE@STATEVERSION. */
        at = strchr(set, '@');
        f->release = at ? strndup(set, (size_t) (at - set)) : strdup(set);
        f->state_version = strdup(at ? at + 1
                                  : json_is_string(json_object_get(root, "hostStateVersion"))
                                  ? json_string_value(json_object_get(root, "hostStateVersion"))
                                  : "21.05");
        if (!f->release || !f->state_version)
                r = -ENOMEM;
        else
                f->config_json = envelope(containers, f->release, f->state_version,
                                          json_object_get(root, "bootEnableContainers"));
        f->containers_json = json_dumps(containers, JSON_INDENT(1) | JSON_ENCODE_ANY);
        if (json_object_get(root, "host") && !(f->host_json = json_dumps(json_object_get(root, "host"), JSON_ENCODE_ANY)))
                r = -ENOMEM;
        if (!f->id || !f->description || !f->containers_json || !f->config_json || asprintf(&f->golden_dir, "%s/%s", golden_dir, id) < 0 ||
            asprintf(&f->config_path, "%s/%s.json", tmpdir, id) < 0)
                r = -ENOMEM;
        /* A release that refuses the fixture (an option it does not have,
         * a value its types refuse, a failing assertion) has its refusal as
         * the golden, whether or not the fixture says "rejected". */
        if (r >= 0 && !f->rejected) {
                char *refusal = read_file_at(f->golden_dir, "eval-error", NULL);

                f->rejected = refusal != NULL;
                free(refusal);
        }
        json_object_foreach(containers, key, value)
                if (r >= 0)
                        r = nc_strv_push(&f->names, key);
        json_object_foreach(json_object_get(root, "imperative"), key, value)
                if (r >= 0)
                        r = nc_strv_push(&f->imperative, key);
        for (size_t i = 0; r >= 0 && i < f->names.n; i++)
                r = nc_strv_push(&f->unit_names, f->names.items[i]);
        for (size_t i = 0; r >= 0 && i < f->imperative.n; i++)
                r = nc_strv_push(&f->unit_names, f->imperative.items[i]);
        if (f->names.n)
                qsort(f->names.items, f->names.n, sizeof(char *), compare_strings);
        if (f->unit_names.n)
                qsort(f->unit_names.items, f->unit_names.n, sizeof(char *), compare_strings);
        guest = json_object_get(root, "guestSystem");
        json_object_foreach(guest, key, value) {
                if (r >= 0)
                        r = nc_strv_push(&f->guest_names, key);
                if (r >= 0)
                        r = nc_strv_push(&f->guest_systems, json_is_string(value) ? json_string_value(value) : "");
        }
        json_decref(root);
        if (r < 0)
                return r;
        return write_file(f->config_path, f->config_json, strlen(f->config_json), 0644);
}

int fixture_use_exported(fixture *f) {
        char *path = NULL, *exported = NULL;
        size_t len;
        int r;

        if (asprintf(&path, "%s/containers.json", f->golden_dir) < 0)
                return -ENOMEM;
        r = read_file(path, 64u << 20, &exported, &len);
        free(path);
        if (r < 0)
                return r;
        free(f->config_json);
        f->config_json = exported;
        return write_file(f->config_path, exported, len, 0644);
}

/* scandir()'s filter: a fixture is a file NAME.json. */
static int is_fixture_file(const struct dirent *entry) {
        size_t len = strlen(entry->d_name);
        return len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0;
}

int fixture_set_load(const char *fixtures_dir, const char *golden_dir, const char *set_name, fixture_set *ret_set,
                     char **ret_error) {
        fixture_set set = { 0 };
        struct dirent **entries = NULL;
        int n, r;

        *ret_error = NULL;
        r = tier_scratch_new(&set.tmpdir);
        if (r < 0)
                return r;
        n = scandir(fixtures_dir, &entries, is_fixture_file, NULL);
        if (n < 0) {
                r = -errno;
                set_error(ret_error, "%s: %s", fixtures_dir, strerror(-r));
        } else if (!(set.items = calloc(n ? (size_t) n : 1, sizeof *set.items)))
                r = -ENOMEM;
        for (int i = 0; r >= 0 && i < n; i++) {
                const char *name = entries[i]->d_name;
                char *id = strndup(name, strlen(name) - 5), *path = NULL;

                if (!id || asprintf(&path, "%s/%s", fixtures_dir, name) < 0) {
                        path = NULL;
                        r = -ENOMEM;
                } else
                        /* Counted before it loads: what a failure leaves is freed with the set. */
                        r = load_one(path, id, golden_dir, set_name, set.tmpdir, &set.items[set.n++], ret_error);
                free(path);
                free(id);
        }
        for (int i = 0; i < n; i++)
                free(entries[i]);
        free(entries);
        if (r < 0) {
                fixture_set_free(&set);
                return r;
        }
        qsort(set.items, set.n, sizeof *set.items, compare_fixture);
        *ret_set = set;
        return 0;
}

static void fixture_clear(void *item) {
        fixture *f = item;

        if (f->config_path)
                unlink(f->config_path);
        free(f->id);
        free(f->description);
        free(f->refusal);
        free(f->containers_json);
        free(f->config_json);
        free(f->config_path);
        free(f->golden_dir);
        free(f->release);
        free(f->state_version);
        free(f->host_json);
        nc_strv_clear(&f->names);
        nc_strv_clear(&f->imperative);
        nc_strv_clear(&f->unit_names);
        nc_strv_clear(&f->guest_names);
        nc_strv_clear(&f->guest_systems);
}

void fixture_set_free(fixture_set *set) {
        array_free(set->items, set->n, sizeof *set->items, fixture_clear);
        tier_scratch_remove(set->tmpdir);
        free(set->tmpdir);
        memset(set, 0, sizeof *set);
}

nc_mode fixture_mode(const fixture *f) {
        return f->compat ? NC_MODE_COMPAT : NC_MODE_STRICT;
}

const char *fixture_guest_system(const fixture *f, const char *name) {
        for (size_t i = 0; i < f->guest_names.n; i++)
                if (strcmp(f->guest_names.items[i], name) == 0)
                        return f->guest_systems.items[i];
        return "x86_64-linux";
}

char *golden_read(const fixture *f, const char *file, size_t *ret_len) {
        return read_file_at(f->golden_dir, file, ret_len);
}

bool golden_start_failed(const fixture *f, const char *name) {
        char *path = NULL;
        bool failed;

        if (asprintf(&path, "%s/%s.start-error", f->golden_dir, name) < 0)
                return false;
        failed = access(path, F_OK) == 0;
        free(path);
        return failed;
}

bool golden_strict_shell(const fixture *f, const char *name) {
        char *file = NULL, *data;
        json_t *unit;
        bool strict;

        if (asprintf(&file, "%s.service.json", name) < 0)
                return false;
        data = golden_read(f, file, NULL);
        free(file);
        unit = data ? json_loads(data, 0, NULL) : NULL;
        strict = json_is_true(json_object_get(unit, "enableStrictShellChecks"));
        json_decref(unit);
        free(data);
        return strict;
}

static bool plain_name(const char *s, size_t len) {
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '-' || c == '\'')))
                        return false;
        }
        return len > 0;
}

char *golden_refused_option(const fixture *f) {
        char *eval_error = golden_read(f, "eval-error", NULL), *out = NULL;
        const char *start = eval_error ? strchr(eval_error, '`') : NULL, *end = start ? strchr(start, '\'') : NULL;
        text b = { 0 };

        if (!start || !end) {
                free(eval_error);
                if (asprintf(&out, "containers.%s", f->names.n ? f->names.items[0] : "") < 0)
                        return NULL;
                return out;
        }
        for (const char *p = start + 1; p < end;) {
                /* Newer libs quote a component that is not an identifier
                 * (lib.showOption): containers.web.bindMounts."/d".hostPath. */
                bool quoted = *p == '"' && memchr(p + 1, '"', (size_t) (end - p - 1));
                const char *close = quoted ? memchr(p + 1, '"', (size_t) (end - p - 1)) : NULL;
                const char *name = quoted ? p + 1 : p;
                const char *dot = memchr(quoted ? close : p, '.', (size_t) (end - (quoted ? close : p)));
                size_t len = quoted ? (size_t) (close - name) : dot ? (size_t) (dot - p) : (size_t) (end - p);
                unsigned definition, entry;
                if (sscanf(name, "[definition %u-entry %u]", &definition, &entry) == 2)
                        text_printf(&b, "[%u]", entry - 1);
                else if (plain_name(name, len))
                        text_printf(&b, "%s%.*s", text_length(&b) ? "." : "", (int) len, name);
                else
                        text_printf(&b, "%s\"%.*s\"", text_length(&b) ? "." : "", (int) len, name);
                p = dot ? dot + 1 : end;
        }
        free(eval_error);
        out = text_steal(&b, NULL);
        return out;
}

int golden_read_argv(const fixture *f, const char *name, nc_strv *ret_argv) {
        char *file = NULL, *data;
        size_t len = 0;
        int r;

        if (asprintf(&file, "%s.argv", name) < 0)
                return -ENOMEM;
        data = golden_read(f, file, &len);
        free(file);
        if (!data)
                return -ENOENT;
        r = split_nul(data, len, ret_argv);
        free(data);
        return r;
}

