/* Raw route netlink for the bench's own work: creating and deleting the
 * veths nspawn would create (untimed), the baselines of row 1 (bare round
 * trips, no library) and the deletions row 4 compares with the library's
 * (one by one, all at once). Sockets get the options the ref sets
 * (extended and capped ACKs), so the kernel does the same work. While
 * bench/trace.c traces, each request here is traced as the library's are.
 *
 * Our own code and not libnl-route's rtnl_link_* calls: those send and
 * receive inside libnl, where bench/trace.c's wrappers cannot time them,
 * and they look links up with other attributes than the library does. */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

typedef struct request {
        char buf[1024];
        struct nlmsghdr *hdr;
} request;

static void request_init(request *q, uint16_t type, uint16_t flags, const void *header, size_t header_len) {
        memset(q->buf, 0, sizeof q->buf);
        q->hdr = (struct nlmsghdr *) q->buf;
        q->hdr->nlmsg_len = (uint32_t) NLMSG_LENGTH(header_len);
        q->hdr->nlmsg_type = type;
        q->hdr->nlmsg_flags = (uint16_t) (NLM_F_REQUEST | NLM_F_ACK | flags);
        memcpy(NLMSG_DATA(q->hdr), header, header_len);
}

static struct rtattr *put(request *q, uint16_t type, const void *data, size_t len) {
        struct rtattr *rta = (struct rtattr *) (q->buf + NLMSG_ALIGN(q->hdr->nlmsg_len));
        rta->rta_type = type;
        rta->rta_len = (unsigned short) RTA_LENGTH(len);
        if (len)
                memcpy(RTA_DATA(rta), data, len);
        q->hdr->nlmsg_len = NLMSG_ALIGN(q->hdr->nlmsg_len) + RTA_ALIGN(rta->rta_len);
        return rta;
}

static void put_u32(request *q, uint16_t type, uint32_t value) {
        put(q, type, &value, sizeof value);
}

static void put_string(request *q, uint16_t type, const char *s) {
        put(q, type, s, strlen(s) + 1);
}

static struct rtattr *nest_start(request *q, uint16_t type) {
        return put(q, type, NULL, 0);
}

static void nest_end(request *q, struct rtattr *nest) {
        nest->rta_len = (unsigned short) (q->buf + q->hdr->nlmsg_len - (char *) nest);
}

int rawnl_socket_open(void) {
        struct sockaddr_nl local = { .nl_family = AF_NETLINK };
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), one = 1;

        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &local, sizeof local) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        (void) setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
        (void) setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
        return fd;
}

/* Reads until the ACK (or the end of a dump); `on_message` sees the rest. */
static int receive(int fd, uint32_t seq, void (*on_message)(struct nlmsghdr *, void *), void *userdata) {
        static __thread char buf[65536];

        for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf, 0);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
                        if (h->nlmsg_seq != seq)
                                continue;
                        if (h->nlmsg_type == NLMSG_ERROR)
                                return ((struct nlmsgerr *) NLMSG_DATA(h))->error;
                        if (h->nlmsg_type == NLMSG_DONE)
                                return 0;
                        if (on_message)
                                on_message(h, userdata);
                }
        }
}

static uint32_t next_seq;

static int transact_with(int fd, struct nlmsghdr *hdr, void (*on_message)(struct nlmsghdr *, void *),
                         void *userdata) {
        bool traced = trace_active();
        double sent_us = traced ? (double) clock_us() : 0, cpu_us = traced ? bench_cpu_us() : 0;
        int r;

        hdr->nlmsg_seq = ++next_seq;
        if (send(fd, hdr, hdr->nlmsg_len, 0) < 0)
                return -errno;
        if (traced)
                trace_raw_sent(hdr, sent_us, cpu_us);
        r = receive(fd, hdr->nlmsg_seq, on_message, userdata);
        if (traced)
                trace_raw_answered();
        return r;
}

