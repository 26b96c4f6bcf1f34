/* nixcontainer-test.h: the library's plans, as texts, for the harness. */
#include <errno.h>

#include "net-plan.h"
#include "nixcontainer-test.h"

int nc_test_plan_texts(nc_test_script script, const nc_container *container, const nc_env *env,
                       nc_strv *ret_texts) {
        int (*build)(nc_plan *, const nc_container *, const nc_env *);
        nc_plan plan = { 0 };
        nc_strv texts = { 0 };
        int r;

        switch (script) {
        case NC_TEST_SCRIPT_HOST_SETUP:
                build = nc_plan_host_setup;
                break;
        case NC_TEST_SCRIPT_INIT_SETUP:
                build = nc_plan_init_setup;
                break;
        default:
                return -EINVAL;
        }
        r = build(&plan, container, env);
        for (size_t i = 0; r >= 0 && i < plan.n; i++)
                r = nc_strv_push(&texts, plan.steps[i].text);
        nc_plan_clear(&plan);
        if (r < 0) {
                nc_strv_clear(&texts);
                return r;
        }
        *ret_texts = texts;
        return 0;
}
