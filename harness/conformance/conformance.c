/* The conformance suite: for every fixture, the implementation's env files,
 * hosts fragment and nspawn argv must equal what the original module
 * produced (golden/<fixture>/, written by `make golden`).
 *
 *   test-conformance --fixtures DIR --golden DIR [--cli "CMD"] [--only ID]
 *
 * The library is checked in-process; --cli checks any program that honours
 * the nixcontainer CLI contract (our own, or another implementation's).
 * Unit properties (NAME.service.json) are compared as JSON values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <jansson.h>

#include "nixcontainer-test.h"
#include "args.h"
#include "array.h"
#include "fixture.h"
#include "report.h"
#include "results.h"
#include "suite.h"
#include "run.h"
#include "strv.h"
#include "text.h"
#include "tier.h"

static fixture_set fixtures;
static const char *cli_command;
/* --exact-messages: a CLI's refusal must be the ref's message byte for
 * byte; otherwise it need only name the option (the wording is each
 * implementation's own). */
static bool exact_messages;

/* CU_ASSERT_TRUE for a check of the current fixture (report.h). */
#define ASSERT_CHECK(ok, side, check) REPORT_ASSERT(ok, current->id, side, check)
static const fixture *current;
static report_table report;

/* A suite per fixture, named by its id; CUnit's init takes no argument, so
 * find the fixture by the running suite's name. */
static int fixture_suite_init(void) {
        CU_pSuite suite = CU_get_current_suite();
        for (size_t i = 0; suite && i < fixtures.n; i++)
                if (strcmp(fixtures.items[i].id, suite->pName) == 0) {
                        current = &fixtures.items[i];
                        return 0;
                }
        return 1;
}

/* ---- helpers ------------------------------------------------------------ */

static nc_env *golden_unit_env(const fixture *f, const char *name) {
        char file[512];
        size_t len;
        char *data;
        nc_env *env;

        snprintf(file, sizeof file, "%s.unit-env", name);
        data = golden_read(f, file, &len);
        if (!data)
                return NULL;
        env = nc_env_new();
        if (env && nc_env_file_parse(env, data, len, NULL) < 0) {
                nc_env_free(env);
                env = NULL;
        }
        free(data);
        return env;
}

static bool golden_argv(const fixture *f, const char *name, nc_strv *ret) {
        return golden_read_argv(f, name, ret) == 0 && ret->n >= 2;
}

/* ---- library checks ----------------------------------------------------- */

/* The unit of container `name`: its definition, or the release's
 * container@ template for an imperative one. */
static const nc_container *unit_container(const nc_config *config, const char *name) {
        const nc_container *c = nc_config_find(config, name);
        return c ? c : nc_config_template(config);
}

/* The env file the unit reads: the library's rendering for a declarative
 * container, the golden (nixos-container's) for an imperative one. */
static int unit_env_file(const nc_container *container, const char *name, char **ret_text, size_t *ret_len) {
        char file[512];

        if (nc_container_name(container))
                return nc_render_env_file(container, ret_text, ret_len);
        snprintf(file, sizeof file, "%s.conf", name);
        *ret_text = golden_read(current, file, ret_len);
        return *ret_text ? 0 : -ENOENT;
}

static nc_config *load_config(void) {
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        int r = nc_config_load_json(current->config_json, strlen(current->config_json),
                                    fixture_mode(current), NULL, NULL, &config, &error);
        if (r < 0)
                report_fail(&report, current->id, "library", "config", "refused: %s", error.message);
        return config;
}

static void test_library_config(void) {
        nc_config *config = load_config();
        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        CU_ASSERT_EQUAL(nc_config_count(config), current->names.n);
        report_pass(&report, current->id, "library", "config");
        nc_config_free(config);
}

/* A library check of the fixture: `one` for each of `names` with the
 * loaded configuration; the check passes when each does. */
static void library_check(const char *check, const nc_strv *names,
                          bool (*one)(const nc_config *config, const char *name)) {
        nc_config *config = load_config();
        bool all = true;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        for (size_t i = 0; i < names->n; i++)
                if (!one(config, names->items[i]))
                        all = false;
        ASSERT_CHECK(all, "library", check);
        if (all)
                report_pass(&report, current->id, "library", check);
        nc_config_free(config);
}

/* A CUnit test (which takes no argument) running library_check(). */
#define LIBRARY_TEST(test, check, names, one) \
        static void test(void) { library_check(check, &current->names, one); }

static bool env_file_matches(const nc_config *config, const char *name) {
        char file[512], *expected, *actual = NULL;
        size_t expected_len, actual_len = 0;
        bool ok;

        snprintf(file, sizeof file, "%s.conf", name);
        expected = golden_read(current, file, &expected_len);
        if (!expected) {
                report_fail(&report, current->id, "library", "env-file", "no golden %s (run make golden)", file);
                return false;
        }
        CU_ASSERT_EQUAL(nc_render_env_file(nc_config_find(config, name), &actual, &actual_len), 0);
        ok = report_compare_text(&report, current->id, "library", "env-file", file, expected, expected_len, actual,
                                 actual_len);
        free(expected);
        free(actual);
        return ok;
}

LIBRARY_TEST(test_library_env_files, "env-file", names, env_file_matches)

static void test_library_hosts(void) {
        nc_config *config = load_config();
        char *expected, *actual = NULL;
        size_t expected_len, actual_len = 0;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        expected = golden_read(current, "hosts", &expected_len);
        if (!expected)
                report_fail(&report, current->id, "library", "hosts", "no golden hosts (run make golden)");
        CU_ASSERT_PTR_NOT_NULL(expected);
        if (expected) {
                CU_ASSERT_EQUAL(nc_render_hosts(config, &actual, &actual_len), 0);
                if (report_compare_text(&report, current->id, "library", "hosts", "hosts", expected, expected_len,
                                        actual, actual_len))
                        report_pass(&report, current->id, "library", "hosts");
                else
                        CU_FAIL("hosts differs from the golden");
        }
        free(expected);
        free(actual);
        nc_config_free(config);
}

/* The environment the unit gives the start script: PATH from the golden
 * unit environment, root and INSTANCE computed by the library, the env
 * file the library rendered. root and INSTANCE must match the golden's. */
/* The unit's environment as the library builds it: PATH from the golden
 * unit environment, root and INSTANCE computed by the library, the env
 * file the library rendered (the golden's for an imperative container).
 * root and INSTANCE must match the golden's. NULL after a reported failure. */
