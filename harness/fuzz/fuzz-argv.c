/* fuzz-argv: the argv builder on a fuzzed config and a fuzzed env file.
 *
 * The input is [RELEASE] CONFIG [NUL ENV-FILE]: a first byte 0x01-0x08
 * picks the release (fuzz_take_release()), the bytes before the first NUL are a
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
 * unit environment's value of NAME (empty when unset); nc_nspawn_environment()
 * fails only with -ENOTSUP or -ENOMEM and keeps every name of the unit's
 * environment (the script inherits them all). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

/* The --setenv names of a release's exec line, in order: PRIVATE_USERS
 * from 25.11, LOCAL_MAC_ADDRESS from 26.05 (release names sort as
 * releases do). */
static size_t setenv_names(const char *release, const char **names) {
        size_t n = 0;

        names[n++] = "PRIVATE_NETWORK";
        if (strcmp(release, "25.11") >= 0)
                names[n++] = "PRIVATE_USERS";
        names[n++] = "HOST_BRIDGE";
        names[n++] = "HOST_ADDRESS";
        names[n++] = "LOCAL_ADDRESS";
        names[n++] = "HOST_ADDRESS6";
        names[n++] = "LOCAL_ADDRESS6";
        if (strcmp(release, "26.05") >= 0)
                names[n++] = "LOCAL_MAC_ADDRESS";
        names[n++] = "HOST_PORT";
        names[n++] = "PATH";
        return n;
}

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

/* Whether the exec line from argv[k] on is --notify-ready=yes, the fixed
 * binds, --link-journal=try-guest unless ephemeral, then each --setenv
 * with the environment's value. NULL when it is, else what differs. */
static const char *mismatch_at(size_t k, bool ephemeral, const char *release, const nc_env *env, const nc_strv *argv,
                               char *why, size_t size) {
        const char *names[16];
        size_t n = setenv_names(release, names);

        k += 7;
        if (!ephemeral) {
                if (k >= argv->n || strcmp(argv->items[k], "--link-journal=try-guest") != 0)
                        return "no --link-journal=try-guest after the fixed binds";
                k++;
        }
        for (size_t i = 0; i < n; i++, k += 2) {
                const char *value = nc_env_get(env, names[i]);
                size_t len = strlen(names[i]);

                if (k + 1 >= argv->n || strcmp(argv->items[k], "--setenv") != 0 ||
                    strncmp(argv->items[k + 1], names[i], len) != 0 || argv->items[k + 1][len] != '=' ||
                    strcmp(argv->items[k + 1] + len + 1, value ? value : "") != 0) {
                        snprintf(why, size, "--setenv %s=<the environment's value> is not there", names[i]);
                        return why;
                }
        }
        return NULL;
}

/* In strict mode a value cannot hold whitespace, so --notify-ready=yes may
 * stand in $extraFlags or $EXTRA_NSPAWN_FLAGS as a word of its own, but
 * the fixed part of the exec line follows one of its occurrences. */
static void check_setenv(const char *name, const nc_container *container, const char *release, const nc_env *env,
                         const nc_strv *argv) {
        bool ephemeral = is_ephemeral(container, name), found = false;
        const char *why = "no --notify-ready=yes";
        char buf[128];

        for (size_t i = 0; i < argv->n && why; i++)
                if (strcmp(argv->items[i], "--notify-ready=yes") == 0) {
                        found = true;
                        why = mismatch_at(i, ephemeral, release, env, argv, buf, sizeof buf);
                }
        if (why)
                fuzz_fail("argv of %s (release %s)%s: %s", name, release, found ? " after --notify-ready=yes" : "", why);
}

/* One unit: its environment, then nc_build_argv() and
 * nc_nspawn_environment() (every other unit as an i686 guest). */
static void run_unit(const nc_container *container, const char *name, const char *release, nc_mode mode, size_t index,
                     const fuzz_units_input *input, void *userdata) {
        nc_error error = { .message = "" };
        nc_argv_request request = {
                .nspawn_path = "/run/current-system/sw/bin/systemd-nspawn",
                .init_path = "/run/nixcontainer-init",
                .guest_system = index % 2 == 1 ? "i686-linux" : "x86_64-linux",
                .mode = mode,
        };
        char *system_file = NULL;
        nc_env *env = NULL, *nspawn = NULL;
        nc_strv argv = { 0 };
        int r;

        (void) userdata;
        if (fuzz_unit_environment(container, name, input, &env) < 0)
                return;
        if (nc_argv_system_file(env, &system_file) < 0)
                fuzz_fail("nc_argv_system_file(%s) failed", name);

        r = nc_build_argv(container, env, &request, &argv, &error);
        if (r < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_build_argv(%s) failed (%d) without a message", name, r);
        } else if (mode == NC_MODE_STRICT)
                check_setenv(name, container, release, env, &argv);
        r = nc_nspawn_environment(container, env, &request, &nspawn, &error);
        if (r < 0 && r != -ENOTSUP && r != -ENOMEM)
                fuzz_fail("nc_nspawn_environment(%s) failed with %d", name, r);
        if (r >= 0 && nc_env_count(nspawn) < nc_env_count(env))
                fuzz_fail("nc_nspawn_environment(%s) lost names of the unit's environment", name);
        nc_env_free(nspawn);
        nc_strv_clear(&argv);
        nc_env_free(env);
        free(system_file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        return fuzz_units_in_both_modes(data, size, run_unit);
}
