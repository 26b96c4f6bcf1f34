/* fuzz-argv: the argv builder on a fuzzed config and a fuzzed env file.
 *
 * The input is CONFIG [NUL ENV-FILE]: the bytes before the first NUL are a
 * JSON config, the bytes after it the text of /etc/containers/NAME.conf.
 * (An env file cannot hold a NUL, so nothing is lost by splitting there.)
 * Without a NUL each container gets its own rendered env file, as it would
 * on a NixOS host. For both modes the config is loaded; then for every
 * container and for one name that is not in the config (the imperative
 * container@ template) the unit environment is built from a base env with a
 * PATH, and nc_build_argv() is called on it.
 *
 * Checked besides crashes and leaks: a failure comes with a message, and
 * in strict mode every `--setenv NAME=VALUE` of the exec line carries the
 * unit environment's value of NAME (empty when unset). */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static const char *const setenv_names[] = {
        "PRIVATE_NETWORK", "HOST_BRIDGE", "HOST_ADDRESS", "LOCAL_ADDRESS",
        "HOST_ADDRESS6", "LOCAL_ADDRESS6", "HOST_PORT", "PATH",
};

/* The exec line after the words of $extraFlags and $EXTRA_NSPAWN_FLAGS:
 * --notify-ready=yes, six fixed binds and options, --link-journal=try-guest
 * unless ephemeral, then the eight --setenv pairs. The fixed part is found
 * from the end: what follows it (--capability=, --tmpfs=, the init) cannot
 * be "--notify-ready=yes" in strict mode. */
/* The model is opaque: an ephemeral container's root is under /run. */
static bool is_ephemeral(const nc_container *container, const char *name) {
        char *root = NULL;
        bool ephemeral;

        if (nc_unit_root(container, name, &root) < 0)
                fuzz_fail("out of memory");
        ephemeral = strncmp(root, "/run/", 5) == 0;
        free(root);
        return ephemeral;
}

static void check_setenv(const char *name, const nc_container *container, const nc_env *env, const nc_strv *argv) {
        size_t k = SIZE_MAX;

        for (size_t i = 0; i < argv->n; i++)
                if (strcmp(argv->items[i], "--notify-ready=yes") == 0)
                        k = i;
        if (k == SIZE_MAX)
                fuzz_fail("argv of %s: no --notify-ready=yes", name);
        k += 7;
        if (!is_ephemeral(container, name)) {
                if (k >= argv->n)
                        fuzz_fail("argv of %s: ends before --link-journal=try-guest", name);
                fuzz_expect_string("argv: the word after the fixed binds", "--link-journal=try-guest",
                                   argv->items[k]);
                k++;
        }
        for (size_t i = 0; i < sizeof setenv_names / sizeof setenv_names[0]; i++, k += 2) {
                const char *value = nc_env_get(env, setenv_names[i]);
                char *word;

                if (k + 1 >= argv->n)
                        fuzz_fail("argv of %s: ends before --setenv %s", name, setenv_names[i]);
                fuzz_expect_string("argv: --setenv", "--setenv", argv->items[k]);
                if (asprintf(&word, "%s=%s", setenv_names[i], value ? value : "") < 0)
                        fuzz_fail("out of memory");
                fuzz_expect_string("argv: the value of --setenv", word, argv->items[k + 1]);
                free(word);
        }
}

/* One unit: container@NAME with `container` (NULL: not in the config). */
static void run_unit(const nc_container *container, const char *name, nc_mode mode, bool i686,
                     const char *env_file, size_t env_file_len) {
        nc_error error = { .message = "" };
        nc_argv_request request = {
                .nspawn_path = "/run/current-system/sw/bin/systemd-nspawn",
                .init_path = "/run/nixcontainer-init",
                .guest_system = i686 ? "i686-linux" : "x86_64-linux",
                .mode = mode,
        };
        char *rendered = NULL, *system_file = NULL;
        nc_env *base = nc_env_new(), *env = NULL;
        nc_strv argv = { 0 };
        int r;

        if (!base || nc_env_set(base, "PATH", "/run/wrappers/bin:/run/current-system/sw/bin") < 0)
                fuzz_fail("out of memory");
        if (container && !env_file) {
                r = nc_render_env_file(container, &rendered, &env_file_len);
                if (r < 0)
                        fuzz_fail("nc_render_env_file(%s) failed: %d", name, r);
                env_file = rendered;
        }

        r = nc_unit_environment(container, name, base, env_file, env_file_len, &env, &error);
        if (r < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_unit_environment(%s) failed (%d) without a message", name, r);
                goto out;
        }
        if (nc_argv_system_file(env, &system_file) < 0)
                fuzz_fail("nc_argv_system_file(%s) failed", name);

        r = nc_build_argv(container, env, &request, &argv, &error);
        if (r < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_build_argv(%s) failed (%d) without a message", name, r);
                goto out;
        }
        if (mode == NC_MODE_STRICT)
                check_setenv(name, container, env, &argv);

out:
        nc_strv_clear(&argv);
        nc_env_free(env);
        nc_env_free(base);
        free(system_file);
        free(rendered);
}

static void run_mode(const char *config_text, size_t config_len, nc_mode mode, const char *env_file,
                     size_t env_file_len) {
        nc_error error = { .message = "" };
        nc_config *config = NULL;
        char unknown[64] = "imperative";

        /* The argv's layout checked here is 21.05's; the release is fixed. */
        if (nc_config_load_json(config_text, config_len, mode, "21.05", NULL, &config, &error) < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_config_load_json() failed without a message");
                config = NULL;
        }
        for (size_t i = 0; config && i < nc_config_count(config); i++)
                run_unit(nc_config_at(config, i), nc_container_name(nc_config_at(config, i)), mode, i % 2 == 1,
                         env_file, env_file_len);
        /* A name that is not in the config: everything from the env file. */
        while (nc_config_find(config, unknown) && strlen(unknown) + 2 < sizeof unknown)
                strcat(unknown, "-x");
        if (!nc_config_find(config, unknown))
                run_unit(NULL, unknown, mode, false, env_file, env_file_len);
        nc_config_free(config);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *text = (const char *) data;
        const char *nul = memchr(text, '\0', size);
        size_t config_len = nul ? (size_t) (nul - text) : size;
        const char *env_file = nul ? nul + 1 : NULL;
        size_t env_file_len = nul ? size - config_len - 1 : 0;

        if (size > FUZZ_MAX_INPUT)
                return 0;
        run_mode(text, config_len, NC_MODE_STRICT, env_file, env_file_len);
        run_mode(text, config_len, NC_MODE_COMPAT, env_file, env_file_len);
        return 0;
}
