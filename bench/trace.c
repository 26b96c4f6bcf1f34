/* The ref's netlink requests as the bench sees them: libnl's nl_send_auto,
 * nl_sendto and nl_recvmsgs are linked through these wrappers
 * (-Wl,--wrap), as harness/faults does for its seams. Counting is always on;
 * tracing keeps each request's bytes and its round trip, from just before
 * the send to the end of the last receive before the next send. A batch
 * (several requests in one nl_sendto: preStart's group moves, deletion and
 * moves back) counts each request and is traced as one: its RTM_DELLINK when
 * it holds one (the deletion is what the kernel's answer waits on), else its
 * first request. The bench's own raw requests (bench/nl-raw.c) are traced
 * too, and not counted. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "array.h"
#include "bench.h"

int __real_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);
int __real_nl_sendto(struct nl_sock *sk, void *buf, size_t size);
int __real_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb);
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);
int __wrap_nl_sendto(struct nl_sock *sk, void *buf, size_t size);
int __wrap_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb);

unsigned long trace_sent;
unsigned long trace_dumps;

static bool tracing, keep_bytes;
static int phase;
static trace_request *requests;
static size_t n_requests, capacity;

static void record_sent(const struct nlmsghdr *hdr, double sent, double cpu) {
        trace_request q = { .type = hdr->nlmsg_type, .flags = hdr->nlmsg_flags, .sent_us = sent, .done_us = sent,
                            .cpu_sent_us = cpu, .cpu_done_us = cpu, .phase = phase };
        trace_request *grown = array_grow(requests, &capacity, n_requests + 1, sizeof *grown);

        if (!grown)
                return; /* the trace is incomplete */
        requests = grown;
        if (keep_bytes && (q.bytes = malloc(hdr->nlmsg_len))) {
                memcpy(q.bytes, hdr, hdr->nlmsg_len);
                q.len = hdr->nlmsg_len;
        }
        requests[n_requests++] = q;
}

static void record_answered(void) {
        if (n_requests > 0) {
                requests[n_requests - 1].done_us = (double) clock_us();
                requests[n_requests - 1].cpu_done_us = bench_cpu_us();
        }
}

int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg) {
        double sent = tracing ? (double) clock_us() : 0, cpu = tracing ? bench_cpu_us() : 0;
        int r = __real_nl_send_auto(sk, msg);
        struct nlmsghdr *hdr = nlmsg_hdr(msg);

        trace_sent++;
        if ((hdr->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
                trace_dumps++;
        if (tracing && r >= 0)
                record_sent(hdr, sent, cpu);
        return r;
}

int __wrap_nl_sendto(struct nl_sock *sk, void *buf, size_t size) {
        double sent = tracing ? (double) clock_us() : 0, cpu = tracing ? bench_cpu_us() : 0;
        int r = __real_nl_sendto(sk, buf, size);
        const struct nlmsghdr *traced = NULL;
        int left = (int) size;

        for (const struct nlmsghdr *hdr = buf; NLMSG_OK(hdr, left); hdr = NLMSG_NEXT(hdr, left)) {
                trace_sent++;
                if ((hdr->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
                        trace_dumps++;
                if (!traced || (hdr->nlmsg_type == RTM_DELLINK && traced->nlmsg_type != RTM_DELLINK))
                        traced = hdr;
        }
        if (tracing && r >= 0 && traced)
                record_sent(traced, sent, cpu);
        return r;
}

int __wrap_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb) {
        int r = __real_nl_recvmsgs(sk, cb);

        if (tracing)
                record_answered();
        return r;
}

bool trace_active(void) {
        return tracing;
}

void trace_raw_sent(const struct nlmsghdr *hdr, double sent_us, double cpu_us) {
        if (tracing)
                record_sent(hdr, sent_us, cpu_us);
}

void trace_raw_answered(void) {
        if (tracing)
                record_answered();
}

void trace_start(bool with_bytes) {
        tracing = true;
        keep_bytes = with_bytes;
        phase = 0;
        requests = NULL;
        n_requests = capacity = 0;
}

void trace_set_phase(int p) {
        phase = p;
}

void trace_stop(trace_request **ret_requests, size_t *ret_n) {
        tracing = false;
        *ret_requests = requests;
        *ret_n = n_requests;
        requests = NULL;
        n_requests = capacity = 0;
}

void trace_free(trace_request *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(list[i].bytes);
        free(list);
}
