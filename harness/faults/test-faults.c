/* Faults: allocation and netlink I/O failures injected at every call site
 * in turn (through the seams in seams.c), and kernel refusals caused for
 * real in throwaway network namespaces. Each must give a clean error:
 * no crash, no leak (this binary runs under valgrind and ASan), no silent
 * half-result. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "nixcontainer.h"
#include "seams.h"
#include "suite.h"
#include "text.h"
#include "tier.h"

#define MAX_CALL_SITES 100000

static const char *fixtures_dir = "fixtures";

static char *read_containers(const char *fixture) {
        char path[512], *json = NULL, *start, *end;
        size_t len;

        snprintf(path, sizeof path, "%s/%s.json", fixtures_dir, fixture);
        if (read_file(path, 1 << 20, &json, &len) < 0)
                return NULL;
        /* The fixture's "containers" object: this binary wraps malloc, so
         * keep parsing simple and outside the armed seam. */
        start = strstr(json, "\"containers\"");
        start = start ? strchr(start, '{') : NULL;
        if (!start) {
                free(json);
                return NULL;
        }
        {
                int depth = 0;
                bool in_string = false;
                for (end = start; *end; end++) {
                        if (in_string) {
                                if (*end == '\\' && end[1])
                                        end++;
                                else if (*end == '"')
                                        in_string = false;
                        } else if (*end == '"')
                                in_string = true;
                        else if (*end == '{')
                                depth++;
                        else if (*end == '}' && --depth == 0)
                                break;
                }
        }
        if (*end)
                end[1] = '\0';
        memmove(json, start, strlen(start) + 1);
        return json;
}

/* Everything the core does for a config: load, render, environment, argv. */
static int core_operations(const char *json, nc_mode mode, nc_error *error) {
        nc_config *config = NULL;
        nc_env *base = NULL;
        char *rendered = NULL;
        size_t len;
        int r = nc_config_load_json(json, strlen(json), mode, NULL, NULL, &config, error);

        if (r < 0)
                return r;
        base = nc_env_new();
        r = base ? nc_env_set(base, "PATH", "/run/current-system/sw/bin") : -ENOMEM;
        if (r >= 0)
                r = nc_render_hosts(config, &rendered, &len);
        free(rendered);
        rendered = NULL;
        for (size_t i = 0; r >= 0 && i < nc_config_count(config); i++) {
                const nc_container *c = nc_config_at(config, i);
                nc_argv_request request = { .init_path = "/init", .guest_system = "i686-linux", .mode = mode };
                nc_strv argv = { 0 };
                nc_env *env = NULL;

                r = nc_render_unit(c, nc_container_name(c), &rendered, &len);
                free(rendered);
                rendered = NULL;
                if (r >= 0)
                        r = nc_render_env_file(c, &rendered, &len);
                if (r >= 0)
                        r = nc_unit_environment(c, nc_container_name(c), base, rendered, len, &env, error);
                if (r >= 0)
                        r = nc_build_argv(c, env, &request, &argv, error);
                nc_strv_clear(&argv);
                nc_env_free(env);
                free(rendered);
                rendered = NULL;
        }
        nc_env_free(base);
        nc_config_free(config);
        return r;
}

/* Fails the 1st, 2nd, ... allocation until the operation gets through
 * without reaching the armed one. Each failure must surface as an error. */
static void loop_allocations(const char *fixture, nc_mode mode) {
        char *json = read_containers(fixture);
        long sites = 0;

        CU_ASSERT_PTR_NOT_NULL_FATAL(json);
        for (long n = 1; n < MAX_CALL_SITES; n++) {
                nc_error error = { { 0 } };
                int r;

                seam_fail_at(SEAM_ALLOCATION, n);
                r = core_operations(json, mode, &error);
                seam_fail_at(SEAM_ALLOCATION, 0);
                if (!seam_fired(SEAM_ALLOCATION)) {
                        CU_ASSERT_EQUAL(r, 0);
                        break;
                }
                sites++;
                if (r >= 0)
                        fprintf(stderr, "\n  %s: allocation %ld failed but the operation succeeded\n", fixture, n);
                CU_ASSERT_TRUE(r < 0);
        }
        printf("(%s: %ld allocation sites failed in turn) ", fixture, sites);
        CU_ASSERT_TRUE(sites > 10);
        free(json);
}

static void test_allocations_strict(void) {
        loop_allocations("kitchen-sink", NC_MODE_STRICT);
        loop_allocations("nixos-test-containers-extra_veth", NC_MODE_STRICT);
}

