/* Faults: allocation and netlink I/O failures injected at every call site
 * in turn (through the seams in seams.c), and kernel refusals caused for
 * real in throwaway network namespaces. Each must give a clean error:
 * no crash, no leak (this binary runs under valgrind and ASan), no silent
 * half-result. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "array.h"
#include "nixcontainer.h"
#include "seams.h"
#include "results.h"
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
        const char *after_fault; /* a shell test of the state after an injected failure, or NULL */
} network_case;

static int prestart_operation(nc_netlink *nl, const nc_container *c, const nc_env *env, nc_error *error) {
        nc_prestart_request request = { .skip_machinectl = true };
        return nc_prestart(nl, c, env, &request, error);
}

static int prestart_compat_operation(nc_netlink *nl, const nc_container *c, const nc_env *env, nc_error *error) {
        nc_prestart_request request = { .skip_machinectl = true, .mode = NC_MODE_COMPAT };
        return nc_prestart(nl, c, env, &request, error);
}

static bool is_prestart(const network_case *t) {
        return t->operation == prestart_operation || t->operation == prestart_compat_operation;
}

/* Runs the case's setup and loads its config and environment. */
static int prepare_case(const network_case *t, nc_config **ret_config, nc_env **ret_env) {
        nc_env *env = nc_env_new();

        if (system(t->setup) != 0 || !env ||
            nc_config_load_json(t->json, strlen(t->json), NC_MODE_STRICT, NULL, NULL, ret_config, NULL) < 0) {
                nc_env_free(env);
                return -1;
        }
        for (size_t i = 0; t->env[i]; i++) {
                const char *eq = strchr(t->env[i], '=');
                char *name = strndup(t->env[i], (size_t) (eq - t->env[i]));
                nc_env_set(env, name, eq + 1);
                free(name);
        }
        *ret_env = env;
        return 0;
}

/* In the child: exit 0 when the case behaved, 1 when not, 2 when the armed
 * seam was never reached (the loop is done). */
