/* Route netlink over libnl-3: the only file that calls libnl. Every request
 * waits for the kernel's ACK; a refusal is returned as -errno, with the
 * kernel's extended-ACK text kept for the message. */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "alloc-util.h"
#include "error.h"
#include "netlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct nc_netlink {
        struct nl_sock *sock;
        struct nl_cb *cb;
        char kernel_message[256];
};

/* libnl's -NLE_* codes as -errno: the one place they are converted. */
static int errno_from_nle(int nle) {
        static const struct { int nle, err; } table[] = {
                { NLE_NOMEM, ENOMEM },        { NLE_INVAL, EINVAL },       { NLE_BAD_SOCK, EBADF },
                { NLE_AGAIN, EAGAIN },        { NLE_EXIST, EEXIST },       { NLE_OBJ_NOTFOUND, ENOENT },
                { NLE_PERM, EPERM },          { NLE_NODEV, ENODEV },       { NLE_BUSY, EBUSY },
                { NLE_RANGE, ERANGE },        { NLE_OPNOTSUPP, EOPNOTSUPP }, { NLE_AF_NOSUPPORT, EAFNOSUPPORT },
                { NLE_MSGSIZE, EMSGSIZE },    { NLE_MSG_TRUNC, EMSGSIZE }, { NLE_NOACCESS, EACCES },
                { NLE_INTR, EINTR },          { NLE_SEQ_MISMATCH, EPROTO }, { NLE_MSG_OVERFLOW, ENOBUFS },
                { NLE_DUMP_INTR, EINTR },     { NLE_NOADDR, EADDRNOTAVAIL }, { NLE_PROTO_MISMATCH, EPROTO },
                { NLE_IMMUTABLE, EPERM },     { NLE_MISSING_ATTR, EINVAL }, { NLE_MSGTYPE_NOSUPPORT, EOPNOTSUPP },
        };
        if (nle < 0)
                nle = -nle;
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (table[i].nle == nle)
                        return -table[i].err;
        return -EIO;
}

static int has_net_admin(void) {
        cap_flag_value_t value = CAP_CLEAR;
        cap_t caps = cap_get_proc();
        int r;

        if (!caps)
                return -errno;
        r = cap_get_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE, &value);
        cap_free(caps);
        if (r < 0)
                return -errno;
        return value == CAP_SET;
}

int nc_netlink_open(nc_netlink **ret_netlink, nc_error *error) {
        _cleanup_(nc_netlink_freep) nc_netlink *nl = NULL;
        int one = 1, r;

        r = has_net_admin();
        if (r < 0)
                return nc_error_set(error, r, "netlink: cannot read the process capabilities: %s", strerror(-r));
        if (r == 0)
                return nc_error_set(error, -EPERM,
                                    "netlink: CAP_NET_ADMIN is required to configure links, addresses and routes");
        nl = calloc(1, sizeof *nl);
        if (!nl)
                return nc_error_set(error, -ENOMEM, "netlink: out of memory");
        nl->sock = nl_socket_alloc();
        nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
        if (!nl->sock || !nl->cb)
                return nc_error_set(error, -ENOMEM, "netlink: out of memory");
        r = nl_connect(nl->sock, NETLINK_ROUTE);
        if (r < 0) {
                r = errno_from_nle(r);
                return nc_error_set(error, r, "netlink: cannot open a route netlink socket: %s", strerror(-r));
        }
        /* Extended ACK: the kernel says why it refused. Capped ACKs: the
         * error need not echo our request back. */
        (void) setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
        (void) setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
        /* One recvmsg() per answer instead of libnl's peek-then-read: the
         * buffer is as large as the kernel ever makes a dump's part for a
         * reader (it sizes them from the reader's buffer, up to 32 KiB), and
         * no answer to the requests here is larger. */
        nl_socket_disable_msg_peek(nl->sock);
        (void) nl_socket_set_msg_buf_size(nl->sock, 32768);
        *ret_netlink = TAKE_PTR(nl);
        return 0;
}

int nc_netlink_open_unless_given(nc_netlink **netlink, nc_netlink **ret_own, nc_error *error) {
        int r;

        if (*netlink) {
                *ret_own = NULL;
                return 0;
        }
        if ((r = nc_netlink_open(ret_own, error)) < 0)
                return r;
        *netlink = *ret_own;
        return 0;
}

void nc_netlink_free(nc_netlink *netlink) {
        if (!netlink)
                return;
        nl_cb_put(netlink->cb);
        nl_socket_free(netlink->sock);
        free(netlink);
}

const char *nc_nl_kernel_message(const nc_netlink *nl) {
        return nl->kernel_message;
}

/* ---- one request, one answer ------------------------------------------- */