static void test_allocations_compat(void) {
        loop_allocations("invalid/compat-capability-dollar", NC_MODE_COMPAT);
        loop_allocations("invalid/compat-tmpfs-whitespace-injection", NC_MODE_COMPAT);
}

static void test_allocations_env_file(void) {
        static const char env_file[] = "# c\nA=1\nB='two words'\nC=\"x\\\"y\"\nD=a\\\nb\nA=again\n";
        long sites = 0;

        for (long n = 1; n < MAX_CALL_SITES; n++) {
                nc_env *env = NULL;
                int r;
                seam_fail_at(SEAM_ALLOCATION, n);
                env = nc_env_new();
                r = env ? nc_env_file_parse(env, env_file, sizeof env_file - 1, NULL) : -ENOMEM;
                seam_fail_at(SEAM_ALLOCATION, 0);
                if (!seam_fired(SEAM_ALLOCATION)) {
                        CU_ASSERT_EQUAL(r, 0);
                        CU_ASSERT_STRING_EQUAL(nc_env_get(env, "A"), "again");
                        nc_env_free(env);
                        break;
                }
                sites++;
                CU_ASSERT_TRUE(r < 0);
                /* On error the env is unchanged: still empty. */
                if (env)
                        CU_ASSERT_EQUAL(nc_env_count(env), 0);
                nc_env_free(env);
        }
        CU_ASSERT_TRUE(sites > 3);
}

/* ---- in throwaway network namespaces ------------------------------------ */

static unsigned tests_skipped; /* the tests that need root, when not root */

/* Whether a test that needs root must be skipped; says so, and counts it. */
static bool skip_unless_root(void) {
        if (geteuid() == 0)
                return false;
        printf("(skipped: needs root for network namespaces) ");
        tests_skipped++;
        return true;
}

/* Runs `fn` in a child with a fresh network namespace (it dies with the
 * child). Returns the child's exit status. */
