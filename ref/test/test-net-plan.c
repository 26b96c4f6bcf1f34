/* The plans of postStart and container-init from the environment alone
 * (the imperative template) and from a config; values resolved as bash
 * would. (Declarative plans are compared with the module's own scripts by
 * the conformance suite.) */
#include <errno.h>
#include <stdlib.h>

#include <CUnit/CUnit.h>

#include "host-setup.h"
#include "init-setup.h"
#include "strbuf.h"
#include "unit-helpers.h"
#include "unit-tests.h"

static char *plan_text(int (*build)(nc_plan *, const nc_container *, const nc_env *), const nc_container *c,
                       const char *const *vars, int *ret_r) {
        nc_env *env = env_of(vars);
        nc_plan plan = { 0 };
        nc_strbuf b = { 0 };
        char *text;

        *ret_r = build(&plan, c, env);
        for (size_t i = 0; i < plan.n; i++)
                nc_strbuf_appendf(&b, "%s;", plan.steps[i].text);
        nc_strbuf_steal(&b, &text, NULL);
        nc_plan_clear(&plan);
        nc_env_free(env);
        return text;
}

static void test_template_host_setup(void) {
        static const char *const vars[] = { "INSTANCE=foo", "HOST_ADDRESS=10.233.1.1", "LOCAL_ADDRESS=10.233.1.2", NULL };
        int r;
        char *text = plan_text(nc_plan_host_setup, NULL, vars, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_STRING_EQUAL(text, "ip link set dev ve-foo up;ip addr add 10.233.1.1 dev ve-foo;"
                                     "ip route add 10.233.1.2 dev ve-foo;");
        free(text);
}

static void test_bridge_skips_host_side(void) {
        static const char *const vars[] = { "INSTANCE=foo", "HOST_ADDRESS=10.233.1.1", "HOST_BRIDGE=br0", NULL };
        int r;
        char *text = plan_text(nc_plan_host_setup, NULL, vars, &r);
        CU_ASSERT_STRING_EQUAL(text, "");
        free(text);
        text = plan_text(nc_plan_init_setup, NULL, vars, &r);
        CU_ASSERT_STRING_EQUAL(text, "ip link set host0 name eth0;ip link set dev eth0 up;"
                                     "ip route add 10.233.1.1 dev eth0;ip route add default via 10.233.1.1;");
        free(text);
}

static void test_static_value_wins(void) {
        /* ipcall: a declarative hostAddress is baked in; the env's is not read. */
        static const char *const vars[] = { "INSTANCE=web", "HOST_ADDRESS=10.9.9.9", "LOCAL_ADDRESS6=fc00::2", NULL };
        nc_config *config = load_json("{\"web\": {\"path\": \"/x\", \"hostAddress\": \"10.0.0.1\"}}", NC_MODE_STRICT, NULL);
        int r;
        char *text;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        text = plan_text(nc_plan_host_setup, &config->containers[0], vars, &r);
        CU_ASSERT_STRING_EQUAL(text, "ip link set dev ve-web up;ip addr add 10.0.0.1 dev ve-web;"
                                     "ip -6 route add fc00::2 dev ve-web;");
        free(text);
        nc_config_free(config);
}

static void test_values_resolved_as_bash_does(void) {
        static const char *const split[] = { "INSTANCE=foo", "LOCAL_ADDRESS=10.0.0.2 broadcast +", NULL };
        static const char *const padded[] = { "INSTANCE=foo", "LOCAL_ADDRESS= 10.0.0.2 ", NULL };
        int r;
        char *text = plan_text(nc_plan_init_setup, NULL, split, &r);
        /* `ip addr add $LOCAL_ADDRESS dev eth0` would get other arguments */
        CU_ASSERT_EQUAL(r, -ENOTSUP);
        free(text);
        text = plan_text(nc_plan_init_setup, NULL, padded, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_TRUE(contains(text, "ip addr add 10.0.0.2 dev eth0;"));
        free(text);
}

/* Issue 13, item 2: hostAddress = "" (not null) is pasted as nothing:
 * `ip addr add  dev ve-web`, which fails at run time after the link is up;
 * the plan keeps the step, without a value, rather than refusing it all. */
static void test_empty_value_keeps_the_step(void) {
        static const char *const vars[] = { "INSTANCE=web", "HOST_ADDRESS=", "LOCAL_ADDRESS=10.0.0.2", NULL };
        nc_config *config = load_json("{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"\", "
                                      "\"localAddress\": \"10.0.0.2\"}}", NC_MODE_COMPAT, NULL);
        int r;
        char *text;

        CU_ASSERT_PTR_NOT_NULL_FATAL(config);
        text = plan_text(nc_plan_host_setup, nc_config_find(config, "web"), vars, &r);
        CU_ASSERT_EQUAL(r, 0);
        CU_ASSERT_STRING_EQUAL(text, "ip link set dev ve-web up;ip addr add dev ve-web;ip route add 10.0.0.2 dev ve-web;");
        free(text);
        nc_config_free(config);
}

void nc_test_register_net_plan(void) {
        static const nc_test_case tests[] = {
                { "postStart of the imperative template", test_template_host_setup },
                { "HOST_BRIDGE: no host side, eth0 still set up", test_bridge_skips_host_side },
                { "a declarative value is baked in", test_static_value_wins },
                { "values reach ip as bash splits them", test_values_resolved_as_bash_does },
                { "an empty value keeps its step, without the value", test_empty_value_keeps_the_step },
        };

        nc_test_add_suite("network plans", tests, ELEMENTSOF(tests));
}