typedef struct transaction {
        nc_netlink *nl;
        int error;
        bool done;
        int (*parse)(struct nlmsghdr *hdr, void *userdata);
        void *userdata;
} transaction;

static int on_valid(struct nl_msg *msg, void *arg) {
        transaction *t = arg;
        if (t->parse) {
                int r = t->parse(nlmsg_hdr(msg), t->userdata);
                if (r < 0) {
                        t->error = r;
                        return NL_STOP;
                }
        }
        return NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg) {
        transaction *t = arg;
        (void) msg;
        t->done = true;
        return NL_STOP;
}

/* The ACK TLVs follow struct nlmsgerr (the request is not echoed: CAP_ACK). */
static void copy_extack(nc_netlink *nl, struct nlmsgerr *err) {
        struct nlmsghdr *hdr = (struct nlmsghdr *) ((char *) err - NLMSG_HDRLEN);
        struct nlattr *attr;
        size_t offset = sizeof *err;
        int remaining;

        if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
                return;
        if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
                offset += NLMSG_ALIGN(err->msg.nlmsg_len - NLMSG_HDRLEN);
        if (NLMSG_HDRLEN + offset >= hdr->nlmsg_len)
                return;
        remaining = (int) (hdr->nlmsg_len - NLMSG_HDRLEN - offset);
        nla_for_each_attr(attr, (struct nlattr *) ((char *) err + offset), remaining, remaining) {
                if (nla_type(attr) == NLMSGERR_ATTR_MSG && nla_len(attr) > 0) {
                        snprintf(nl->kernel_message, sizeof nl->kernel_message, "%.*s", nla_len(attr),
                                 (const char *) nla_data(attr));
                        nl->kernel_message[strcspn(nl->kernel_message, "\n")] = '\0';
                }
        }
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg) {
        transaction *t = arg;
        (void) who;
        t->error = err->error < 0 ? err->error : -EPROTO;
        copy_extack(t->nl, err);
        t->done = true;
        return NL_STOP;
}

/* Sends `msg` (still the caller's) and reads answers until the ACK, the end of a dump
 * or an error. */
static int transact(nc_netlink *nl, struct nl_msg *msg, int (*parse)(struct nlmsghdr *, void *), void *userdata) {
        transaction t = { .nl = nl, .parse = parse, .userdata = userdata };
        int r;

        nl->kernel_message[0] = '\0';
        nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
        nl_cb_set(nl->cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
        nl_cb_set(nl->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
        nl_cb_err(nl->cb, NL_CB_CUSTOM, on_error, &t);
        r = nl_send_auto(nl->sock, msg);
        if (r < 0)
                return errno_from_nle(r);
        while (!t.done && t.error == 0) {
                r = nl_recvmsgs(nl->sock, nl->cb);
                if (r < 0 && t.error == 0)
                        return errno_from_nle(r);
        }
        return t.error;
}

NC_DEFINE_POINTER_CLEANUP(struct nl_msg, nlmsg_free)

static struct nl_msg *new_message(int type, int flags, const void *header, size_t header_len) {
        _cleanup_(nlmsg_freep) struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

        if (msg && nlmsg_append(msg, (void *) header, header_len, NLMSG_ALIGNTO) < 0)
                return NULL;
        return TAKE_PTR(msg);
}

/* ---- links ------------------------------------------------------------- */

/* iproute2's check_ifname(): what fits IFLA_IFNAME; anything else is looked
 * up as an altname. */
static bool fits_ifname(const char *name) {
        size_t len = strlen(name);
        if (len == 0 || len >= IFNAMSIZ)
                return false;
        for (const char *p = name; *p; p++)
                if (*p == '/' || *p == ':' || *p == ' ' || *p == '\t' || *p == '\n')
                        return false;
        return true;
}

static int parse_link(struct nlmsghdr *hdr, void *userdata) {
        nc_nl_link *link = userdata;
        struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
        struct ifinfomsg *ifi;

        if (hdr->nlmsg_type != RTM_NEWLINK || nlmsg_parse(hdr, sizeof *ifi, tb, IFLA_MAX, NULL) < 0)
                return 0;
        ifi = nlmsg_data(hdr);
        link->ifindex = ifi->ifi_index;
        link->flags = ifi->ifi_flags;
        link->group = tb[IFLA_GROUP] ? nla_get_u32(tb[IFLA_GROUP]) : 0;
        link->kind[0] = '\0';
        if (tb[IFLA_LINKINFO] && nla_parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) >= 0 &&
            info[IFLA_INFO_KIND])
                (void) nla_strlcpy(link->kind, info[IFLA_INFO_KIND], sizeof link->kind);
        return 0;
}

int nc_nl_link_get(nc_netlink *nl, const char *name, nc_nl_link *ret) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        nc_nl_link link = { 0 };
        _cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
        int r;

        if (strlen(name) >= 128)
                return -ENODEV; /* longer than ALTIFNAMSIZ: no link can have it */
        msg = new_message(RTM_GETLINK, 0, &ifi, sizeof ifi);
        if (!msg || nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS) < 0 ||
            nla_put_string(msg, fits_ifname(name) ? IFLA_IFNAME : IFLA_ALT_IFNAME, name) < 0)
                return -ENOMEM;
        r = transact(nl, msg, parse_link, &link);
        if (r < 0)
                return r;
        if (link.ifindex <= 0)
                return -ENODEV;
        *ret = link;
        return 0;
}

