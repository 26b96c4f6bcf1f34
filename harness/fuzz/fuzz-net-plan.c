/* fuzz-net-plan: the network plans (nc_test_plan_texts(): the `ip` steps
 * of postStart and of the container-init) on a fuzzed config and env file.
 *
 * The input is [RELEASE] CONFIG [NUL ENV-FILE], as fuzz-argv reads it. For
 * both modes the config is loaded; for every container and for one name not
 * in the config, the unit environment is built and both scripts planned,
 * twice.
 *
 * Checked besides crashes and leaks: a plan fails only with -ENOMEM or
 * -ENOTSUP (a value `ip` would not get as one word); every step is an `ip`
 * command on one line; the second plan is the first, step for step (no
 * hidden state); a script that is not one is -EINVAL. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "nixcontainer-test.h"

static void plan(nc_test_script script, const nc_container *container, const char *name, const nc_env *env) {
        nc_strv first = { 0 }, second = { 0 };
        int r = nc_test_plan_texts(script, container, env, &first);

        if (r < 0) {
                if (r != -ENOMEM && r != -ENOTSUP)
                        fuzz_fail("plan %d of %s: %d is neither -ENOMEM nor -ENOTSUP", (int) script, name, r);
                if (first.n != 0)
                        fuzz_fail("plan %d of %s: a failure changed the result", (int) script, name);
                return;
        }
        for (size_t i = 0; i < first.n; i++)
                if (strncmp(first.items[i], "ip ", 3) != 0 || strchr(first.items[i], '\n'))
                        fuzz_fail("plan %d of %s: step %zu is not an `ip` command on one line: %s", (int) script, name,
                                  i, first.items[i]);
        if (nc_test_plan_texts(script, container, env, &second) < 0 || second.n != first.n)
                fuzz_fail("plan %d of %s: the second plan differs in length", (int) script, name);
        for (size_t i = 0; i < first.n; i++)
                fuzz_expect_string("a step of the second plan", first.items[i], second.items[i]);
        nc_strv_clear(&first);
        nc_strv_clear(&second);
}

static void run_unit(const nc_container *container, const char *name, const char *release, nc_mode mode, size_t index,
                     const fuzz_units_input *input, void *userdata) {
        nc_strv none = { 0 };
        nc_env *env = NULL;

        (void) release, (void) mode, (void) index, (void) userdata;
        if (fuzz_unit_environment(container, name, input, &env) < 0)
                return;
        plan(NC_TEST_SCRIPT_HOST_SETUP, container, name, env);
        plan(NC_TEST_SCRIPT_INIT_SETUP, container, name, env);
        if (nc_test_plan_texts((nc_test_script) 99, container, env, &none) != -EINVAL || none.n != 0)
                fuzz_fail("an unknown script is not -EINVAL");
        nc_env_free(env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        return fuzz_units_in_both_modes(data, size, run_unit);
}
