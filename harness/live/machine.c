/* What a run of the live tier leaves behind, looked for only among what
 * this run made (the machine may be busy with other runs meanwhile): its
 * namespaces, mounts below its scratch folder, processes. The cgroups are
 * cgroup.c's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include "array.h"
#include "live.h"
#include "strv.h"
#include "text.h"
#include "tier.h"

/* /proc/PID/NAME as a symbolic link reads: "net:[4026532301]" for a
 * namespace, "pipe:[123]" or a path for a file descriptor. */
static bool link_is(const char *pid, const char *name, char *ret_target, size_t size) {
        char path[PATH_MAX];
        ssize_t n;

        snprintf(path, sizeof path, "/proc/%s/%s", pid, name);
        n = readlink(path, ret_target, size - 1);
        if (n < 0)
                return false;
        ret_target[n] = '\0';
        return true;
}

/* Mounts of a namespace (nsfs, as `ip netns add` makes them) in the mount
 * namespace of process `pid`: their root field is the namespace. */
static void mounts_of(const char *pid, const nc_strv *namespaces, text *out) {
        char path[300], line[4096];
        FILE *in;

        snprintf(path, sizeof path, "/proc/%s/mountinfo", pid);
        in = fopen(path, "re");
        while (in && fgets(line, sizeof line, in)) {
                char root[256], point[4096], type[64];
                const char *dash = strstr(line, " - ");
                if (dash && sscanf(line, "%*s %*s %*s %255s %4095s", root, point) == 2 &&
                    sscanf(dash + 3, "%63s", type) == 1 && strcmp(type, "nsfs") == 0 && strv_contains(namespaces, root))
                        text_printf(out, "%s%s mounted on %s (mount namespace of process %s)", text_length(out) ? "; " : "",
                                    root, point, pid);
        }
        if (in)
                fclose(in);
}

/* Who holds `namespaces`, but this process's descriptors of them. */
static char *holders(const nc_strv *namespaces) {
        DIR *proc = namespaces->n ? opendir("/proc") : NULL;
        char self[32];
        nc_strv mount_namespaces = { 0 };
        struct dirent *entry;
        text out = { 0 };
        char *left = NULL;

        while (proc && (entry = readdir(proc))) {
                static const char *const kinds[] = { "ns/net", "ns/mnt" };
                const char *pid = entry->d_name;
                char target[256], fd_dir[300];
                DIR *fds;
                if (pid[0] < '0' || pid[0] > '9')
                        continue;
                snprintf(self, sizeof self, "%d", (int) getpid());
                for (size_t i = 0; i < 2; i++)
                        if (link_is(pid, kinds[i], target, sizeof target) && strv_contains(namespaces, target))
                                text_printf(&out, "%s%s: process %s is in it", text_length(&out) ? "; " : "", target, pid);
                snprintf(fd_dir, sizeof fd_dir, "/proc/%s/fd", pid);
                fds = strcmp(pid, self) != 0 ? opendir(fd_dir) : NULL;
                for (struct dirent *fd; fds && (fd = readdir(fds));) {
                        char name[300];
                        snprintf(name, sizeof name, "fd/%s", fd->d_name);
                        if (fd->d_name[0] != '.' && link_is(pid, name, target, sizeof target) &&
                            strv_contains(namespaces, target))
                                text_printf(&out, "%s%s: open in process %s", text_length(&out) ? "; " : "", target, pid);
                }
                if (fds)
                        closedir(fds);
                /* Each mount table once. */
                if (link_is(pid, "ns/mnt", target, sizeof target) && !strv_contains(&mount_namespaces, target)) {
                        nc_strv_push(&mount_namespaces, target);
                        mounts_of(pid, namespaces, &out);
                }
        }
        if (proc)
                closedir(proc);
        nc_strv_clear(&mount_namespaces);
        if (text_length(&out))
                left = text_steal(&out, NULL);
        text_free(&out);
        return left;
}

static const char *const namespace_links[] = { "/proc/self/ns/net", "/proc/self/ns/mnt" };
#define NAMESPACES_SENT (ELEMENTSOF(namespace_links))

