/* The plans of postStart and container-init from the environment alone
 * (the imperative template) and from a config; values resolved as bash
 * would. (Declarative plans are compared with the module's own scripts by
 * the conformance suite.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "host-setup.h"
#include "init-setup.h"
#include "strbuf.h"
#include "unit-helpers.h"
#include "unit-tests.h"

typedef int (*plan_build)(nc_plan *, const nc_container *, const nc_env *);

/* A plan built from the environment `vars` (and the config `json`, NULL:
 * none, the imperative template). */
typedef struct plan_case {
        const char *what;
        plan_build build;
        const char *json;
        const char *vars[4];
        int r;               /* what building returns */
        const char *steps;   /* the plan's steps, each followed by ';' (NULL: not compared) */
        const char *present; /* or one step in it */
} plan_case;

static const plan_case cases[] = {
        { .what = "postStart of the imperative template",
          .build = nc_plan_host_setup,
          .vars = { "INSTANCE=foo", "HOST_ADDRESS=10.233.1.1", "LOCAL_ADDRESS=10.233.1.2" },
          .steps = "ip link set dev ve-foo up;ip addr add 10.233.1.1 dev ve-foo;ip route add 10.233.1.2 dev ve-foo;" },
        { .what = "HOST_BRIDGE: no host side",
          .build = nc_plan_host_setup,
          .vars = { "INSTANCE=foo", "HOST_ADDRESS=10.233.1.1", "HOST_BRIDGE=br0" },
          .steps = "" },
        { .what = "HOST_BRIDGE: eth0 still set up",
          .build = nc_plan_init_setup,
          .vars = { "INSTANCE=foo", "HOST_ADDRESS=10.233.1.1", "HOST_BRIDGE=br0" },
          .steps = "ip link set host0 name eth0;ip link set dev eth0 up;"
                   "ip route add 10.233.1.1 dev eth0;ip route add default via 10.233.1.1;" },
        /* ipcall: a declarative hostAddress is baked in; the env's is not read. */
        { .what = "a declarative value is baked in",
          .build = nc_plan_host_setup,
          .json = "{\"web\": {\"path\": \"/x\", \"hostAddress\": \"10.0.0.1\"}}",
          .vars = { "INSTANCE=web", "HOST_ADDRESS=10.9.9.9", "LOCAL_ADDRESS6=fc00::2" },
          .steps = "ip link set dev ve-web up;ip addr add 10.0.0.1 dev ve-web;ip -6 route add fc00::2 dev ve-web;" },
        /* `ip addr add $LOCAL_ADDRESS dev eth0` would get other arguments */
        { .what = "a value bash splits into words is refused",
          .build = nc_plan_init_setup,
          .vars = { "INSTANCE=foo", "LOCAL_ADDRESS=10.0.0.2 broadcast +" },
          .r = -ENOTSUP },
        { .what = "a value bash trims is trimmed",
          .build = nc_plan_init_setup,
          .vars = { "INSTANCE=foo", "LOCAL_ADDRESS= 10.0.0.2 " },
          .present = "ip addr add 10.0.0.2 dev eth0;" },
};

static void test_plans(void) {
        for (const plan_case *c = cases; c < cases + ELEMENTSOF(cases); c++) {
                nc_config *config = c->json ? load_json(c->json, NC_MODE_STRICT, NULL) : NULL;
                nc_env *env = env_of(c->vars);
                nc_plan plan = { 0 };
                nc_strbuf b = { 0 };
                char *steps = NULL, returned[32];
                int r;

                assert_case(!c->json || config, c->what, "cannot load", c->json ? c->json : "");
                r = c->build(&plan, config ? &config->containers[0] : NULL, env);
                snprintf(returned, sizeof returned, "%d", r);
                assert_case(r == c->r, c->what, "returned", returned);
                for (size_t i = 0; i < plan.n; i++)
                        nc_strbuf_appendf(&b, "%s;", plan.steps[i].text);
                nc_strbuf_steal(&b, &steps, NULL);
                if (c->steps)
                        assert_case(steps && strcmp(steps, c->steps) == 0, c->what, "planned", steps ? steps : "");
                if (c->present)
                        assert_case(contains(steps, c->present), c->what, "lacks", c->present);
                free(steps);
                nc_plan_clear(&plan);
                nc_env_free(env);
                nc_config_free(config);
        }
}

void nc_test_register_net_plan(void) {
        static const suite_test tests[] = {
                { "the plans from the environment and a config", test_plans },
        };

        suite_add("network plans", tests, ELEMENTSOF(tests));
}
