/* Many containers against one host namespace (rows 2 and 4; row 1 uses the
 * host namespace alone): the host and each container's namespace are made
 * with harness/lib/netns.h's preparation (no DAD, no link-local addresses,
 * lo up) and held by file descriptors, not by processes as the namespace
 * tier's netns_holder does (a thousand of them would be a thousand
 * processes). The veths are what systemd-nspawn v252 creates for the
 * bench's containers (--network-veth, --network-veth-extra=xNNNN): one
 * RTM_NEWLINK each, the peer made in the container's namespace, neither end
 * up. Containers are started as the library starts them. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "netns.h"

/* A group no link of the bench's namespaces is in, for clearing them. */
#define CLEAR_GROUP 0x62656e63u /* "benc" */

static int open_current_netns(void) {
        int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

static int raise_fd_limit(unsigned needed) {
        struct rlimit limit;

        if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
                return -errno;
        if (limit.rlim_cur >= needed)
                return 0;
        if (limit.rlim_max < needed)
                limit.rlim_max = needed;
        limit.rlim_cur = needed;
        return setrlimit(RLIMIT_NOFILE, &limit) < 0 ? -errno : 0;
}

void netns_pool_free(bench_netns_pool *p) {
        for (unsigned i = 0; i < p->n; i++)
                close(p->fds[i]);
        if (p->host_fd >= 0)
                close(p->host_fd);
        if (p->rtnl >= 0)
                close(p->rtnl);
        free(p->fds);
        *p = (bench_netns_pool) { .host_fd = -1, .rtnl = -1 };
}

int netns_pool_make(bench_netns_pool *ret, unsigned n, char **ret_error) {
        bench_netns_pool p = { .host_fd = -1, .rtnl = -1, .fds = calloc(n ? n : 1, sizeof(int)) };
        int r;

        if (!p.fds)
                return -ENOMEM;
        r = raise_fd_limit(n + 256);
        if (r < 0 && asprintf(ret_error, "cannot raise RLIMIT_NOFILE to %u: %s", n + 256, strerror(-r)) < 0)
                *ret_error = NULL;
        if (r >= 0)
                r = netns_unshare_prepared(ret_error);
        if (r >= 0)
                r = p.host_fd = open_current_netns();
        if (r >= 0)
                r = p.rtnl = rawnl_socket_open();
        for (unsigned i = 0; r >= 0 && i < n; i++) {
                r = netns_unshare_prepared(ret_error);
                if (r >= 0 && (r = open_current_netns()) >= 0)
                        p.fds[p.n++] = r;
                else if (r < 0 && ret_error && !*ret_error &&
                         asprintf(ret_error, "container namespace %u: %s", i, strerror(-r)) < 0)
                        *ret_error = NULL;
        }
        if (r >= 0 && setns(p.host_fd, CLONE_NEWNET) < 0)
                r = -errno;
        if (r >= 0)
                *ret = p;
        else
                netns_pool_free(&p);
        return r < 0 ? r : 0;
}

int netns_pool_add_veths(const bench_netns_pool *p, unsigned i) {
        char host[16], extra[16];
        int r;

        snprintf(host, sizeof host, "ve-b%04u", i);
        snprintf(extra, sizeof extra, "x%04u", i);
        r = rawnl_veth_add(p->rtnl, host, "host0", p->fds[i]);
        if (r >= 0)
                r = rawnl_veth_add(p->rtnl, extra, extra, p->fds[i]);
        return r;
}

int netns_pool_clear(const bench_netns_pool *p, unsigned n) {
        unsigned moved = 0;

        for (unsigned i = 0; i < n; i++) {
                char name[16];
                snprintf(name, sizeof name, "ve-b%04u", i);
                if (rawnl_link_set_group(p->rtnl, 0, name, CLEAR_GROUP) >= 0)
                        moved++;
                snprintf(name, sizeof name, "x%04u", i);
                if (rawnl_link_set_group(p->rtnl, 0, name, CLEAR_GROUP) >= 0)
                        moved++;
        }
        return moved ? rawnl_group_delete(p->rtnl, CLEAR_GROUP) : 0;
}

int netns_pool_remove_veths(const bench_netns_pool *p, unsigned i) {
        char name[16];
        int r;

        snprintf(name, sizeof name, "ve-b%04u", i);
        r = rawnl_link_delete(p->rtnl, 0, name);
        snprintf(name, sizeof name, "x%04u", i);
        if (r >= 0)
                r = rawnl_link_delete(p->rtnl, 0, name);
        return r;
}

bench_setup_fn const bench_setup_sides[2] = { nc_init_setup, nc_host_setup };

int netns_pool_setup(const bench_netns_pool *p, unsigned i, const nc_container *container, const nc_env *env,
                     double *wall_us, double *cpu_us, nc_error *error) {
        int fds[2] = { p->fds[i], p->host_fd }, r = 0;

        for (int side = 0; r >= 0 && side < 2; side++) {
                double wall, cpu;
                if (setns(fds[side], CLONE_NEWNET) < 0) {
                        r = -errno;
                        break;
                }
                cpu = bench_cpu_us();
                wall = (double) clock_us();
                r = bench_setup_sides[side](NULL, container, env, error);
                if (wall_us)
                        *wall_us += (double) clock_us() - wall;
                if (cpu_us)
                        *cpu_us += bench_cpu_us() - cpu;
        }
        if (r < 0 && setns(p->host_fd, CLONE_NEWNET) < 0)
                return -errno;
        return r;
}

/* Active objects of the kernel's net_namespace cache (/proc/slabinfo);
 * -1 when it cannot be read. */
static long netns_objects(void) {
        FILE *in = fopen("/proc/slabinfo", "re");
        char line[512];
        long active = -1;

        if (!in)
                return -1;
        while (fgets(line, sizeof line, in))
                if (strncmp(line, "net_namespace ", 14) == 0) {
                        active = strtol(line + 14, NULL, 10);
                        break;
                }
        fclose(in);
        return active;
}

double netns_settle(long *baseline) {
        double started = clock_us(), progress = started;
        long now = netns_objects(), lowest = now;

        if (*baseline < 0) {
                *baseline = now;
                return 0;
        }
        /* Namespaces die in a kernel worker (cleanup_net), after the
         * processes and descriptors that held them; that work holds
         * rtnl_lock, which every request of the next row needs. Wait while
         * it makes progress: other users of the machine may hold
         * namespaces of their own. */
        while (now >= 0 && now > *baseline + 8 && clock_us() - progress < 2e6 &&
               clock_us() - started < 120e6) {
                usleep(100 * 1000);
                now = netns_objects();
                if (now < lowest) {
                        lowest = now;
                        progress = clock_us();
                }
        }
        return clock_us() - started;
}