void live_namespaces_send(int socket_fd) {
        union {
                char buffer[CMSG_SPACE(NAMESPACES_SENT * sizeof(int))];
                struct cmsghdr align;
        } control = { 0 };
        struct iovec byte = { .iov_base = (char[]) { 'n' }, .iov_len = 1 };
        struct msghdr message = { .msg_iov = &byte, .msg_iovlen = 1, .msg_control = control.buffer,
                                  .msg_controllen = sizeof control.buffer };
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        int fds[NAMESPACES_SENT];

        for (size_t i = 0; i < NAMESPACES_SENT; i++)
                if ((fds[i] = open(namespace_links[i], O_RDONLY | O_CLOEXEC)) < 0) {
                        for (size_t j = 0; j < i; j++)
                                close(fds[j]);
                        return;
                }
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof fds);
        memcpy(CMSG_DATA(header), fds, sizeof fds);
        sendmsg(socket_fd, &message, MSG_NOSIGNAL);
        for (size_t i = 0; i < NAMESPACES_SENT; i++)
                close(fds[i]);
}

char *live_namespaces_left(int socket_fd, unsigned *ret_checked) {
        union {
                char buffer[CMSG_SPACE(NAMESPACES_SENT * sizeof(int))];
                struct cmsghdr align;
        } control = { 0 };
        char byte;
        struct iovec data = { .iov_base = &byte, .iov_len = 1 };
        struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer,
                                  .msg_controllen = sizeof control.buffer };
        nc_strv ids = { 0 };
        char *left = NULL;
        size_t n = 0;
        int fds[NAMESPACES_SENT];

        *ret_checked = 0;
        if (recvmsg(socket_fd, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) > 0)
                for (struct cmsghdr *h = CMSG_FIRSTHDR(&message); h; h = CMSG_NXTHDR(&message, h))
                        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
                                n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                                memcpy(fds, CMSG_DATA(h), (n < NAMESPACES_SENT ? n : NAMESPACES_SENT) * sizeof(int));
                        }
        for (size_t i = 0; i < n && i < NAMESPACES_SENT; i++) {
                int type = ioctl(fds[i], NS_GET_NSTYPE);
                struct stat ns, own;
                char id[64];
                /* Not the worker's own when it never left this process's. */
                if (fstat(fds[i], &ns) == 0 && stat(namespace_links[i], &own) == 0 && ns.st_ino != own.st_ino &&
                    (type == CLONE_NEWNET || type == CLONE_NEWNS)) {
                        snprintf(id, sizeof id, "%s:[%lu]", type == CLONE_NEWNET ? "net" : "mnt", (unsigned long) ns.st_ino);
                        nc_strv_push(&ids, id);
                }
        }
        *ret_checked = (unsigned) ids.n;
        left = holders(&ids);
        for (size_t i = 0; i < n && i < NAMESPACES_SENT; i++)
                close(fds[i]);
        nc_strv_clear(&ids);
        return left;
}

char *live_mounts_below(const char *dir) {
        FILE *in = fopen("/proc/self/mountinfo", "re");
        size_t len = strlen(dir);
        char line[4096], *left = NULL;
        text out = { 0 };

        while (in && fgets(line, sizeof line, in)) {
                char point[4096];
                if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && strncmp(point, dir, len) == 0 &&
                    (point[len] == '\0' || point[len] == '/'))
                        text_printf(&out, "%s%s", text_length(&out) ? " " : "", point);
        }
        if (in)
                fclose(in);
        if (text_length(&out))
                left = text_steal(&out, NULL);
        text_free(&out);
        return left;
}

/* "+NAME" for each added, "-NAME" for each gone, from sorted lists. */
char *live_machine_difference(const nc_strv *before, const nc_strv *after, bool (*counts)(const char *)) {
        text b = { 0 };
        char *out = NULL;

        for (size_t i = 0; i < after->n; i++)
                if (!strv_contains(before, after->items[i]) && (!counts || counts(after->items[i])))
                        text_printf(&b, "%s+%s", text_length(&b) ? " " : "", after->items[i]);
        for (size_t i = 0; i < before->n; i++)
                if (!strv_contains(after, before->items[i]))
                        text_printf(&b, "%s-%s", text_length(&b) ? " " : "", before->items[i]);
        if (text_length(&b))
                out = text_steal(&b, NULL);
        text_free(&b);
        return out;
}

/* This process's children, and processes it has become the parent of. */
size_t live_children_left(void) {
        return tier_children(NULL, 0);
}
