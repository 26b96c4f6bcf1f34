/* preStart (preStartScript in nixos-containers.nix): clean up what a
 * previous run left behind. Every step ignores errors, as the script's
 * `2> /dev/null || true` does. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config-internal.h"
#include "alloc-util.h"
#include "error.h"
#include "netlink.h"
#include "prestart.h"
#include "script-env.h"
#include "strbuf.h"

extern char **environ;

void nc_machinectl_terminate(const char *name) {
        char *argv[] = { "machinectl", "terminate", (char *) name, NULL };
        posix_spawn_file_actions_t actions;
        pid_t pid;
        int status;

        if (posix_spawn_file_actions_init(&actions) != 0)
                return;
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        if (posix_spawnp(&pid, "machinectl", &actions, NULL, argv, environ) == 0)
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                        ;
        posix_spawn_file_actions_destroy(&actions);
}

/* One nc_prestart() call: what it reports to, and the caller's socket. */
typedef struct prestart_run {
        const nc_prestart_request *request;
        nc_netlink *host; /* the caller's namespace */
} prestart_run;

static void report_skipped(const prestart_run *run, const char *name, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

static void report_skipped(const prestart_run *run, const char *name, const char *format, ...) {
        char reason[320];
        va_list ap;

        if (!run->request || !run->request->skipped)
                return;
        va_start(ap, format);
        vsnprintf(reason, sizeof reason, format, ap);
        va_end(ap);
        run->request->skipped(name, reason, run->request->userdata);
}

static void report_refusal(const prestart_run *run, nc_netlink *nl, const char *name, int r) {
        const char *text = nc_nl_kernel_message(nl);
        report_skipped(run, name, "the kernel refused to delete it: %s", text[0] ? text : strerror(-r));
}

/* ip link del dev NAME: one request, all or nothing. */
static void delete_one(const prestart_run *run, const char *name, int ifindex) {
        int r = nc_nl_link_delete(run->host, ifindex, 0);
        if (r < 0 && r != -ENODEV)
                report_refusal(run, run->host, name, r);
}

/* A new network namespace and a route netlink socket in it, with the
 * calling thread back in its own namespace. Returns 0; a negative errno
 * when none can be had (no CAP_SYS_ADMIN, no memory), with the thread where
 * it was; or 1 with -errno in *ret_stuck when the thread could not return
 * (then nothing else may be done here). */
static int open_batch_namespace(int *ret_fd, nc_netlink **ret_nl, int *ret_stuck) {
        _cleanup_close_ int home = -EBADF, batch = -EBADF;
        _cleanup_(nc_netlink_freep) nc_netlink *nl = NULL;
        int r;

        home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (home < 0)
                return -errno;
        if (unshare(CLONE_NEWNET) < 0)
                return -errno;
        batch = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        r = batch < 0 ? -errno : nc_netlink_open(&nl, NULL);
        if (setns(home, CLONE_NEWNET) < 0) {
                *ret_stuck = -errno;
                return 1;
        }
        if (r < 0)
                return r;
        *ret_fd = batch;
        batch = -EBADF;
        *ret_nl = TAKE_PTR(nl);
        return 0;
}

static bool contains_group(const nc_nl_link *links, size_t n, uint32_t group) {
        for (size_t i = 0; i < n; i++)
                if (links[i].group == group)
                        return true;
        return false;
}

/* Deleting a device costs an RCU grace period; the kernel pays it once for
 * all the links of a group deleted in one request, but a group is a change
 * that a failure or a kill between two requests could leave on a link
 * (nftables matches on it). So the veths move into a namespace that only
 * this call holds, and are deleted there by group: a veth (no netns_refund)
 * is destroyed with a namespace that dies, so one that has moved is gone
 * whatever happens next, and one that has not is as it was. The move keeps
 * names, indexes and groups; the namespace's own `lo` is put in a group of
 * none of them first. Returns 0, -errno when no batch namespace can be had
 * (nothing changed), or 1 with -errno in *ret_stuck (see above). */
static int delete_veths_batched(const prestart_run *run, char **names, nc_nl_link *links, size_t n, int *ret_stuck) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_(nc_netlink_freep) nc_netlink *batch = NULL;
        _cleanup_free_ bool *moved = calloc(n, sizeof *moved);
        nc_nl_link lo;
        uint32_t lo_group = 1;
        bool by_group = true;
        int r;

        if (!moved)
                return -ENOMEM;
        r = open_batch_namespace(&fd, &batch, ret_stuck);
        if (r != 0)
                return r;
        while (contains_group(links, n, lo_group))
                lo_group++;
        if (nc_nl_link_get(batch, "lo", &lo) < 0 ||
            nc_nl_link_change(batch, lo.ifindex, &(nc_nl_link_settings) { .set_group = true, .group = lo_group }) < 0)
                by_group = false;
        for (size_t i = 0; i < n; i++) {
                r = nc_nl_link_change(run->host, links[i].ifindex,
                                      &(nc_nl_link_settings) { .set_netns = true, .netns_fd = fd });
                moved[i] = r >= 0;
                /* Not moved: it is as it was; delete it where it is. */
                if (!moved[i])
                        delete_one(run, names[i], links[i].ifindex);
        }
        for (size_t i = 0; by_group && i < n; i++)
                if (moved[i] && !contains_group(links, i, links[i].group))
                        by_group = nc_nl_link_delete(batch, 0, links[i].group) >= 0;
        /* What a refused group deletion left, one by one; whatever is left
         * after that dies with the namespace when `fd` and `batch` close. */
        for (size_t i = 0; !by_group && i < n; i++)
                if (moved[i] && nc_nl_link_get(batch, names[i], &lo) >= 0)
                        (void) nc_nl_link_delete(batch, lo.ifindex, 0);
        return 0;
}