static int run_network_case(void *arg) {
        const network_case *t = arg;
        nc_error error = { { 0 } };
        nc_config *config = NULL;
        nc_netlink *nl = NULL;
        nc_env *env = NULL;
        int r, result = 1;

        if (prepare_case(t, &config, &env) < 0)
                goto out;
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
                result = (r < 0 && error.message[0]) || (r >= 0 && is_prestart(t)) ? 0 : 1;
                if (result)
                        fprintf(stderr, "\n  injected failure %ld: r=%d \"%s\"\n", t->fail_at, r, error.message);
                else if (t->after_fault && system(t->after_fault) != 0) {
                        fprintf(stderr, "\n  injected failure %ld: state check failed: %s\n", t->fail_at, t->after_fault);
                        result = 1;
                }
                goto out;
        }
        if (t->step[0]) {
                size_t n = strlen(t->step);
                /* A step that fails is a runtime failure: -ENOTSUP says that
                 * nothing was run, a value the library cannot reproduce. */
                result = r < 0 && r != -ENOTSUP && strncmp(error.message, t->step, n) == 0 && error.message[n] == ':' &&
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
        { "true", ROUTED, ROUTED_ENV, nc_host_setup, "ip link set dev ve-web up", NULL, 0, 0, NULL },
        /* an address that already exists (EEXIST); nothing after it runs */
        { VETH " && ip addr add 10.0.0.1/32 dev ve-web", ROUTED, ROUTED_ENV, nc_host_setup,
          "ip addr add 10.0.0.1 dev ve-web", "! ip route show dev ve-web | grep -q 10.0.0.2", 0, 0, NULL },
        /* a missing bridge */
        { "ip link add v1 type veth peer name v1c",
          "{\"web\": {\"path\": \"/x\", \"extraVeths\": {\"v1\": {\"hostBridge\": \"br9\"}}}}", { "INSTANCE=web", NULL },
          nc_host_setup, "ip link set dev v1 master br9 up", "! ip link show v1 | grep -q 'state UP'", 0, 0, NULL },
        /* a master that is no bridge (the kernel's EOPNOTSUPP): a failing
         * step, not a value the library cannot reproduce (-ENOTSUP) */
        { "ip link add v1 type veth peer name v1c && ip link add notbr type veth peer name notbrc",
          "{\"web\": {\"path\": \"/x\", \"extraVeths\": {\"v1\": {\"hostBridge\": \"notbr\"}}}}", { "INSTANCE=web", NULL },
          nc_host_setup, "ip link set dev v1 master notbr up", "! ip link show v1 | grep -q master", 0, 0, NULL },
        /* an interface that was already renamed */
        { "ip link add eth0 type veth peer name peer0", ROUTED, ROUTED_ENV, nc_init_setup,
          "ip link set host0 name eth0", NULL, 0, 0, NULL },
        /* a name used after the run renamed it: the run must ask the kernel
         * again (and fail as `ip` would), not reuse the index it found */
        { VETH " && ip link set ve-web up",
          "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", "
          "\"localAddress\": \"10.0.0.2\", \"extraVeths\": {\"host0\": {\"localAddress\": \"10.1.0.2\"}}}}",
          ROUTED_ENV, nc_init_setup, "ip link set dev host0 up", "ip addr show dev eth0 | grep -q 10.0.0.2/32", 0, 0, NULL },
        /* a kernel refusal: a routed address with host bits and a prefix */
        { VETH,
          "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", "
          "\"localAddress\": \"10.0.0.2/24\"}}",
          { "INSTANCE=web", "HOST_ADDRESS=10.0.0.1", "LOCAL_ADDRESS=10.0.0.2/24", NULL }, nc_host_setup,
          "ip route add 10.0.0.2/24 dev ve-web", "ip addr show dev ve-web | grep -q 10.0.0.1/32", 0, 0, NULL },
        /* and the same setup succeeding */
        { VETH, ROUTED, ROUTED_ENV, nc_host_setup, "",
          "ip -d route show dev ve-web | grep -q '10.0.0.2 proto boot scope link'", 0, 0, NULL },
};