static struct nl_msg *link_change_message(int ifindex, const nc_nl_link_settings *change) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
        _cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;

        if (change->set_up) {
                ifi.ifi_flags = IFF_UP;
                ifi.ifi_change = IFF_UP;
        }
        msg = new_message(RTM_NEWLINK, 0, &ifi, sizeof ifi);
        if (!msg || (change->new_name && nla_put_string(msg, IFLA_IFNAME, change->new_name) < 0) ||
            (change->master_ifindex > 0 && nla_put_u32(msg, IFLA_MASTER, (uint32_t) change->master_ifindex) < 0) ||
            (change->set_group && nla_put_u32(msg, IFLA_GROUP, change->group) < 0) ||
            (change->address && nla_put(msg, IFLA_ADDRESS, (int) change->address_len, change->address) < 0))
                return NULL;
        return TAKE_PTR(msg);
}

int nc_nl_link_change(nc_netlink *nl, int ifindex, const nc_nl_link_settings *change) {
        _cleanup_(nlmsg_freep) struct nl_msg *msg = link_change_message(ifindex, change);

        if (!msg)
                return -ENOMEM;
        return transact(nl, msg, NULL, NULL);
}

static struct nl_msg *link_delete_message(int ifindex, uint32_t group) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
        _cleanup_(nlmsg_freep) struct nl_msg *msg = new_message(RTM_DELLINK, 0, &ifi, sizeof ifi);

        if (!msg || (ifindex == 0 && nla_put_u32(msg, IFLA_GROUP, group) < 0))
                return NULL;
        return TAKE_PTR(msg);
}

int nc_nl_link_delete(nc_netlink *nl, int ifindex, uint32_t group) {
        _cleanup_(nlmsg_freep) struct nl_msg *msg = link_delete_message(ifindex, group);

        if (!msg)
                return -ENOMEM;
        return transact(nl, msg, NULL, NULL);
}

typedef struct group_list {
        uint32_t *groups;
        size_t n, capacity;
} group_list;

static int collect_group(struct nlmsghdr *hdr, void *userdata) {
        group_list *list = userdata;
        nc_nl_link link = { 0 };

        parse_link(hdr, &link);
        if (NC_GROW(list->groups, list->capacity, list->n + 1, 64) < 0)
                return -ENOMEM;
        list->groups[list->n++] = link.group;
        return 0;
}

int nc_nl_link_groups(nc_netlink *nl, uint32_t **ret_groups, size_t *ret_n) {
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        group_list list = { 0 };
        _cleanup_(nlmsg_freep) struct nl_msg *msg = new_message(RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi);
        int r;

        if (!msg || nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)
                return -ENOMEM;
        r = transact(nl, msg, collect_group, &list);
        if (r < 0) {
                free(list.groups);
                return r;
        }
        *ret_groups = list.groups;
        *ret_n = list.n;
        return 0;
}

/* ---- batches ----------------------------------------------------------- */

typedef struct batch_answers {
        uint32_t first_seq;
        size_t n, answered;
        int *errors;
} batch_answers;

static void batch_answer(batch_answers *a, uint32_t seq, int error) {
        uint32_t i = seq - a->first_seq;
        if (i < a->n) {
                a->errors[i] = error;
                a->answered++;
        }
}

static int on_batch_valid(struct nl_msg *msg, void *arg) {
        (void) msg, (void) arg;
        return NL_OK;
}

static int on_batch_ack(struct nl_msg *msg, void *arg) {
        batch_answer(arg, nlmsg_hdr(msg)->nlmsg_seq, 0);
        return NL_OK;
}

static int on_batch_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg) {
        (void) who;
        batch_answer(arg, err->msg.nlmsg_seq, err->error < 0 ? err->error : -EPROTO);
        return NL_OK;
}