static nc_env *library_unit_env(const nc_container *container, const char *name, const char *check) {
        nc_env *unit_env = golden_unit_env(current, name), *base = nc_env_new(), *env = NULL;
        nc_error error = { { 0 } };
        char *conf = NULL;
        size_t conf_len = 0;
        int r = unit_env && base ? nc_env_set(base, "PATH", nc_env_get(unit_env, "PATH")) : -ENOENT;

        if (r >= 0)
                r = unit_env_file(container, name, &conf, &conf_len);
        if (r >= 0)
                r = nc_unit_environment(container, name, base, conf, conf_len, &env, &error);
        if (r < 0)
                report_fail(&report, current->id, "library", check, "%s: environment: %s", name,
                            unit_env ? error.message : "no golden unit-env");
        else if (strcmp(nc_env_get(env, "root"), nc_env_get(unit_env, "root")) != 0 ||
                 strcmp(nc_env_get(env, "INSTANCE"), nc_env_get(unit_env, "INSTANCE")) != 0) {
                report_fail(&report, current->id, "library", check, "%s: unit root/INSTANCE %s/%s, golden %s/%s",
                            name, nc_env_get(env, "root"), nc_env_get(env, "INSTANCE"),
                            nc_env_get(unit_env, "root"), nc_env_get(unit_env, "INSTANCE"));
                nc_env_free(env);
                env = NULL;
        }
        free(conf);
        nc_env_free(base);
        nc_env_free(unit_env);
        return env;
}

/* The argv from the unit's environment (library_unit_env()). */
static bool library_argv_for(const nc_container *container, const char *name, nc_strv *expected) {
        nc_env *env = library_unit_env(container, name, "argv");
        nc_error error = { { 0 } };
        nc_strv actual = { 0 };
        bool ok = false;
        int r;

        if (!env)
                goto out;
        nc_argv_request request = {
                .nspawn_path = expected->items[0],
                .init_path = expected->items[expected->n - 2],
                .guest_system = fixture_guest_system(current, name),
        };
        r = nc_build_argv(container, env, &request, &actual, &error);
        if (r < 0) {
                report_fail(&report, current->id, "library", "argv", "%s: %s", name, error.message);
                goto out;
        }
        ok = report_compare_argv(&report, current->id, "library", "argv", name, expected, &actual);
out:
        nc_strv_clear(&actual);
        nc_env_free(env);
        return ok;
}

/* The original's start script failed (golden NAME.start-error): the
 * library must refuse too, not invent an argv. */
static bool library_refuses_argv(const nc_container *container, const char *name) {
        if (!container)
                return true; /* the host has no unit container@NAME: nothing to build */
        nc_env *base = nc_env_new(), *env = NULL;
        nc_argv_request request = { .mode = NC_MODE_COMPAT };
        nc_strv actual = { 0 };
        char *conf = NULL;
        size_t conf_len = 0;
        int r = unit_env_file(container, name, &conf, &conf_len);

        if (r >= 0)
                r = nc_unit_environment(container, name, base, conf, conf_len, &env, NULL);
        if (r >= 0)
                r = nc_build_argv(container, env, &request, &actual, NULL) < 0 ? 1 : 0;
        if (r == 0)
                report_fail(&report, current->id, "library", "argv",
                            "%s: the original's start script failed, but the library built an argv", name);
        nc_strv_clear(&actual);
        free(conf);
        nc_env_free(env);
        nc_env_free(base);
        return r == 1;
}

/* The original stopped while running (golden "the start script failed:"),
 * rather than not parsing at all. */
static bool golden_start_stopped(const fixture *f, const char *name) {
        char file[512], *data;
        bool stopped;
        snprintf(file, sizeof file, "%s.start-error", name);
        data = golden_read(f, file, NULL);
        stopped = data && strncmp(data, "the start script failed:", 24) == 0;
        free(data);
        return stopped;
}

static bool argv_matches(const nc_config *config, const char *name) {
        nc_strv expected = { 0 };
        bool ok = true;

        if (golden_start_stopped(current, name))
                /* Reading ${SYSTEM_PATH}/system is the CLI's part. */
                report_skip(&report, current->id, "library", "argv",
                            "%s: the original stopped while running; the CLI checks that", name);
        else if (golden_start_failed(current, name))
                ok = library_refuses_argv(unit_container(config, name), name);
        else if (!golden_argv(current, name, &expected)) {
                report_fail(&report, current->id, "library", "argv", "no golden %s.argv", name);
                ok = false;
        } else
                ok = library_argv_for(unit_container(config, name), name, &expected);
        nc_strv_clear(&expected);
        return ok;
}

/* ---- nspawn's environment ------------------------------------------------ */