static void test_kernel_faults(void) {
        if (skip_unless_root())
                return;
        for (size_t i = 0; i < ELEMENTSOF(kernel_faults); i++) {
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

/* Runs `base` in a fresh namespace with fail_at = 1, 2, ... (and `kind`)
 * through `run` until it says the point was never reached (2); `points_are`
 * says what was counted ("call sites failed in turn"). */
static void loop_network_points(int (*run)(void *), seam_kind kind, const network_case *base, const char *what,
                                const char *points_are) {
        long points = 0;

        for (long n = 1; n < 10000; n++) {
                network_case t = *base;
                int status;
                t.seam = kind;
                t.fail_at = n;
                status = in_netns(run, &t);
                if (status == 2)
                        break;
                points++;
                CU_ASSERT_EQUAL(status, 0);
                if (status != 0) {
                        fprintf(stderr, "\n  %s: point %ld: child exit %d\n", what, n, status);
                        break;
                }
        }
        printf("(%s: %ld %s) ", what, points, points_are);
        CU_ASSERT_TRUE(points > 0);
}

static void loop_network_seam(seam_kind kind, const network_case *base, const char *what) {
        loop_network_points(run_network_case, kind, base, what, "call sites failed in turn");
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
        nc_host_setup, "", NULL, 0, 0, NULL,
};

/* preStart over three veths (one in a device group of its own, as nftables
 * rules use them), a bridge and `lo` named as extraVeths. */
#define PRESTART_SETUP                                                                                 \
        VETH " && ip link add vb-web type veth peer name host1 && ip link add xv type veth peer name xvc " \
             "&& ip link set xv group 7 && ip link add eth0 type bridge"
#define PRESTART_JSON                                                                           \
        "{\"web\": {\"path\": \"/x\", \"privateNetwork\": true, \"hostAddress\": \"10.0.0.1\", " \
        "\"extraVeths\": {\"xv\": {}, \"eth0\": {}, \"lo\": {}}}}"
#define PRESTART_ENV { "INSTANCE=web", "HOST_ADDRESS=10.0.0.1", NULL }
/* Whatever failed or stopped the run: each link is gone or as it was (its
 * group; lo is there), never in another group. */
#define LINKS_UNCHANGED                                                                     \
        "ip -o link show lo | grep -q 'group default' && "                                      \
        "{ ! ip link show xv > /dev/null 2>&1 || ip -o link show xv | grep -q ' group 7 '; } && " \
        "! ip -o link show | grep -v -e '^[0-9]*: xv@' -e ' group default ' | grep -q ."
/* and strict mode left the bridge alone */
#define BRIDGE_KEPT "ip -o link show eth0 | grep -q ' group default ' && "

static const network_case prestart_full = {
        PRESTART_SETUP, PRESTART_JSON, PRESTART_ENV, prestart_operation, "",
        BRIDGE_KEPT "! ip link show ve-web 2> /dev/null && ! ip link show xv 2> /dev/null && "
                    "! ip link show host1 2> /dev/null && ! ip link show xvc 2> /dev/null",
        0, 0, BRIDGE_KEPT LINKS_UNCHANGED,
};

static const network_case prestart_compat = {
        PRESTART_SETUP, PRESTART_JSON, PRESTART_ENV, prestart_compat_operation, "",
        "ip -o link | cut -d: -f2 | tr -d ' \\n' | grep -qx lo", 0, 0, LINKS_UNCHANGED,
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
        snprintf(prestart, sizeof prestart, "prestart --compat %s", what);
        loop_network_seam(kind, &prestart_compat, prestart);
}

/* In the case's namespace: a child runs preStart and is killed at its
 * `nth` netlink call (between two requests: the call is the next one's
 * send, or the answer's read); then the state is checked. Exit 0 when it
 * holds, 1 when not, 2 when the run ended before that call. */
static int kill_prestart_at(void *arg) {
        const network_case *t = arg;
        nc_config *config = NULL;
        nc_env *env = NULL;
        int status, result = 1;
        pid_t pid;

        if (prepare_case(t, &config, &env) < 0)
                goto out;
        pid = fork();
        if (pid < 0)
                goto out;
        if (pid == 0) {
                nc_error error = { { 0 } };
                nc_netlink *nl = NULL;
                if (nc_netlink_open(&nl, &error) < 0)
                        _exit(1);
                seam_kill_at(SEAM_NETLINK, t->fail_at);
                (void) t->operation(nl, nc_config_at(config, 0), env, &error);
                _exit(2);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        goto out;
        if (WIFEXITED(status))
                result = WEXITSTATUS(status) == 2 ? 2 : 1;
        else if (WTERMSIG(status) == SIGKILL)
                result = system(t->after_fault) == 0 ? 0 : 1;
out:
        nc_config_free(config);
        nc_env_free(env);
        return result;
}

static void loop_prestart_kill(const network_case *base, const char *what) {
        loop_network_points(kill_prestart_at, SEAM_NETLINK, base, what, "netlink calls, killed at each in turn");
}

static void test_prestart_killed(void) {
        if (skip_unless_root())
                return;
        loop_prestart_kill(&prestart_full, "prestart");
        loop_prestart_kill(&prestart_compat, "prestart --compat");
}

/* What preStart leaves, and why: strict names the bridge and lo, compat
 * the kernel's refusal for lo. */
static void collect_skipped(const char *name, const char *reason, void *userdata) {
        char *list = userdata;
        size_t len = strlen(list);
        snprintf(list + len, 512 - len, "%s: %s\n", name, reason);
}

static int prestart_reports(void *arg) {
        const network_case *t = arg;
        char list[512] = "";
        nc_prestart_request request = {
                .skip_machinectl = true,
                .mode = t->operation == prestart_compat_operation ? NC_MODE_COMPAT : NC_MODE_STRICT,
                .skipped = collect_skipped,
                .userdata = list,
        };
        nc_config *config = NULL;
        nc_env *env = NULL;
        int result = 1;

        if (prepare_case(t, &config, &env) == 0 &&
            nc_prestart(NULL, nc_config_at(config, 0), env, &request, NULL) == 0 && system(t->check) == 0)
                result = strcmp(list, request.mode == NC_MODE_COMPAT
                                              ? "lo: the kernel refused to delete it: Operation not supported\n"
                                              : "eth0: not a veth (kind bridge), so not the container's\n"
                                                "lo: not a veth (no kind: loopback or hardware), so not the container's\n") == 0
                                 ? 0
                                 : 1;
        if (result)
                fprintf(stderr, "\n  reported: %s", list);
        nc_config_free(config);
        nc_env_free(env);
        return result;
}

static void test_prestart_reports(void) {
        if (skip_unless_root())
                return;
        CU_ASSERT_EQUAL(in_netns(prestart_reports, (void *) &prestart_full), 0);
        CU_ASSERT_EQUAL(in_netns(prestart_reports, (void *) &prestart_compat), 0);
}

static void test_network_allocations(void) {
        loop_network_stages(SEAM_ALLOCATION, "allocations");
}

static void test_network_io(void) {
        loop_network_stages(SEAM_NETLINK, "netlink I/O");
}

/* The oracle: the module's own preStart (golden/21.05/FIXTURE/NAME.prestart)
 * under bash, and the ref's in compat mode, each in a fresh namespace with
 * the same links -- among them a bridge and a veth in a group of its own
 * under extraVeths names -- must leave the same links in the same groups;
 * strict mode leaves the bridges besides. */
#define ORACLE_FIXTURE "nixos-test-containers-extra_veth"
#define ORACLE_NAME "webserver"
#define ORACLE_SETUP                                                                                         \
        "ip link add ve-webserver type veth peer name host0 && ip link add vb-webserver type bridge && "       \
        "ip link add veth1 type bridge && ip link add veth2 type veth peer name veth2c && ip link set veth2 " \
        "group 7 && ip link add other type veth peer name otherc"
#define ORACLE_ENV "INSTANCE=" ORACLE_NAME " HOST_BRIDGE=br0 LOCAL_ADDRESS=192.168.0.100/24 LOCAL_ADDRESS6=fc00::2/7"
/* NAME GROUP, one a line, sorted */
#define ORACLE_STATE "ip -o link show | sed -E 's/^[0-9]+: ([^:@]+)[@:].* group ([^ ]+).*/\\1 \\2/' | sort > "

typedef struct oracle_run {
        nc_mode mode;
        bool original;
        const char *out; /* where the state goes */
} oracle_run;

static int run_oracle(void *arg) {
        const oracle_run *o = arg;
        char command[1024];
        int result = 1;

        if (system(ORACLE_SETUP) != 0)
                return 1;
        if (o->original) {
                /* machinectl is a no-op here: the host's machines are not ours */
                snprintf(command, sizeof command,
                         "d=$(mktemp -d) && ln -s /bin/true \"$d/machinectl\" && env PATH=\"$d:$PATH\" " ORACLE_ENV
                         " bash -e golden/21.05/" ORACLE_FIXTURE "/" ORACLE_NAME ".prestart; r=$?; rm -r \"$d\"; exit $r");
                result = system(command) == 0 ? 0 : 1;
        } else {
                nc_prestart_request request = { .skip_machinectl = true, .mode = o->mode };
                char *json = read_containers(ORACLE_FIXTURE);
                nc_config *config = NULL;
                nc_env *env = nc_env_new();
                const char *vars[] = { "INSTANCE", ORACLE_NAME, "HOST_BRIDGE", "br0", "LOCAL_ADDRESS", "192.168.0.100/24",
                                       "LOCAL_ADDRESS6", "fc00::2/7" };

                for (size_t i = 0; env && i < ELEMENTSOF(vars); i += 2)
                        nc_env_set(env, vars[i], vars[i + 1]);
                if (json && env &&
                    nc_config_load_json(json, strlen(json), NC_MODE_COMPAT, "21.05", NULL, &config, NULL) >= 0)
                        result = nc_prestart(NULL, nc_config_find(config, ORACLE_NAME), env, &request, NULL) == 0 ? 0 : 1;
                nc_config_free(config);
                nc_env_free(env);
                free(json);
        }
        snprintf(command, sizeof command, ORACLE_STATE "%s", o->out);
        return result == 0 && system(command) == 0 ? 0 : 1;
}

static void test_prestart_oracle(void) {
        char dir[] = "/tmp/nixcontainer-faults.XXXXXX", original[64], compat[64], strict[64], command[1024];
        oracle_run runs[] = { { NC_MODE_COMPAT, true, original }, { NC_MODE_COMPAT, false, compat },
                              { NC_MODE_STRICT, false, strict } };

        if (skip_unless_root())
                return;
        if (!mkdtemp(dir)) {
                CU_FAIL("mkdtemp");
                return;
        }
        snprintf(original, sizeof original, "%s/original", dir);
        snprintf(compat, sizeof compat, "%s/compat", dir);
        snprintf(strict, sizeof strict, "%s/strict", dir);
        for (size_t i = 0; i < ELEMENTSOF(runs); i++)
                CU_ASSERT_EQUAL(in_netns(run_oracle, &runs[i]), 0);
        /* the original deletes the bridges too; strict leaves exactly them */
        snprintf(command, sizeof command,
                 "cmp -s %s %s && printf 'lo default\nother default\notherc default\n' | cmp -s - %s && "
                 "printf 'lo default\nother default\notherc default\nvb-webserver default\nveth1 default\n' | "
                 "cmp -s - %s",
                 original, compat, original, strict);
        if (system(command) != 0) {
                snprintf(command, sizeof command, "head -v %s/* >&2", dir);
                (void) system(command);
                CU_FAIL("preStart does not leave what the module's script leaves");
        }
        snprintf(command, sizeof command, "rm -r %s", dir);
        (void) system(command);
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
                { "preStart deletes veths only (strict) and reports what it leaves", test_prestart_reports },
                { "preStart killed at each netlink call leaves no link changed", test_prestart_killed },
                { "preStart --compat leaves what the module's script leaves", test_prestart_oracle },
        };
        unsigned failures, tests_failed, run;

        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || argc > 2 || argv[1][0] == '-')) {
                fprintf(strcmp(argv[1], "--help") == 0 ? stdout : stderr,
                        "usage: test-faults [FIXTURES_DIR]\n"
                        "Every allocation, netlink call and kernel refusal of the library fails in turn (the\n"
                        "seams of harness/faults/seams.c); FIXTURES_DIR defaults to fixtures. Root for the\n"
                        "network cases (throwaway namespaces).\n");
                return strcmp(argv[1], "--help") == 0 ? 0 : 2;
        }
        if (argc > 1)
                fixtures_dir = argv[1];
        if (tier_begin("faults") < 0 || CU_initialize_registry() != CUE_SUCCESS)
                return 2;
        if (suite_add("faults", tests, ELEMENTSOF(tests)) < 0)
                return 2;
        CU_basic_set_mode(CU_BRM_VERBOSE);
        CU_basic_run_tests();
        tests_failed = CU_get_number_of_tests_failed();
        failures = tests_failed + CU_get_number_of_suites_failed();
        run = CU_get_number_of_tests_run();
        if (results_write_all(NULL, true, "faults", NULL, NULL) < 0)
                failures++;
        CU_cleanup_registry();
        tier_summary(NULL, run - tests_failed - tests_skipped, failures, tests_skipped,
                     tests_skipped ? "skipped: needs root for network namespaces" : NULL);
        return failures ? 1 : 0;
}