int rawnl_transact(int fd, const void *request_bytes, size_t len) {
        static __thread char copy[4096];
        struct nlmsghdr *hdr = (struct nlmsghdr *) copy;

        if (len > sizeof copy)
                return -EMSGSIZE;
        memcpy(copy, request_bytes, len);
        hdr->nlmsg_len = (uint32_t) len;
        return transact_with(fd, hdr, NULL, NULL);
}

int rawnl_veth_add(int fd, const char *name, const char *peer, int peer_netns_fd) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        struct rtattr *linkinfo, *data, *peer_info;
        request q;

        request_init(&q, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
        put_string(&q, IFLA_IFNAME, name);
        linkinfo = nest_start(&q, IFLA_LINKINFO);
        put_string(&q, IFLA_INFO_KIND, "veth");
        data = nest_start(&q, IFLA_INFO_DATA);
        peer_info = nest_start(&q, VETH_INFO_PEER);
        /* The peer's struct ifinfomsg (zeroed by request_init), then its
         * attributes. */
        q.hdr->nlmsg_len += NLMSG_ALIGN(sizeof ifi);
        put_string(&q, IFLA_IFNAME, peer);
        put_u32(&q, IFLA_NET_NS_FD, (uint32_t) peer_netns_fd);
        nest_end(&q, peer_info);
        nest_end(&q, data);
        nest_end(&q, linkinfo);
        return transact_with(fd, q.hdr, NULL, NULL);
}

/* A request about one link: by index when `ifindex` > 0, else by name. */
static void request_link(request *q, uint16_t type, int ifindex, const char *name) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex > 0 ? ifindex : 0 };

        request_init(q, type, 0, &ifi, sizeof ifi);
        if (ifindex <= 0)
                put_string(q, IFLA_IFNAME, name);
}

static void read_ifindex(struct nlmsghdr *h, void *userdata) {
        if (h->nlmsg_type == RTM_NEWLINK && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)))
                *(int *) userdata = ((struct ifinfomsg *) NLMSG_DATA(h))->ifi_index;
}

int rawnl_link_index(int fd, const char *name) {
        request q;
        int ifindex = 0, r;

        request_link(&q, RTM_GETLINK, 0, name);
        put_u32(&q, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
        r = transact_with(fd, q.hdr, read_ifindex, &ifindex);
        if (r < 0)
                return r;
        return ifindex > 0 ? ifindex : -ENODEV;
}

int rawnl_link_set_group(int fd, int ifindex, const char *name, uint32_t group) {
        request q;

        request_link(&q, RTM_NEWLINK, ifindex, name);
        put_u32(&q, IFLA_GROUP, group);
        return transact_with(fd, q.hdr, NULL, NULL);
}

int rawnl_group_delete(int fd, uint32_t group) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        request q;

        request_init(&q, RTM_DELLINK, 0, &ifi, sizeof ifi);
        put_u32(&q, IFLA_GROUP, group);
        return transact_with(fd, q.hdr, NULL, NULL);
}

int rawnl_getlink_lo(int fd) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 1 };
        request q;

        request_init(&q, RTM_GETLINK, 0, &ifi, sizeof ifi);
        put_u32(&q, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        return transact_with(fd, q.hdr, NULL, NULL);
}

static void count_link(struct nlmsghdr *h, void *userdata) {
        if (h->nlmsg_type == RTM_NEWLINK)
                (*(int *) userdata)++;
}

int rawnl_count_links(int fd) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        request q;
        int n = 0, r;

        request_init(&q, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi);
        put_u32(&q, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        r = transact_with(fd, q.hdr, count_link, &n);
        return r < 0 ? r : n;
}

int rawnl_link_delete(int fd, int ifindex, const char *name) {
        request q;

        request_link(&q, RTM_DELLINK, ifindex, name);
        return transact_with(fd, q.hdr, NULL, NULL);
}
