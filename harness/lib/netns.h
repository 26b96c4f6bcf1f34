/* Throwaway network namespaces for the namespace tier, and the harness's
 * own iproute2 calls in them. Nothing is bind-mounted into /run/netns: a
 * namespace lives as long as the process that holds it. */
#ifndef NC_NETNS_NETNS_H
#define NC_NETNS_NETNS_H

#include <stdarg.h>
#include <sys/types.h>

#include "fixture.h"

/* Moves the calling process into a new, prepared network namespace (see
 * netns.c for what "prepared" means). On error, returns -errno with a
 * message in *ret_error. */
int netns_unshare_prepared(char **ret_error);

/* A child process holding a new, prepared network namespace: it pauses
 * until killed, and dies with its parent (PR_SET_PDEATHSIG). */
typedef struct netns_holder {
        pid_t pid;
        int fd; /* /proc/PID/ns/net, for setns() */
} netns_holder;

#define NETNS_HOLDER_NONE ((netns_holder) { .pid = -1, .fd = -1 })

int netns_holder_spawn(netns_holder *ret, char **ret_error);
/* Kills and reaps the holder; accepts NETNS_HOLDER_NONE. */
void netns_holder_kill(netns_holder *h);

/* The environment the harness runs its own tools with: PATH and LC_ALL=C.
 * Static storage, built once. */
char *const *netns_tool_env(void);

/* Runs `ip` with the arguments in `format` (split on spaces after
 * formatting, so names must not contain spaces) in `netns_fd` (-1: the
 * caller's namespace). Returns 0 when ip exited 0; otherwise -EIO (or
 * -errno) and *ret_error = "ip ARGS: what ip printed". With `ret_out`,
 * the caller gets ip's stdout. */
int netns_ip_output(int netns_fd, char **ret_out, char **ret_error, const char *format, ...)
        __attribute__((format(printf, 4, 5)));
/* The same, stdout dropped. */
#define netns_ip(netns_fd, ret_error, ...) netns_ip_output(netns_fd, NULL, ret_error, __VA_ARGS__)

/* A valid interface name as the kernel and systemd (ifname_valid) see it:
 * 1..15 bytes, printable ASCII without ':', '/', '%' or whitespace, not
 * "." or "..", not all digits. */
bool netns_ifname_valid(const char *name);

#endif
