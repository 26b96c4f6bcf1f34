/* nixcontainer-test.h: the library's plans, as texts, for the harness. */
#include <errno.h>

#include "alloc-util.h"
#include "host-setup.h"
#include "init-setup.h"
#include "nixcontainer-test.h"

int nc_test_plan_texts(nc_test_script script, const nc_container *container, const nc_env *env,
                       nc_strv *ret_texts) {
        _cleanup_(nc_plan_clear) nc_plan plan = { 0 };
        _cleanup_(nc_strv_clear) nc_strv texts = { 0 };
        nc_plan_builder build;
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
        if (r < 0)
                return r;
        *ret_texts = TAKE_STRUCT(texts);
        return 0;
}
