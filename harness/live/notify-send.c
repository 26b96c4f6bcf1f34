/* notify-send: the live tier's stage 2 reports readiness with it, in place
 * of a NixOS stage 2 whose systemd (PID 1) sends READY=1 to the
 * $NOTIFY_SOCKET nspawn gives it (/run/host/notify).
 *
 *   notify-send MESSAGE      e.g. notify-send READY=1
 *
 * nspawn only takes a message from the container's PID 1 (it checks the
 * sender's credentials), and the stage 2 here is a shell that PID 1
 * sources, so this sends the message with PID 1's credentials
 * (SCM_CREDENTIALS: allowed with CAP_SYS_ADMIN, which the container keeps).
 * Built static: the container's tree need not hold its libraries. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un address = { .sun_family = AF_UNIX };
        struct ucred credentials = { .pid = 1, .uid = getuid(), .gid = getgid() };
        union {
                struct cmsghdr header;
                char buffer[CMSG_SPACE(sizeof credentials)];
        } control = { 0 };
        struct iovec iov;
        struct msghdr message = { 0 };
        struct cmsghdr *cmsg;
        socklen_t length;
        int fd;

        if (argc != 2) {
                fprintf(stderr, "usage: notify-send MESSAGE\n");
                return 2;
        }
        if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof address.sun_path) {
                fprintf(stderr, "notify-send: NOTIFY_SOCKET is not set to a socket path\n");
                return 1;
        }
        strcpy(address.sun_path, path);
        if (path[0] == '@')
                address.sun_path[0] = '\0';
        length = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(path) + (path[0] == '@' ? 0 : 1));
        iov = (struct iovec) { .iov_base = argv[1], .iov_len = strlen(argv[1]) };
        message = (struct msghdr) { .msg_name = &address, .msg_namelen = length, .msg_iov = &iov, .msg_iovlen = 1,
                                    .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
        cmsg = CMSG_FIRSTHDR(&message);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_CREDENTIALS;
        cmsg->cmsg_len = CMSG_LEN(sizeof credentials);
        memcpy(CMSG_DATA(cmsg), &credentials, sizeof credentials);

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendmsg(fd, &message, 0) < 0) {
                fprintf(stderr, "notify-send: %s: %s\n", path, strerror(errno));
                return 1;
        }
        close(fd);
        return 0;
}