static int compare_entries(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void sort_strv(nc_strv *v) {
        if (v->n > 1)
                qsort(v->items, v->n, sizeof *v->items, compare_entries);
}

/* golden NAME.nspawn-env (what nspawn found in its environ beyond a bare
 * unit's, NUL-separated) against `actual`, both sorted. */
static bool nspawn_env_compare(const char *side, const char *name, nc_strv *actual) {
        char file[512], *data;
        nc_strv expected = { 0 };
        size_t len = 0;
        bool ok;

        snprintf(file, sizeof file, "%s.nspawn-env", name);
        data = golden_read(current, file, &len);
        if (!data) {
                report_fail(&report, current->id, side, "nspawn-env", "no golden %s (run make golden)", file);
                return false;
        }
        ok = split_nul(data, len, &expected) >= 0;
        sort_strv(&expected);
        sort_strv(actual);
        ok = ok && report_compare_argv(&report, current->id, side, "nspawn-env", file, &expected, actual);
        nc_strv_clear(&expected);
        free(data);
        return ok;
}

/* The unit's environment (PATH from the golden, root, INSTANCE, the env
 * file) and what the start script exports. */
static bool nspawn_env_matches(const nc_config *config, const char *name) {
        const nc_container *c = unit_container(config, name);
        nc_argv_request request = { .guest_system = fixture_guest_system(current, name),
                                    .mode = fixture_mode(current) };
        nc_env *env = NULL, *nspawn = NULL;
        nc_strv actual = { 0 };
        bool ok;

        if (golden_start_failed(current, name) || !c)
                return true; /* nspawn never ran */
        env = library_unit_env(c, name, "nspawn-env");
        ok = env && nc_nspawn_environment(c, env, &request, &nspawn, NULL) >= 0;
        for (size_t i = 0; ok && i < nc_env_count(nspawn); i++)
                ok = strv_push_assignment(&actual, nc_env_name_at(nspawn, i), nc_env_value_at(nspawn, i)) >= 0;
        ok = ok && nspawn_env_compare("library", name, &actual);
        nc_strv_clear(&actual);
        nc_env_free(nspawn);
        nc_env_free(env);
        return ok;
}

LIBRARY_TEST(test_library_nspawn_env, "nspawn-env", unit_names, nspawn_env_matches)

LIBRARY_TEST(test_library_argv, "argv", unit_names, argv_matches)

/* The `ip` commands of postStart and of container-init, as the library
 * plans them, against those the original scripts ran (golden NAME.*.ip). */
static bool plan_matches(const nc_container *container, const char *name, const char *stage,
                         nc_test_script script, const nc_env *env) {
        char file[512], *expected;
        nc_strv texts = { 0 };
        text actual = { 0 };
        size_t expected_len;
        bool ok;
        int r;

        snprintf(file, sizeof file, "%s.%s.error", name, stage);
        if ((expected = golden_read(current, file, NULL))) {
                expected[strcspn(expected, "\n")] = '\0';
                report_skip(&report, current->id, "library", "ip-commands", "%s: the original %s fails: %.100s", name,
                            stage, expected);
                free(expected);
                return true;
        }
        snprintf(file, sizeof file, "%s.%s.ip", name, stage);
        expected = golden_read(current, file, &expected_len);
        if (!expected) {
                report_fail(&report, current->id, "library", "ip-commands", "no golden %s (run make golden)", file);
                return false;
        }
        r = nc_test_plan_texts(script, container, env, &texts);
        if (r == -ENOTSUP) {
                /* A value the script would hand `ip` as several words: the
                 * library refuses what it cannot reproduce. */
                report_skip(&report, current->id, "library", "ip-commands",
                            "%s: the original %s passes `ip` extra words; the library refuses that", name, stage);
                free(expected);
                return true;
        }
        ok = r >= 0;
        if (!ok)
                report_fail(&report, current->id, "library", "ip-commands", "%s: planning %s failed: %s", name, stage,
                            strerror(-r));
        for (size_t i = 0; ok && i < texts.n; i++)
                ok = text_printf(&actual, "%s\n", texts.items[i]) >= 0;
        if (ok) {
                size_t actual_len = 0;
                const char *data = text_data(&actual, &actual_len);
                ok = data && report_compare_text(&report, current->id, "library", "ip-commands", file, expected,
                                                 expected_len, data, actual_len);
        }
        free(expected);
        text_free(&actual);
        nc_strv_clear(&texts);
        return ok;
}

/* The environments: postStart gets the unit's (env file, root, INSTANCE),
 * container-init what the argv's --setenv pairs give it. */
static bool ip_commands_match(const nc_config *config, const char *name) {
        const nc_container *c = unit_container(config, name);
        nc_env *unit = NULL, *inside = nc_env_new(), *base = nc_env_new();
        nc_strv argv = { 0 };
        char *conf = NULL;
        size_t conf_len = 0;
        bool ok = true;

        if (!golden_start_failed(current, name) && golden_argv(current, name, &argv)) {
                for (size_t a = 0; a + 1 < argv.n; a++)
                        if (strcmp(argv.items[a], "--setenv") == 0) {
                                char *eq = strchr(argv.items[a + 1], '=');
                                if (eq) {
                                        *eq = '\0';
                                        nc_env_set(inside, argv.items[a + 1], eq + 1);
                                }
                        }
                ok = unit_env_file(c, name, &conf, &conf_len) >= 0 &&
                     nc_unit_environment(c, name, base, conf, conf_len, &unit, NULL) >= 0 &&
                     plan_matches(c, name, "host-setup", NC_TEST_SCRIPT_HOST_SETUP, unit) &&
                     plan_matches(c, name, "init-setup", NC_TEST_SCRIPT_INIT_SETUP, inside);
        }
        free(conf);
        nc_env_free(unit);
        nc_env_free(inside);
        nc_env_free(base);
        nc_strv_clear(&argv);
        return ok;
}

LIBRARY_TEST(test_library_ip_commands, "ip-commands", unit_names, ip_commands_match)

/* ---- unit properties --------------------------------------------------- */

/* NAME of a store path "/nix/store/HASH-NAME" (HASH: 32 characters of
 * Nix's base32), or NULL when `path` is none. */
static const char *store_path_name(const char *path) {
        static const char base32[] = "0123456789abcdfghijklmnpqrsvwxyz";
        const char *hash = path + strlen("/nix/store/");

        if (strncmp(path, "/nix/store/", strlen("/nix/store/")) != 0 || strspn(hash, base32) < 32 || hash[32] != '-')
                return NULL;
        return hash[33] ? hash + 33 : NULL;
}

static bool starts_with(const char *s, const char *prefix) {
        return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A value the library cannot know stands for a store path of the host's
 * (nixcontainer.h): the golden's must be one, of that package or file.
 * `env_file` is where the module put the env file (golden NAME.conf-path,
 * "/etc/containers/NAME.conf"; NULL when there is none): the placeholder
 * of its store path, "@etc/containers/NAME.conf@", must name that file. */
static bool placeholder_matches(const char *actual, const char *golden, const char *env_file) {
        const char *name = store_path_name(golden);
        size_t n = strlen(actual);

        if (strcmp(actual, NC_UNIT_IPROUTE2) == 0)
                return starts_with(name, "iproute2-");
        if (strcmp(actual, NC_UNIT_NIX_PACKAGE) == 0)
                return name && (strcmp(name, "nix") == 0 || starts_with(name, "nix-"));
        if (name && n > 6 && starts_with(actual, "@etc/") && actual[n - 1] == '@') {
                /* "@etc/containers/NAME.conf@": a file whose name ends in NAME.conf */
                const char *file = strrchr(actual, '/') + 1;
                size_t file_len = (size_t) (actual + n - 1 - file), name_len = strlen(name);
                if (env_file && (env_file[0] != '/' || strlen(env_file) != n - 1 ||
                                 memcmp(env_file + 1, actual + 1, n - 2) != 0))
                        return false;
                return name_len >= file_len && memcmp(name + name_len - file_len, file, file_len) == 0;
        }
        return false;
}

/* Where `actual` first differs from `golden`: false when they agree;
 * else true, with the key path appended to `where` ("serviceConfig.DeviceAllow[0]")
 * and the two values there (NULL: absent on that side). `env_file` as
 * for placeholder_matches(). */
static bool json_differs(const json_t *golden, const json_t *actual, const char *env_file, char *where, size_t size,
                         const json_t **ret_golden, const json_t **ret_actual) {
        size_t len = strlen(where);
        const char *key;
        json_t *value;

        *ret_golden = golden;
        *ret_actual = actual;
        if (!golden || !actual)
                return true;
        if (json_is_string(golden) && json_is_string(actual))
                return strcmp(json_string_value(golden), json_string_value(actual)) != 0 &&
                       !placeholder_matches(json_string_value(actual), json_string_value(golden), env_file);
        if (json_typeof(golden) != json_typeof(actual))
                return true;
        if (json_is_object(golden)) {
                /* Every key of either side, the golden's first. */
                for (int side = 0; side < 2; side++)
                        json_object_foreach((json_t *) (side ? actual : golden), key, value) {
                                snprintf(where + len, size - len, "%s%s", len ? "." : "", key);
                                if (json_differs(json_object_get(golden, key), json_object_get(actual, key), env_file, where,
                                                 size, ret_golden, ret_actual))
                                        return true;
                        }
        } else if (json_is_array(golden)) {
                size_t n = json_array_size(golden) > json_array_size(actual) ? json_array_size(golden)
                                                                             : json_array_size(actual);
                for (size_t i = 0; i < n; i++) {
                        snprintf(where + len, size - len, "[%zu]", i);
                        if (json_differs(json_array_get(golden, i), json_array_get(actual, i), env_file, where, size,
                                         ret_golden, ret_actual))
                                return true;
                }
        } else if (!json_equal((json_t *) golden, (json_t *) actual))
                return true;
        where[len] = '\0';
        return false;
}

/* The unit's properties `actual` (JSON text) against golden NAME.service.json. */
static bool unit_matches(const char *side, const char *name, const char *actual, size_t actual_len) {
        char file[512], where[1024] = "";
        json_error_t error;
        json_t *golden_json = NULL, *actual_json = NULL;
        const json_t *golden_at, *actual_at;
        char *golden = NULL, *golden_dump = NULL, *actual_dump = NULL, *env_file;
        size_t golden_len;
        bool ok = false;

        snprintf(file, sizeof file, "%s.conf-path", name);
        env_file = golden_read(current, file, NULL);
        snprintf(file, sizeof file, "%s.service.json", name);
        if (!(golden = golden_read(current, file, &golden_len)) ||
            !(golden_json = json_loadb(golden, golden_len, 0, &error))) {
                report_fail(&report, current->id, side, "unit", "no golden %s, or not JSON (run make golden)", file);
                goto out;
        }
        if (!(actual_json = json_loadb(actual, actual_len, 0, &error))) {
                report_fail(&report, current->id, side, "unit", "%s: not JSON: %s (line %d)", name, error.text,
                            error.line);
                goto out;
        }
        ok = !json_differs(golden_json, actual_json, env_file, where, sizeof where, &golden_at, &actual_at);
        if (!ok) {
                golden_dump = golden_at ? json_dumps(golden_at, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
                actual_dump = actual_at ? json_dumps(actual_at, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
                report_fail(&report, current->id, side, "unit", "%s: %s: golden %.200s, got %.200s", file,
                            where[0] ? where : "(the whole)", golden_dump ? golden_dump : "(absent)",
                            actual_dump ? actual_dump : "(absent)");
        }
out:
        free(env_file);
        free(golden);
        free(golden_dump);
        free(actual_dump);
        json_decref(golden_json);
        json_decref(actual_json);
        return ok;
}

/* A host without a container@ unit for `name` (boot.enableContainers
 * false) has no golden NAME.service.json either. */
static bool golden_has_unit(const char *name) {
        char file[512], *data;
        bool has;

        snprintf(file, sizeof file, "%s.service.json", name);
        data = golden_read(current, file, NULL);
        has = data != NULL;
        free(data);
        return has;
}

static bool unit_properties_match(const nc_config *config, const char *name) {
        const nc_container *c = unit_container(config, name);
        char *actual = NULL;
        size_t actual_len = 0;
        bool ok;
        int r;

        if (!c) {
                ok = !golden_has_unit(name);
                if (!ok)
                        report_fail(&report, current->id, "library", "unit",
                                    "%s: the golden has a unit; the library's config has no container@ unit", name);
                return ok;
        }
        /* The template (an imperative container) is the container@ unit: no name. */
        r = nc_render_unit(c, nc_container_name(c) ? name : NULL, &actual, &actual_len);
        ok = r >= 0 && unit_matches("library", name, actual, actual_len);
        if (r < 0)
                report_fail(&report, current->id, "library", "unit", "%s: %s", name, strerror(-r));
        free(actual);
        return ok;
}

LIBRARY_TEST(test_library_unit, "unit", unit_names, unit_properties_match)

/* A compat fixture holds what the original reinterprets: strict mode must
 * refuse it with a message naming the option. */
/* What the original does with input strict mode refuses, shown beside
 * the refusal: the argv it hands nspawn (from -D on, where injected words
 * land), or how its start script failed. */
static void show_original(const char *refusal) {
        const char *name = current->names.n ? current->names.items[0] : NULL;
        text shown = { 0 };
        nc_strv argv = { 0 };

        report_info(&report, current->id, "ref", "refuses", "%s", refusal);
        if (!name)
                return;
        if (golden_argv(current, name, &argv)) {
                size_t i = 0;
                bool skipping = false;
                while (i < argv.n && strcmp(argv.items[i], "-D") != 0)
                        i++;
                /* The fixed middle (--notify-ready= ... --setenv PATH=) is
                 * left out: injected words land before and after it. */
                for (; i < argv.n && text_length(&shown) < 400; i++) {
                        if (strcmp(argv.items[i], "--notify-ready=yes") == 0) {
                                skipping = true;
                                text_puts(&shown, " ...");
                        }
                        if (skipping) {
                                skipping = strncmp(argv.items[i], "PATH=", 5) != 0;
                                continue;
                        }
                        text_puts(&shown, " ");
                        if (strpbrk(argv.items[i], " \t\n\"'"))
                                text_printf(&shown, "'%s'", argv.items[i]);
                        else
                                text_puts(&shown, argv.items[i]);
                }
                report_info(&report, current->id, "original", "argv", "systemd-nspawn ...%.400s%s",
                            text_data(&shown, NULL) ? text_data(&shown, NULL) : "",
                            text_length(&shown) >= 400 ? " ..." : "");
        } else if (golden_start_failed(current, name))
                report_info(&report, current->id, "original", "argv", "the start script fails (golden %s.start-error)",
                            name);
        text_free(&shown);
        nc_strv_clear(&argv);
}

static void test_library_strict_refuses(void) {
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        int r = nc_config_load_json(current->config_json, strlen(current->config_json), NC_MODE_STRICT, NULL, NULL,
                                    &config, &error);
        /* With "refusal", the exact message; else one naming the option. */
        bool ok = r == -EINVAL && (current->refusal ? strcmp(error.message, current->refusal) == 0
                                                    : strncmp(error.message, "containers.", 11) == 0);

        if (ok) {
                report_pass(&report, current->id, "library", "strict-refuses");
                show_original(error.message);
        } else
                report_fail(&report, current->id, "library", "strict-refuses", "strict mode %s: \"%s\"%s%s%s",
                            r < 0 ? "refused with" : "accepted it", error.message,
                            current->refusal ? ", expected \"" : "", current->refusal ? current->refusal : "",
                            current->refusal ? "\"" : "");
        ASSERT_CHECK(ok, "library", "strict-refuses");
        nc_config_free(config);
}

/* A rejected fixture: the module refuses it; the library must refuse it
 * too, in both modes, naming the option the module named. */
static void test_library_refuses_like_module(void) {
        char *option = golden_refused_option(current);
        bool ok = option != NULL;

        for (int mode = NC_MODE_STRICT; ok && mode <= NC_MODE_COMPAT; mode++) {
                nc_error error = { { 0 } };
                nc_config *config = NULL;
                size_t n = strlen(option);
                int r = nc_config_load_json(current->config_json, strlen(current->config_json), mode, NULL, NULL,
                                            &config, &error);
                if (r >= 0 || strncmp(error.message, option, n) != 0 || !strchr(":.[", error.message[n])) {
                        report_fail(&report, current->id, "library", "refuses", "%s mode: the module refuses %s; %s",
                                    mode == NC_MODE_STRICT ? "strict" : "compat", option,
                                    r >= 0 ? "the library accepted it" : error.message);
                        ok = false;
                }
                nc_config_free(config);
        }
        if (ok)
                report_pass(&report, current->id, "library", "refuses");
        ASSERT_CHECK(ok, "library", "refuses");
        free(option);
}

/* ---- CLI checks --------------------------------------------------------- */

/* Runs the CLI under test with `args` appended; PATH from the golden unit
 * environment is the only variable, as the unit would have it. */
static int run_cli(const char *const *args, const char *path_value, const char *system_file,
                   const char *system_content, run_result *ret) {
        nc_strv argv = { 0 };
        char *envp[2] = { NULL, NULL };
        int r;

        r = split_words(cli_command, &argv);
        for (size_t i = 0; r >= 0 && args[i]; i++)
                r = nc_strv_push(&argv, args[i]);
        if (r >= 0)
                r = nc_strv_push_len(&argv, "", 0) /* room for NULL */;
        if (r < 0) {
                nc_strv_clear(&argv);
                return r;
        }
        free(argv.items[argv.n - 1]);
        argv.items[argv.n - 1] = NULL;
        if (path_value && asprintf(&envp[0], "PATH=%s", path_value) < 0)
                envp[0] = NULL;
        r = run_command(argv.items, envp, system_file, system_content, ret);
        argv.n--;
        nc_strv_clear(&argv);
        free(envp[0]);
        return r;
}

static bool cli_ok(const char *check, const run_result *result, const char *what) {
        if (result->status == 0)
                return true;
        report_fail(&report, current->id, "cli", check, "%s: exit %d: %.*s", what, result->status,
                    (int) (result->err_len > 300 ? 300 : result->err_len), result->err);
        return false;
}

/* A CLI check of the fixture, named for its command: `command` NAME (with
 * --compat for a compat fixture) for each of `names`, its result judged by
 * `one`; the check passes when each does. */
static void cli_check(const char *command, const nc_strv *names,
                      bool (*one)(const char *name, const run_result *result)) {
        bool all = true;

        for (size_t i = 0; i < names->n; i++) {
                const char *args[] = { command, "--config", current->config_path, names->items[i],
                                       current->compat ? "--compat" : NULL, NULL };
                run_result result = { 0 };

                if (run_cli(args, NULL, NULL, NULL, &result) < 0 || !one(names->items[i], &result))
                        all = false;
                run_result_free(&result);
        }
        ASSERT_CHECK(all, "cli", command);
        if (all)
                report_pass(&report, current->id, "cli", command);
}

static bool cli_env_file_matches(const char *name, const run_result *result) {
        char file[512], *expected;
        size_t expected_len;
        bool ok;

        snprintf(file, sizeof file, "%s.conf", name);
        expected = golden_read(current, file, &expected_len);
        ok = expected && cli_ok("env-file", result, name) &&
             report_compare_text(&report, current->id, "cli", "env-file", file, expected, expected_len, result->out,
                                 result->out_len);
        free(expected);
        return ok;
}

static void test_cli_env_files(void) {
        cli_check("env-file", &current->names, cli_env_file_matches);
}

static void test_cli_hosts(void) {
        const char *args[] = { "hosts", "--config", current->config_path, current->compat ? "--compat" : NULL, NULL };
        run_result result = { 0 };
        size_t expected_len;
        char *expected = golden_read(current, "hosts", &expected_len);
        bool ok = expected && run_cli(args, NULL, NULL, NULL, &result) == 0 && cli_ok("hosts", &result, "hosts") &&
                  report_compare_text(&report, current->id, "cli", "hosts", "hosts", expected, expected_len,
                                      result.out, result.out_len);

        ASSERT_CHECK(ok, "cli", "hosts");
        if (ok)
                report_pass(&report, current->id, "cli", "hosts");
        free(expected);
        run_result_free(&result);
}

/* The CLI reads ${SYSTEM_PATH}/system itself; the harness provides it in a
 * private mount namespace (root, and /nix must exist as a mount point). */
static bool can_provide_system_file(void) {
        struct stat st;
        return geteuid() == 0 && stat("/nix", &st) == 0 && S_ISDIR(st.st_mode);
}

static bool cli_argv_for(const char *name, nc_strv *expected, bool *ret_skipped) {
        char conf_path[1024], *conf, *system_file = NULL;
        nc_env *unit_env = golden_unit_env(current, name), *conf_env = nc_env_new();
        const char *guest = fixture_guest_system(current, name), *system_path;
        run_result result = { 0 };
        nc_strv actual = { 0 };
        size_t conf_len;
        bool ok = false;

        snprintf(conf_path, sizeof conf_path, "%s/%s.conf", current->golden_dir, name);
        conf = golden_read(current, strrchr(conf_path, '/') + 1, &conf_len);
        if (!unit_env || !conf_env || !conf || nc_env_file_parse(conf_env, conf, conf_len, NULL) < 0)
                goto out;
        /* ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system */
        system_path = nc_env_get(conf_env, "SYSTEM_PATH");
        if (!can_provide_system_file()) {
                /* Without the file the start script stops before nspawn. */
                *ret_skipped = true;
                report_skip(&report, current->id, "cli", "argv",
                            "%s: needs root and /nix to provide ${SYSTEM_PATH}/system", name);
                ok = true;
                goto out;
        }
        if ((system_path && system_path[0] ? asprintf(&system_file, "%s/system", system_path)
                                           : asprintf(&system_file, "/nix/var/nix/profiles/per-container/%s/system/system",
                                                      name)) < 0) {
                system_file = NULL;
                goto out;
        }
        if (strncmp(system_file, "/nix/", 5) != 0) {
                report_fail(&report, current->id, "cli", "argv", "%s: %s is not under /nix; the harness cannot provide it",
                            name, system_file);
                goto out;
        }
        {
                const char *args[] = { "argv", "-0", "--env-file", conf_path, "--init",
                                       expected->items[expected->n - 2], "--nspawn", expected->items[0],
                                       "--config", current->config_path, name,
                                       current->compat ? "--compat" : NULL, NULL };
                if (run_cli(args, nc_env_get(unit_env, "PATH"), system_file, guest, &result) < 0 ||
                    !cli_ok("argv", &result, name) || split_nul(result.out, result.out_len, &actual) < 0)
                        goto out;
        }
        ok = report_compare_argv(&report, current->id, "cli", "argv", name, expected, &actual);
out:
        free(conf);
        free(system_file);
        nc_strv_clear(&actual);
        run_result_free(&result);
        nc_env_free(unit_env);
        nc_env_free(conf_env);
        return ok;
}

/* The original's start script failed: the CLI must refuse (exit 2, nothing
 * on stdout). */
static bool cli_refuses_argv(const char *name) {
        char conf_path[1024];
        const char *args[] = { "argv", "--env-file", conf_path, "--config", current->config_path, name,
                               current->compat ? "--compat" : NULL, NULL };
        /* A script that does not parse: 2 (cannot be reproduced); one that
         * stops while running: 1 (a runtime failure), as the unit fails. */
        int expected = golden_start_stopped(current, name) ? 1 : 2;
        run_result result = { 0 };
        bool ok;

        snprintf(conf_path, sizeof conf_path, "%s/%s.conf", current->golden_dir, name);
        ok = run_cli(args, NULL, NULL, NULL, &result) == 0 && result.status == expected && result.out_len == 0;
        if (!ok)
                report_fail(&report, current->id, "cli", "argv",
                            "%s: the original's start script failed; expected exit %d and no output, got exit %d",
                            name, expected, result.status);
        run_result_free(&result);
        return ok;
}

/* The variables a --cli runner adds to the CLI's environment (given
 * PATH alone): valgrind (memcheck) puts these there, as `env -i PATH=...
 * valgrind env` shows, and a shell script wrapping a CLI exports PWD,
 * SHLVL and _. The CLI prints its environment whole, as nspawn would
 * inherit it. */
static void drop_runner_environment(nc_strv *entries) {
        static const char *const prefixes[] = {
                "LD_PRELOAD=", "LD_LIBRARY_PATH=", "GLIBCPP_FORCE_NEW=", "GLIBCXX_FORCE_NEW=", "VALGRIND_",
                "PWD=", "OLDPWD=", "SHLVL=", "_=",
        };
        size_t kept = 0;

        for (size_t i = 0; i < entries->n; i++) {
                bool runner = false;
                for (size_t p = 0; p < ELEMENTSOF(prefixes); p++)
                        runner = runner || strncmp(entries->items[i], prefixes[p], strlen(prefixes[p])) == 0;
                if (runner)
                        free(entries->items[i]);
                else
                        entries->items[kept++] = entries->items[i];
        }
        entries->n = kept;
        if (entries->items)
                entries->items[kept] = NULL;
}

/* nixcontainer nspawn-env -0, with only PATH in its environment (as the
 * bare unit has it) and the golden env file. */
static bool cli_nspawn_env_for(const char *name) {
        char conf_path[1024];
        const char *args[] = { "nspawn-env", "-0", "--env-file", conf_path, "--config", current->config_path, name,
                               current->compat ? "--compat" : NULL, NULL };
        nc_env *unit_env = golden_unit_env(current, name);
        run_result result = { 0 };
        nc_strv actual = { 0 };
        bool ok = false;

        snprintf(conf_path, sizeof conf_path, "%s/%s.conf", current->golden_dir, name);
        if (unit_env && run_cli(args, nc_env_get(unit_env, "PATH"), NULL, NULL, &result) == 0 &&
            cli_ok("nspawn-env", &result, name) && split_nul(result.out, result.out_len, &actual) >= 0) {
                drop_runner_environment(&actual);
                ok = nspawn_env_compare("cli", name, &actual);
        }
        nc_strv_clear(&actual);
        run_result_free(&result);
        nc_env_free(unit_env);
        return ok;
}

static void test_cli_nspawn_env(void) {
        bool all = true;

        for (size_t i = 0; i < current->unit_names.n; i++)
                if (!golden_start_failed(current, current->unit_names.items[i]) &&
                    !cli_nspawn_env_for(current->unit_names.items[i]))
                        all = false;
        ASSERT_CHECK(all, "cli", "nspawn-env");
        if (all)
                report_pass(&report, current->id, "cli", "nspawn-env");
}

static void test_cli_argv(void) {
        bool all = true, skipped = false;

        for (size_t i = 0; i < current->unit_names.n; i++) {
                nc_strv expected = { 0 };
                const char *name = current->unit_names.items[i];
                if (golden_start_failed(current, name)) {
                        if (!cli_refuses_argv(name))
                                all = false;
                } else if (!golden_argv(current, name, &expected) || !cli_argv_for(name, &expected, &skipped))
                        all = false;
                nc_strv_clear(&expected);
        }
        ASSERT_CHECK(all, "cli", "argv");
        if (all && !skipped)
                report_pass(&report, current->id, "cli", "argv");
}

/* The unit's properties; without a container@ unit (boot.enableContainers
 * false) the CLI refuses NAME: exit 2, nothing on stdout. */
static bool cli_unit_matches(const char *name, const run_result *result) {
        if (golden_has_unit(name))
                return cli_ok("unit", result, name) && unit_matches("cli", name, result->out, result->out_len);
        if (result->status == 2 && result->out_len == 0)
                return true;
        report_fail(&report, current->id, "cli", "unit",
                    "%s: the host has no container@ unit; expected exit 2 and no output, got exit %d", name,
                    result->status);
        return false;
}

static void test_cli_unit(void) {
        cli_check("unit", &current->unit_names, cli_unit_matches);
}

/* The length of a message's first line, at most 300 bytes, for "%.*s" in
 * a report line (a refusal is one line; more would break the report's). */
static int first_line(const char *message) {
        size_t n = message ? strcspn(message, "\n") : 0;

        return (int) (n < 300 ? n : 300);
}

static void test_cli_refuses_like_module(void) {
        const char *args[] = { "env-file", "--config", current->config_path, current->names.items[0], NULL };
        char *option = golden_refused_option(current), *expected = NULL;
        run_result result = { 0 };
        bool ok = option && asprintf(&expected, "nixcontainer: %s", option) >= 0 &&
                  run_cli(args, NULL, NULL, NULL, &result) == 0 && result.status == 2 && result.out_len == 0 &&
                  result.err &&
                  (exact_messages ? strncmp(result.err, expected, strlen(expected)) == 0 : strstr(result.err, option) != NULL);

        if (ok)
                report_pass(&report, current->id, "cli", "refuses");
        else
                report_fail(&report, current->id, "cli", "refuses",
                            "the module refuses %s; expected exit 2, no output and that option named; got exit %d: %.*s",
                            option ? option : "?", result.status, first_line(result.err), result.err ? result.err : "");
        ASSERT_CHECK(ok, "cli", "refuses");
        free(option);
        free(expected);
        run_result_free(&result);
}

/* Every command refuses it: exit 2, nothing on stdout, the message. */
static void test_cli_strict_refuses(void) {
        const char *name = current->names.n ? current->names.items[0] : "web";
        const char *commands[][8] = {
                { "env-file", "--config", current->config_path, "--", name, NULL },
                { "argv", "--env-file", "/dev/null", "--config", current->config_path, "--", name, NULL },
                { "hosts", "--config", current->config_path, NULL },
        };
        char *expected = NULL, *option = NULL;
        bool all = true;

        if (current->refusal && asprintf(&expected, "nixcontainer: %s\n", current->refusal) < 0)
                expected = NULL;
        /* The option the refusal names: the fixture's message up to ": ",
         * else the container. */
        if (current->refusal)
                option = strndup(current->refusal, strcspn(current->refusal, ":"));
        else if (asprintf(&option, "containers.%s", name) < 0)
                option = NULL;
        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                run_result result = { 0 };
                bool ok = run_cli(commands[i], NULL, NULL, NULL, &result) == 0 && result.status == 2 &&
                          result.out_len == 0 && result.err &&
                          (!exact_messages ? option && strstr(result.err, option) != NULL
                           : expected      ? strcmp(result.err, expected) == 0
                                           : strncmp(result.err, "nixcontainer: containers.", 25) == 0);
                if (!ok) {
                        report_fail(&report, current->id, "cli", "strict-refuses",
                                    "%s: expected exit 2, no output and %.*s; got exit %d: %.*s", commands[i][0],
                                    first_line(exact_messages && expected ? expected : option ? option : "the option named"),
                                    exact_messages && expected ? expected : option ? option : "the option named",
                                    result.status, first_line(result.err), result.err ? result.err : "");
                        all = false;
                }
                run_result_free(&result);
        }
        if (all)
                report_pass(&report, current->id, "cli", "strict-refuses");
        ASSERT_CHECK(all, "cli", "strict-refuses");
        free(expected);
        free(option);
}

/* ---- main --------------------------------------------------------------- */

/* What every fixture with goldens is checked for. */
static const suite_test library_tests[] = {
        { "library: config loads", test_library_config },
        { "library: env files", test_library_env_files },
        { "library: hosts", test_library_hosts },
        { "library: nspawn argv", test_library_argv },
        { "library: nspawn's environment", test_library_nspawn_env },
        { "library: ip commands of postStart and container-init", test_library_ip_commands },
        { "library: unit properties", test_library_unit },
};
static const suite_test cli_tests[] = {
        { "cli: env-file", test_cli_env_files },
        { "cli: hosts", test_cli_hosts },
        { "cli: argv", test_cli_argv },
        { "cli: nspawn's environment", test_cli_nspawn_env },
        { "cli: unit properties", test_cli_unit },
};
/* --cli-checks names them so (the report's check names). */
static const char *const cli_test_keys[] = { "env-file", "hosts", "argv", "nspawn-env", "unit" };

static const char notes[] =
        "Compares an implementation with what the original module rendered (golden/R/FIXTURE/), fixture\n"
        "by fixture: the ref library in-process and, with --cli, a program (CONFORMANCE.md says how it\n"
        "is called and what is compared). One line per fixture, then a closing line; exit 0 when\n"
        "nothing failed, 1 when something did, 2 for a wrong command line.\n"
        "--release R: the goldens of release R (default " DEFAULT_SET "), in golden/R unless --golden says\n"
        "--cli \"CMD\": also check a program honouring the nixcontainer CLI contract\n"
        "--cli-checks LIST: only these of the CLI's checks (default: all; refusals always)\n"
        "--cli-only: check the --cli program alone, without the ref library's in-process rows\n"
        "--exact-messages: the CLI's refusals must be the ref's messages byte for byte (the ref's own\n"
        "  check); otherwise exit 2, nothing on stdout and the option named in the message\n"
        "--exported: the config each fixture's golden containers.json (its host exported by\n"
        "  ref/nix/export-containers.nix, `make golden-export`) instead of the harness's own; fixtures\n"
        "  without one (the module refused them) are left out\n"
        "--only ID,...: only these fixtures (file names without .json)\n"
        "--junit FILE, --tap FILE: the results also as JUnit XML and TAP, one test case per fixture and\n"
        "  check, a failure with its first difference\n";

int main(int argc, char **argv) {
        const char *fixtures_dir = NULL, *golden = NULL, *only = NULL, *release = DEFAULT_SET, *cli_checks = NULL;
        const char *junit = NULL, *tap = NULL;
        bool cli_only = false, exported = false;
        size_t not_exported = 0;
        const arg_option options[] = {
                ARG("fixtures", ARG_STRING, &fixtures_dir, .arg = "DIR", .required = true),
                ARG("release", ARG_STRING, &release, .arg = "R"),
                ARG("golden", ARG_STRING, &golden, .arg = "DIR"),
                ARG("cli", ARG_STRING, &cli_command, .arg = "\"CMD\""),
                ARG("only", ARG_STRING, &only, .arg = "ID[,ID...]"),
                ARG("cli-checks", ARG_STRING, &cli_checks, .arg = "env-file,hosts,argv,nspawn-env,unit"),
                ARG("exact-messages", ARG_FLAG, &exact_messages),
                ARG("cli-only", ARG_FLAG, &cli_only),
                ARG("exported", ARG_FLAG, &exported),
                ARG("junit", ARG_STRING, &junit, .arg = "FILE"),
                ARG("tap", ARG_STRING, &tap, .arg = "FILE"),
                { NULL },
        };
        char *golden_dir = NULL, *error = NULL, label[256];
        unsigned failures;
        tier_counts counts;
        int r;

        args_parse(argc, argv, options, notes);
        r = args_release_golden(golden, release, &golden_dir, &error);
        if (r < 0) {
                fprintf(stderr, "test-conformance: %s\n", error ? error : strerror(-r));
                free(error);
                return r == -EINVAL ? 2 : 1;
        }
        snprintf(label, sizeof label, "conformance (%s, %s%s)", fixtures_dir, release, exported ? ", exported" : "");
        if (cli_only && !cli_command) {
                fprintf(stderr, "test-conformance: --cli-only needs --cli \"CMD\"\n");
                free(golden_dir);
                return 2;
        }
        if (tier_begin("conformance") < 0) {
                free(golden_dir);
                return 1;
        }
        r = fixture_set_load(fixtures_dir, golden_dir, release, &fixtures, &error);
        free(golden_dir);
        if (r < 0 || fixtures.n == 0) {
                if (r < 0)
                        fprintf(stderr, "test-conformance: %s\n", error ? error : strerror(-r));
                else
                        fprintf(stderr, "test-conformance: no fixtures in %s\n", fixtures_dir);
                free(error);
                fixture_set_free(&fixtures);
                tier_summary(label, 0, 1, 0, "the tier itself failed");
                return 1;
        }
        if (CU_initialize_registry() != CUE_SUCCESS)
                return 1;
        for (size_t i = 0; i < fixtures.n; i++) {
                CU_pSuite suite;
                if (!args_list_has(only, fixtures.items[i].id))
                        continue;
                if (exported && (r = fixture_use_exported(&fixtures.items[i])) < 0) {
                        if (r != -ENOENT) {
                                fprintf(stderr, "test-conformance: %s: containers.json: %s\n", fixtures.items[i].id,
                                        strerror(-r));
                                CU_cleanup_registry();
                                fixture_set_free(&fixtures);
                                tier_summary(label, 0, 1, 0, "the tier itself failed");
                                return 1;
                        }
                        not_exported++;
                        continue;
                }
                suite = CU_add_suite(fixtures.items[i].id, fixture_suite_init, NULL);
                if (fixtures.items[i].rejected) {
                        if (!cli_only)
                                CU_add_test(suite, "library: refuses what the module refuses",
                                            test_library_refuses_like_module);
                        if (cli_command)
                                CU_add_test(suite, "cli: refuses what the module refuses", test_cli_refuses_like_module);
                        continue;
                }
                if (!fixtures.items[i].generate) {
                        /* No goldens: the original cannot run it; only the refusal. */
                        if (!cli_only)
                                CU_add_test(suite, "library: strict mode refuses it", test_library_strict_refuses);
                        if (cli_command)
                                CU_add_test(suite, "cli: strict mode refuses it", test_cli_strict_refuses);
                        continue;
                }
                if (!cli_only)
                        suite_add_tests(suite, library_tests, ELEMENTSOF(library_tests), NULL, NULL);
                if (!cli_only && (fixtures.items[i].compat || fixtures.items[i].refusal))
                        CU_add_test(suite, "library: strict mode refuses it", test_library_strict_refuses);
                if (cli_command) {
                        suite_add_tests(suite, cli_tests, ELEMENTSOF(cli_tests), cli_test_keys, cli_checks);
                        if (fixtures.items[i].compat || fixtures.items[i].refusal)
                                CU_add_test(suite, "cli: strict mode refuses it", test_cli_strict_refuses);
                }
        }
        CU_basic_set_mode(CU_BRM_VERBOSE);
        CU_basic_run_tests();
        report_print(&report, stdout);
        failures = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
        counts = tier_report_counts(&report, failures);
        if (results_write_all(&report, false, label, junit, tap) < 0)
                failures++;
        CU_cleanup_registry();
        report_free(&report);
        fixture_set_free(&fixtures);
        if (exported)
                tier_summary(label, counts.passed, counts.failed, counts.skipped,
                             "%u check%s skipped; %zu fixtures without containers.json (the module refused them)",
                             counts.checks_skipped, counts.checks_skipped == 1 ? "" : "s", not_exported);
        else
                tier_summary(label, counts.passed, counts.failed, counts.skipped,
                             counts.checks_skipped ? "%u check%s skipped" : NULL, counts.checks_skipped,
                             counts.checks_skipped == 1 ? "" : "s");
        return failures ? 1 : 0;
}