static int in_netns(int (*fn)(void *), void *arg) {
        pid_t pid = fork();
        int status;

        if (pid < 0)
                return -1;
        if (pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (unshare(CLONE_NEWNET) < 0 || system("ip link set lo up") != 0)
                        _exit(100);
                _exit(fn(arg));
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

typedef struct network_case {
        const char *setup;   /* ip commands (a shell script) run first */
        const char *json;    /* the config */
        const char *env[8];  /* NAME=VALUE */
        int (*operation)(nc_netlink *, const nc_container *, const nc_env *, nc_error *);
        const char *step;    /* the step that must fail ("" for none) */
        const char *check;   /* a shell test of the state afterwards, or NULL */
        seam_kind seam;
        long fail_at;        /* arm the seam (0: no injection) */
} network_case;

static int prestart_operation(nc_netlink *nl, const nc_container *c, const nc_env *env, nc_error *error) {
        nc_prestart_request request = { .skip_machinectl = true };
        return nc_prestart(nl, c, env, &request, error);
}

/* In the child: exit 0 when the case behaved, 1 when not, 2 when the armed
 * seam was never reached (the loop is done). */
static int run_network_case(void *arg) {
        const network_case *t = arg;
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        nc_netlink *nl = NULL;
        nc_env *env = nc_env_new();
        int r, result = 1;

        if (system(t->setup) != 0 || !env ||
            nc_config_load_json(t->json, strlen(t->json), NC_MODE_STRICT, NULL, NULL, &config, NULL) < 0)
                goto out;
        for (size_t i = 0; t->env[i]; i++) {
                const char *eq = strchr(t->env[i], '=');
                char *name = strndup(t->env[i], (size_t) (eq - t->env[i]));
                nc_env_set(env, name, eq + 1);
                free(name);
        }
        if (t->fail_at)
                seam_fail_at(t->seam, t->fail_at);
        r = nc_netlink_open(&nl, &error);
        if (r >= 0)
                r = t->operation(nl, nc_config_at(config, 0), env, &error);
        if (t->fail_at) {
                seam_fail_at(t->seam, 0);
                if (!seam_fired(t->seam)) {
                        result = r >= 0 ? 2 : 1;
                        goto out;
                }
                /* An injected failure: an error with a message, or (prestart
                 * ignores errors as the script does) a success. */
                result = (r < 0 && error.message[0]) || (r >= 0 && t->operation == prestart_operation) ? 0 : 1;
                if (result)
                        fprintf(stderr, "\n  injected failure %ld: r=%d \"%s\"\n", t->fail_at, r, error.message);
                goto out;
        }
        if (t->step[0]) {
                size_t n = strlen(t->step);
                result = r < 0 && strncmp(error.message, t->step, n) == 0 && error.message[n] == ':' &&
                                         strlen(error.message) > n + 2
                                 ? 0
                                 : 1;
        } else
                result = r >= 0 ? 0 : 1;
        if (result)
                fprintf(stderr, "\n  expected failure at \"%s\", got r=%d \"%s\"\n", t->step, r, error.message);
        if (result == 0 && t->check && system(t->check) != 0) {
                fprintf(stderr, "\n  state check failed: %s\n", t->check);
                result = 1;
        }
out:
        nc_netlink_free(nl);
        nc_config_free(config);
        nc_env_free(env);
        return result;
}

#define ROUTED "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", " \
               "\"localAddress\": \"10.0.0.2\"}}"
#define ROUTED_ENV { "INSTANCE=web", "HOST_ADDRESS=10.0.0.1", "LOCAL_ADDRESS=10.0.0.2", NULL }
#define VETH "ip link add ve-web type veth peer name host0"

static const network_case kernel_faults[] = {
        /* a missing link */
        { "true", ROUTED, ROUTED_ENV, nc_host_setup, "ip link set dev ve-web up", NULL, 0, 0 },
        /* an address that already exists (EEXIST); nothing after it runs */
        { VETH " && ip addr add 10.0.0.1/32 dev ve-web", ROUTED, ROUTED_ENV, nc_host_setup,
          "ip addr add 10.0.0.1 dev ve-web", "! ip route show dev ve-web | grep -q 10.0.0.2", 0, 0 },
        /* a missing bridge */
        { "ip link add v1 type veth peer name v1c",
          "{\"web\": {\"path\": \"/x\", \"extraVeths\": {\"v1\": {\"hostBridge\": \"br9\"}}}}", { "INSTANCE=web", NULL },
          nc_host_setup, "ip link set dev v1 master br9 up", "! ip link show v1 | grep -q 'state UP'", 0, 0 },
        /* an interface that was already renamed */
        { "ip link add eth0 type veth peer name peer0", ROUTED, ROUTED_ENV, nc_init_setup,
          "ip link set host0 name eth0", NULL, 0, 0 },
        /* a name used after the run renamed it: the run must ask the kernel
         * again (and fail as `ip` would), not reuse the index it found */
        { VETH " && ip link set ve-web up",
          "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", "
          "\"localAddress\": \"10.0.0.2\", \"extraVeths\": {\"host0\": {\"localAddress\": \"10.1.0.2\"}}}}",
          ROUTED_ENV, nc_init_setup, "ip link set dev host0 up", "ip addr show dev eth0 | grep -q 10.0.0.2/32", 0, 0 },
        /* a kernel refusal: a routed address with host bits and a prefix */
        { VETH,
          "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", "
          "\"localAddress\": \"10.0.0.2/24\"}}",
          { "INSTANCE=web", "HOST_ADDRESS=10.0.0.1", "LOCAL_ADDRESS=10.0.0.2/24", NULL }, nc_host_setup,
          "ip route add 10.0.0.2/24 dev ve-web", "ip addr show dev ve-web | grep -q 10.0.0.1/32", 0, 0 },
        /* and the same setup succeeding */
        { VETH, ROUTED, ROUTED_ENV, nc_host_setup, "",
          "ip -d route show dev ve-web | grep -q '10.0.0.2 proto boot scope link'", 0, 0 },
};

static void test_kernel_faults(void) {
        if (skip_unless_root())
                return;
        for (size_t i = 0; i < sizeof kernel_faults / sizeof kernel_faults[0]; i++) {
                int status = in_netns(run_network_case, (void *) &kernel_faults[i]);
                CU_ASSERT_EQUAL(status, 0);
                if (status != 0)
                        fprintf(stderr, "\n  kernel fault case %zu: child exit %d\n", i, status);
        }
}

static int drop_net_admin_and_open(void *arg) {
        nc_error error = { { 0 } };
        nc_netlink *nl = NULL;
        cap_t caps = cap_get_proc();
        cap_value_t net_admin = CAP_NET_ADMIN;
        int r;

        (void) arg;
        if (!caps || cap_set_flag(caps, CAP_EFFECTIVE, 1, &net_admin, CAP_CLEAR) < 0 || cap_set_proc(caps) < 0)
                return 100;
        cap_free(caps);
        r = nc_netlink_open(&nl, &error);
        nc_netlink_free(nl);
        return r == -EPERM && strstr(error.message, "CAP_NET_ADMIN") ? 0 : 1;
}

static void test_no_net_admin(void) {
        if (skip_unless_root())
                return;
        CU_ASSERT_EQUAL(in_netns(drop_net_admin_and_open, NULL), 0);
}

static void loop_network_seam(seam_kind kind, const network_case *base, const char *what) {
        long sites = 0;

        for (long n = 1; n < 10000; n++) {
                network_case t = *base;
                int status;
                t.seam = kind;
                t.fail_at = n;
                status = in_netns(run_network_case, &t);
                if (status == 2)
                        break;
                sites++;
                CU_ASSERT_EQUAL(status, 0);
                if (status != 0) {
                        fprintf(stderr, "\n  %s: injected failure %ld: child exit %d\n", what, n, status);
                        break;
                }
        }
        printf("(%s: %ld call sites failed in turn) ", what, sites);
        CU_ASSERT_TRUE(sites > 0);
}

static const network_case host_setup_full = {
        VETH " && ip link add xv type veth peer name xvc && ip link add br0 type bridge && "
             "ip link add xb type veth peer name xbc",
        "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", "
        "\"localAddress\": \"10.0.0.2\", \"hostAddress6\": \"fc00::1\", \"localAddress6\": \"fc00::2\", "
        "\"extraVeths\": {\"xv\": {\"hostAddress\": \"10.1.0.1\", \"localAddress\": \"10.1.0.2\"}, "
        "\"xb\": {\"hostBridge\": \"br0\"}}}}",
        { "INSTANCE=web", "HOST_ADDRESS=10.0.0.1", "LOCAL_ADDRESS=10.0.0.2", "HOST_ADDRESS6=fc00::1",
          "LOCAL_ADDRESS6=fc00::2", NULL },
        nc_host_setup, "", NULL, 0, 0,
};

static const network_case prestart_full = {
        VETH " && ip link add vb-web type veth peer name host1 && ip link add xv type veth peer name xvc",
        "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", "
        "\"extraVeths\": {\"xv\": {}}}}",
        { "INSTANCE=web", "HOST_ADDRESS=10.0.0.1", NULL },
        prestart_operation, "", NULL, 0, 0,
};

/* Each call site of `kind` in postStart, then in preStart, fails in turn. */
static void loop_network_stages(seam_kind kind, const char *what) {
        char host_setup[64], prestart[64];

        if (skip_unless_root())
                return;
        snprintf(host_setup, sizeof host_setup, "host-setup %s", what);
        snprintf(prestart, sizeof prestart, "prestart %s", what);
        loop_network_seam(kind, &host_setup_full, host_setup);
        loop_network_seam(kind, &prestart_full, prestart);
}

static void test_network_allocations(void) {
        loop_network_stages(SEAM_ALLOCATION, "allocations");
}

static void test_network_io(void) {
        loop_network_stages(SEAM_NETLINK, "netlink I/O");
}

int main(int argc, char **argv) {
        static const suite_test tests[] = {
                { "every allocation of the core fails in turn (strict)", test_allocations_strict },
                { "every allocation of the core fails in turn (compat)", test_allocations_compat },
                { "every allocation of the env-file parser fails in turn", test_allocations_env_file },
                { "kernel refusals name the step and the kernel's text", test_kernel_faults },
                { "no CAP_NET_ADMIN is refused up front", test_no_net_admin },
                { "every allocation of the network setup fails in turn", test_network_allocations },
                { "every netlink send and receive fails in turn", test_network_io },
        };
        unsigned failures, tests_failed, run;

        if (argc > 1)
                fixtures_dir = argv[1];
        if (tier_begin("faults") < 0 || CU_initialize_registry() != CUE_SUCCESS)
                return 2;
        if (suite_add("faults", tests, sizeof tests / sizeof tests[0]) < 0)
                return 2;
        CU_basic_set_mode(CU_BRM_VERBOSE);
        CU_basic_run_tests();
        tests_failed = CU_get_number_of_tests_failed();
        failures = tests_failed + CU_get_number_of_suites_failed();
        run = CU_get_number_of_tests_run();
        CU_cleanup_registry();
        tier_summary(NULL, run - tests_failed - tests_skipped, failures, tests_skipped,
                     tests_skipped ? "skipped: needs root for network namespaces" : NULL);
        return failures ? 1 : 0;
}