int nc_prestart(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                const nc_prestart_request *request, nc_error *error) {
        const char *instance = nc_script_var(env, "INSTANCE");
        _cleanup_(nc_netlink_freep) nc_netlink *own = NULL;
        _cleanup_(nc_strv_clear) nc_strv names = { 0 };
        _cleanup_free_ nc_nl_link *veths = NULL;
        _cleanup_free_ char **veth_names = NULL;
        _cleanup_free_ int *seen = NULL;
        nc_mode mode = request ? request->mode : NC_MODE_STRICT;
        prestart_run run = { .request = request };
        size_t n_veths = 0, n_seen = 0;
        int r = 0, stuck = 0;

        if (!(request && request->skip_machinectl))
                nc_machinectl_terminate(instance);
        /* if [ -n "$HOST_ADDRESS" ] || [ -n "$LOCAL_ADDRESS" ] ||
         *    [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then
         *   ip link del dev "ve-$INSTANCE"; ip link del dev "vb-$INSTANCE" */
        if (nc_script_any_address(env) && ((r = nc_strv_push_concat(&names, "ve-", instance, (const char *) NULL)) < 0 ||
                                          (r = nc_strv_push_concat(&names, "vb-", instance, (const char *) NULL)) < 0))
                return nc_error_set(error, r, "prestart: out of memory");
        /* ip link del dev ${name} 2> /dev/null || true, for each extraVeth */
        for (size_t i = 0; container && i < container->n_extra_veths; i++)
                if ((r = nc_strv_push(&names, container->extra_veths[i].name)) < 0)
                        return nc_error_set(error, r, "prestart: out of memory");
        if (names.n == 0)
                return 0;
        veths = calloc(names.n, sizeof *veths);
        veth_names = calloc(names.n, sizeof *veth_names);
        seen = calloc(names.n, sizeof *seen);
        if (!veths || !veth_names || !seen)
                return nc_error_set(error, -ENOMEM, "prestart: out of memory");
        /* No socket given and none to be had (no CAP_NET_ADMIN): every
         * `ip link del` would fail, and that is ignored. */
        if (nc_netlink_open_unless_given(&netlink, &own, NULL) < 0)
                return 0;
        run.host = netlink;
        for (size_t i = 0; i < names.n; i++) {
                nc_nl_link link;
                bool again = false;

                if (nc_nl_link_get(netlink, names.items[i], &link) < 0)
                        continue;
                for (size_t j = 0; j < n_seen && !again; j++)
                        again = seen[j] == link.ifindex;
                if (again)
                        continue;
                seen[n_seen++] = link.ifindex;
                if (strcmp(link.kind, "veth") == 0) {
                        veth_names[n_veths] = names.items[i];
                        veths[n_veths++] = link;
                } else if (mode == NC_MODE_COMPAT)
                        /* the script deletes whatever has the name */
                        delete_one(&run, names.items[i], link.ifindex);
                else
                        report_skipped(&run, names.items[i], "not a veth (%s%s), so not the container's",
                                       link.kind[0] ? "kind " : "no kind: loopback or hardware", link.kind);
        }
        if (n_veths > 1) {
                r = delete_veths_batched(&run, veth_names, veths, n_veths, &stuck);
                if (r > 0)
                        return nc_error_set(error, stuck, "prestart: cannot return to the host's network namespace: %s",
                                            strerror(-stuck));
                if (r == 0)
                        return 0;
        }
        /* One veth, or no namespace for a batch (no CAP_SYS_ADMIN). */
        for (size_t i = 0; i < n_veths; i++)
                delete_one(&run, veth_names[i], veths[i].ifindex);
        return 0;
}
