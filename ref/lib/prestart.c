/* preStart (preStartScript in nixos-containers.nix): clean up what a
 * previous run left behind. Every step ignores errors, as the script's
 * `2> /dev/null || true` does. */
#include <errno.h>
#include <fcntl.h>
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

/* A group id for the bulk deletion; any id no link uses will do. */
#define BULK_GROUP_BASE 0x6e630000u /* "nc" */

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

static bool contains_index(const int *indexes, size_t n, int ifindex) {
        for (size_t i = 0; i < n; i++)
                if (indexes[i] == ifindex)
                        return true;
        return false;
}

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
 * all the links of a group deleted in one request. Moving the doomed links
 * into a group no other link uses keeps the meaning: exactly these go. */
static void delete_links(nc_netlink *nl, const int *indexes, size_t n) {
        _cleanup_free_ uint32_t *groups = NULL;
        uint32_t group;
        size_t n_groups = 0;
        bool grouped = true;

        if (n > 1 && nc_nl_link_groups(nl, &groups, &n_groups) >= 0) {
                group = unused_group(groups, n_groups);
                for (size_t i = 0; i < n && grouped; i++) {
                        nc_nl_link_settings change = { .set_group = true, .group = group };
                        grouped = nc_nl_link_change(nl, indexes[i], &change) >= 0;
                }
                if (grouped && nc_nl_link_delete(nl, 0, group) >= 0)
                        return;
        }
        /* One by one: a single link, or the bulk request was refused. */
        for (size_t i = 0; i < n; i++)
                (void) nc_nl_link_delete(nl, indexes[i], 0);
}

int nc_prestart(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                const nc_prestart_request *request, nc_error *error) {
        const char *instance = nc_script_var(env, "INSTANCE");
        _cleanup_(nc_netlink_freep) nc_netlink *own = NULL;
        _cleanup_(nc_strv_clear) nc_strv names = { 0 };
        _cleanup_free_ int *indexes = NULL;
        size_t n_indexes = 0;
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
        indexes = calloc(names.n, sizeof *indexes);
        if (!indexes)
                return nc_error_set(error, -ENOMEM, "prestart: out of memory");
        /* No socket given and none to be had (no CAP_NET_ADMIN): every
         * `ip link del` would fail, and that is ignored. */
        if (nc_netlink_open_unless_given(&netlink, &own, NULL) < 0)
                return 0;
        for (size_t i = 0; i < names.n; i++) {
                nc_nl_link link;
                if (nc_nl_link_get(netlink, names.items[i], &link) >= 0 &&
                    !contains_index(indexes, n_indexes, link.ifindex))
                        indexes[n_indexes++] = link.ifindex;
        }
        delete_links(netlink, indexes, n_indexes);
        return 0;
}
