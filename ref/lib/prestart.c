/* preStart (preStartScript in nixos-containers.nix): clean up what a
 * previous run left behind. Every step ignores errors, as the script's
 * `2> /dev/null || true` does. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
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
        nc_netlink *nl;
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

/* ip link del dev NAME: one request, all or nothing; a refusal is
 * reported (a link already gone is not). */
static void delete_one(const prestart_run *run, const char *name, int ifindex) {
        int r = nc_nl_link_delete(run->nl, ifindex, 0);
        const char *text;

        if (r >= 0 || r == -ENODEV)
                return;
        text = nc_nl_kernel_message(run->nl);
        report_skipped(run, name, "the kernel refused to delete it: %s", text[0] ? text : strerror(-r));
}

/* A group id for the bulk deletion; any id no link uses will do. */
#define BULK_GROUP_BASE 0x6e630000u /* "nc" */

static uint32_t unused_group(const uint32_t *groups, size_t n) {
        for (uint32_t candidate = BULK_GROUP_BASE;; candidate++) {
                bool used = false;
                for (size_t i = 0; i < n && !used; i++)
                        used = groups[i] == candidate;
                if (!used)
                        return candidate;
        }
}

/* Deleting a device costs an RCU grace period; the kernel pays it once for
 * all the links of a group deleted in one request. So the veths move into
 * a group no link uses, the group is deleted, and each veth is moved back
 * to its own group (which fails for a veth that is gone): all of it one
 * batch, which the kernel carries out within one system call, so a failure
 * or a kill cannot leave a veth in the borrowed group. What the batch
 * left (a veth it could not move; all of them when the group's deletion was
 * refused) is as it was, and is deleted one by one. Returns 0; or -errno
 * when the batch could not be made, sent or answered, and each veth is gone
 * or as it was, for the caller to delete one by one. */
static int delete_veths_batched(const prestart_run *run, char *const *names, const nc_nl_link *links, size_t n) {
        _cleanup_free_ uint32_t *groups = NULL;
        _cleanup_free_ nc_nl_request *requests = NULL;
        _cleanup_free_ nc_nl_link_settings *changes = NULL;
        _cleanup_free_ int *errors = NULL;
        size_t n_groups = 0;
        uint32_t group;
        int r;

        r = nc_nl_link_groups(run->nl, &groups, &n_groups);
        if (r < 0)
                return r;
        group = unused_group(groups, n_groups);
        requests = calloc(2 * n + 1, sizeof *requests);
        changes = calloc(2 * n, sizeof *changes);
        errors = calloc(2 * n + 1, sizeof *errors);
        if (!requests || !changes || !errors)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                changes[i] = (nc_nl_link_settings) { .set_group = true, .group = group };
                changes[n + i] = (nc_nl_link_settings) { .set_group = true, .group = links[i].group };
                requests[i] = (nc_nl_request) { .ifindex = links[i].ifindex, .change = &changes[i] };
                requests[n + 1 + i] = (nc_nl_request) { .ifindex = links[i].ifindex, .change = &changes[n + i] };
        }
        requests[n] = (nc_nl_request) { .ifindex = 0, .group = group };
        r = nc_nl_batch(run->nl, requests, 2 * n + 1, errors);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (errors[n] < 0 || errors[i] < 0)
                        delete_one(run, names[i], links[i].ifindex);
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
        int r = 0;

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
        run.nl = netlink;
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
        if (n_veths > 1 && delete_veths_batched(&run, veth_names, veths, n_veths) >= 0)
                return 0;
        /* One veth, or no batch to be had: each is as it was, or gone. */
        for (size_t i = 0; i < n_veths; i++)
                delete_one(&run, veth_names[i], veths[i].ifindex);
        return 0;
}
