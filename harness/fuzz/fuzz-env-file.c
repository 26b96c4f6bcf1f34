/* fuzz-env-file: the EnvironmentFile= parser, nc_env_file_parse(), on
 * arbitrary bytes, once into a fresh env and once into an env that already
 * holds some of the names the unit gives its scripts.
 *
 * Checked besides crashes and leaks:
 *   - both parses succeed or fail alike, with the same error;
 *   - on failure there is a message and the env is unchanged (count, names,
 *     values, order);
 *   - every resulting name matches [A-Za-z_][A-Za-z0-9_]*;
 *   - on success the pre-filled env is the old one with the file's
 *     assignments merged in: old names keep their position (replaced in
 *     place, systemd's strv_env_replace) and take the file's value when the
 *     file sets them; new names follow, in the file's order. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "fuzz-common.h"

/* A unit environment as nc_unit_environment() starts it, and names the
 * module's env files set. */
static const char *const prefill[][2] = {
        { "PATH", "/run/current-system/sw/bin" },
        { "root", "/var/lib/containers/web" },
        { "INSTANCE", "web" },
        { "SYSTEM_PATH", "/nix/store/old-system" },
        { "HOST_ADDRESS", "" },
        { "extraFlags", "--old" },
        { "_", "underscore" },
};
#define N_PREFILL (ELEMENTSOF(prefill))

static void check_names(const nc_env *env, const char *which) {
        for (size_t i = 0; i < nc_env_count(env); i++) {
                const char *name = nc_env_name_at(env, i);
                if (!fuzz_env_name_is_valid(name)) {
                        fputs("fuzz: name: ", stderr);
                        fuzz_print_escaped(stderr, name, name ? strlen(name) : 0);
                        fputc('\n', stderr);
                        fuzz_fail("%s env: entry %zu is not a valid environment variable name", which, i);
                }
                if (!nc_env_value_at(env, i))
                        fuzz_fail("%s env: entry %zu has no value", which, i);
                if (nc_env_get(env, name) != nc_env_value_at(env, i))
                        fuzz_fail("%s env: entry %zu is not what nc_env_get() finds for its name", which, i);
        }
}

static void check_unchanged(const nc_env *env) {
        if (nc_env_count(env) != N_PREFILL)
                fuzz_fail("failed parse changed the env: %zu entries, had %zu", nc_env_count(env), N_PREFILL);
        for (size_t i = 0; i < N_PREFILL; i++) {
                fuzz_expect_string("failed parse: name", prefill[i][0], nc_env_name_at(env, i));
                fuzz_expect_string("failed parse: value", prefill[i][1], nc_env_value_at(env, i));
        }
}

static bool is_prefilled(const char *name) {
        for (size_t i = 0; i < N_PREFILL; i++)
                if (strcmp(prefill[i][0], name) == 0)
                        return true;
        return false;
}

/* `merged` must be `prefill` with `file` (the fresh parse) merged in. */
static void check_merged(const nc_env *merged, const nc_env *file) {
        size_t next = N_PREFILL;

        for (size_t i = 0; i < N_PREFILL; i++) {
                const char *from_file = nc_env_get(file, prefill[i][0]);
                fuzz_expect_string("pre-filled entry: name", prefill[i][0], nc_env_name_at(merged, i));
                fuzz_expect_string(prefill[i][0], from_file ? from_file : prefill[i][1], nc_env_value_at(merged, i));
        }
        for (size_t i = 0; i < nc_env_count(file); i++) {
                const char *name = nc_env_name_at(file, i);
                if (is_prefilled(name))
                        continue;
                if (next >= nc_env_count(merged))
                        fuzz_fail("merged env lacks %s, entry %zu of the file", name, i);
                fuzz_expect_string("merged env: name of a new entry", name, nc_env_name_at(merged, next));
                fuzz_expect_string(name, nc_env_value_at(file, i), nc_env_value_at(merged, next));
                next++;
        }
        if (next != nc_env_count(merged))
                fuzz_fail("merged env has %zu entries, expected %zu", nc_env_count(merged), next);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        nc_error fresh_error = { .message = "" }, prefilled_error = { .message = "" };
        const char *text = (const char *) data;
        nc_env *fresh, *prefilled;
        int r_fresh, r_prefilled;

        if (size > FUZZ_MAX_INPUT)
                return 0;
        fresh = nc_env_new();
        prefilled = nc_env_new();
        if (!fresh || !prefilled)
                fuzz_fail("out of memory");
        for (size_t i = 0; i < N_PREFILL; i++)
                if (nc_env_set(prefilled, prefill[i][0], prefill[i][1]) < 0)
                        fuzz_fail("out of memory");

        r_fresh = nc_env_file_parse(fresh, text, size, &fresh_error);
        r_prefilled = nc_env_file_parse(prefilled, text, size, &prefilled_error);
        if (r_fresh != r_prefilled)
                fuzz_fail("the same text gives %d into a fresh env and %d into a pre-filled one", r_fresh,
                          r_prefilled);
        if (r_fresh > 0)
                fuzz_fail("nc_env_file_parse() returned %d", r_fresh);

        if (r_fresh < 0) {
                if (!fresh_error.message[0] || !prefilled_error.message[0])
                        fuzz_fail("nc_env_file_parse() failed (%d) without a message", r_fresh);
                if (nc_env_count(fresh) != 0)
                        fuzz_fail("failed parse left %zu entries in a fresh env", nc_env_count(fresh));
                check_unchanged(prefilled);
        } else {
                check_names(fresh, "fresh");
                check_names(prefilled, "pre-filled");
                check_merged(prefilled, fresh);
        }

        nc_env_free(fresh);
        nc_env_free(prefilled);
        return 0;
}
