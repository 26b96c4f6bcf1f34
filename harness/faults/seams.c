#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "seams.h"

static struct {
        long fail_at;
        long kill_at;
        long calls;
        bool fired;
} seams[2];

void seam_fail_at(seam_kind kind, long nth) {
        seams[kind].fail_at = nth;
        if (nth > 0) {
                seams[kind].calls = 0;
                seams[kind].fired = false;
        }
}

void seam_kill_at(seam_kind kind, long nth) {
        seams[kind].kill_at = nth;
        if (nth > 0)
                seams[kind].calls = 0;
}

long seam_calls(seam_kind kind) {
        return seams[kind].calls;
}

bool seam_fired(seam_kind kind) {
        return seams[kind].fired;
}

static bool should_fail(seam_kind kind) {
        seams[kind].calls++;
        if (seams[kind].kill_at > 0 && seams[kind].calls == seams[kind].kill_at)
                raise(SIGKILL);
        if (seams[kind].fail_at > 0 && seams[kind].calls == seams[kind].fail_at) {
                seams[kind].fired = true;
                return true;
        }
        return false;
}

/* ---- allocations -------------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
struct nl_msg *__real_nlmsg_alloc_simple(int type, int flags);
struct nl_sock *__real_nl_socket_alloc(void);
struct nl_cb *__real_nl_cb_alloc(enum nl_cb_kind kind);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_asprintf(char **ret, const char *format, ...);
struct nl_msg *__wrap_nlmsg_alloc_simple(int type, int flags);
struct nl_sock *__wrap_nl_socket_alloc(void);
struct nl_cb *__wrap_nl_cb_alloc(enum nl_cb_kind kind);

void *__wrap_malloc(size_t size) {
        return should_fail(SEAM_ALLOCATION) ? (errno = ENOMEM, NULL) : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size) {
        return should_fail(SEAM_ALLOCATION) ? (errno = ENOMEM, NULL) : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size) {
        return should_fail(SEAM_ALLOCATION) ? (errno = ENOMEM, NULL) : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s) {
        return should_fail(SEAM_ALLOCATION) ? (errno = ENOMEM, NULL) : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n) {
        return should_fail(SEAM_ALLOCATION) ? (errno = ENOMEM, NULL) : __real_strndup(s, n);
}

int __wrap_asprintf(char **ret, const char *format, ...) {
        va_list ap;
        int n;

        if (should_fail(SEAM_ALLOCATION)) {
                errno = ENOMEM;
                return -1;
        }
        va_start(ap, format);
        n = vasprintf(ret, format, ap);
        va_end(ap);
        return n;
}

struct nl_msg *__wrap_nlmsg_alloc_simple(int type, int flags) {
        return should_fail(SEAM_ALLOCATION) ? NULL : __real_nlmsg_alloc_simple(type, flags);
}

struct nl_sock *__wrap_nl_socket_alloc(void) {
        return should_fail(SEAM_ALLOCATION) ? NULL : __real_nl_socket_alloc();
}

struct nl_cb *__wrap_nl_cb_alloc(enum nl_cb_kind kind) {
        return should_fail(SEAM_ALLOCATION) ? NULL : __real_nl_cb_alloc(kind);
}

/* ---- netlink I/O -------------------------------------------------------- */

int __real_nl_connect(struct nl_sock *sk, int protocol);
int __real_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);
int __real_nl_sendto(struct nl_sock *sk, void *buf, size_t size);
int __wrap_nl_sendto(struct nl_sock *sk, void *buf, size_t size);
int __real_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb);
int __wrap_nl_connect(struct nl_sock *sk, int protocol);
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);
int __wrap_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb);

int __wrap_nl_connect(struct nl_sock *sk, int protocol) {
        return should_fail(SEAM_NETLINK) ? -NLE_BAD_SOCK : __real_nl_connect(sk, protocol);
}

int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg) {
        return should_fail(SEAM_NETLINK) ? -NLE_MSGSIZE : __real_nl_send_auto(sk, msg);
}

int __wrap_nl_sendto(struct nl_sock *sk, void *buf, size_t size) {
        return should_fail(SEAM_NETLINK) ? -NLE_MSGSIZE : __real_nl_sendto(sk, buf, size);
}

int __wrap_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb) {
        return should_fail(SEAM_NETLINK) ? -NLE_NOMEM : __real_nl_recvmsgs(sk, cb);
}
