/* nixcontainer-test.h: the library's plans, as texts, for the harness. */
#include <errno.h>
#include <string.h>

#include "alloc-util.h"
#include "host-setup.h"
#include "init-setup.h"
#include "ip-address.h"
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

int nc_test_ip_parse(const char *text, int family, bool prefix, nc_test_ip *ret) {
        nc_ip_prefix p;
        int r = prefix ? nc_ip_parse_prefix(text, family, &p) : nc_ip_parse_address(text, family, &p);

        if (r < 0)
                return r;
        *ret = (nc_test_ip) { .family = p.family, .byte_len = p.byte_len, .prefix_len = p.prefix_len };
        memcpy(ret->bytes, p.bytes, sizeof ret->bytes);
        return 0;
}