int nc_nl_batch(nc_netlink *nl, const nc_nl_request *requests, size_t n, int *ret_errors) {
        batch_answers answers = { .n = n, .errors = ret_errors };
        _cleanup_free_ char *buffer = NULL;
        size_t len = 0, capacity = 0;
        int r;

        for (size_t i = 0; i < n; i++) {
                _cleanup_(nlmsg_freep) struct nl_msg *msg =
                        requests[i].change ? link_change_message(requests[i].ifindex, requests[i].change)
                                           : link_delete_message(requests[i].ifindex, requests[i].group);
                struct nlmsghdr *hdr;

                if (!msg || NC_GROW(buffer, capacity, len + NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len), 1024) < 0)
                        return -ENOMEM;
                hdr = nlmsg_hdr(msg);
                hdr->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
                hdr->nlmsg_pid = nl_socket_get_local_port(nl->sock);
                memcpy(buffer + len, hdr, hdr->nlmsg_len);
                memset(buffer + len + hdr->nlmsg_len, 0, NLMSG_ALIGN(hdr->nlmsg_len) - hdr->nlmsg_len);
                len += NLMSG_ALIGN(hdr->nlmsg_len);
        }
        /* Sequence numbers as nl_send_auto() gives them, so that libnl's
         * own check of the answers' order holds. */
        for (size_t off = 0, i = 0; i < n; i++) {
                struct nlmsghdr *hdr = (struct nlmsghdr *) (buffer + off);
                hdr->nlmsg_seq = nl_socket_use_seq(nl->sock);
                if (i == 0)
                        answers.first_seq = hdr->nlmsg_seq;
                off += NLMSG_ALIGN(hdr->nlmsg_len);
        }
        for (size_t i = 0; i < n; i++)
                ret_errors[i] = -EIO;
        nl->kernel_message[0] = '\0';
        nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, on_batch_valid, NULL);
        nl_cb_set(nl->cb, NL_CB_ACK, NL_CB_CUSTOM, on_batch_ack, &answers);
        nl_cb_set(nl->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_batch_valid, NULL);
        nl_cb_err(nl->cb, NL_CB_CUSTOM, on_batch_error, &answers);
        r = nl_sendto(nl->sock, buffer, len);
        if (r < 0)
                return errno_from_nle(r);
        while (answers.answered < n) {
                r = nl_recvmsgs(nl->sock, nl->cb);
                if (r < 0)
                        return errno_from_nle(r);
        }
        return 0;
}

/* ---- addresses and routes ---------------------------------------------- */

int nc_nl_address_add(nc_netlink *nl, int ifindex, int family, const nc_ip_prefix *prefix) {
        struct ifaddrmsg ifa = {
                .ifa_family = (unsigned char) (prefix ? prefix->family : family),
                .ifa_prefixlen = (unsigned char) (prefix ? prefix->prefix_len : 0),
                .ifa_index = (unsigned) ifindex,
        };
        _cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;

        /* default_scope(): host for 127.0.0.0/8, universe otherwise. */
        if (prefix && prefix->family == AF_INET && prefix->bytes[0] == 127)
                ifa.ifa_scope = RT_SCOPE_HOST;
        msg = new_message(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
        if (!msg)
                return -ENOMEM;
        /* No address (`ip addr add dev D`): ip sends none. "all" and "any"
         * have one of no bytes, which ip sends as it is. */
        if (prefix && (nla_put(msg, IFA_LOCAL, (int) prefix->byte_len, prefix->bytes) < 0 ||
                       nla_put(msg, IFA_ADDRESS, (int) prefix->byte_len, prefix->bytes) < 0))
                return -ENOMEM;
        return transact(nl, msg, NULL, NULL);
}

int nc_nl_route_add(nc_netlink *nl, int family, const nc_ip_prefix *dst, const nc_ip_prefix *gateway, int ifindex) {
        struct rtmsg rtm = {
                .rtm_family = (unsigned char) family,
                .rtm_dst_len = (unsigned char) dst->prefix_len,
                .rtm_table = RT_TABLE_MAIN,
                .rtm_protocol = RTPROT_BOOT,
                /* iproute_modify(): a unicast route without a gateway is
                 * scope link, anything else scope universe. */
                .rtm_scope = gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
                .rtm_type = RTN_UNICAST,
        };
        _cleanup_(nlmsg_freep) struct nl_msg *msg = new_message(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof rtm);

        if (!msg || (dst->byte_len && nla_put(msg, RTA_DST, (int) dst->byte_len, dst->bytes) < 0) ||
            (gateway && nla_put(msg, RTA_GATEWAY, (int) gateway->byte_len, gateway->bytes) < 0) ||
            (ifindex > 0 && nla_put_u32(msg, RTA_OIF, (uint32_t) ifindex) < 0))
                return -ENOMEM;
        return transact(nl, msg, NULL, NULL);
}
