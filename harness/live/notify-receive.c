/* The receiving side of readiness (notify-send.c is the sending side):
 * the unit's notify socket: systemd gives a Type=notify service
 * $NOTIFY_SOCKET; nspawn with --notify-ready=yes sends there
 * "STATUS=Container running.\nX_NSPAWN_LEADER_PID=N" once the payload is
 * started, and READY=1 when the container's PID 1 sends it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "live.h"

int live_notify_open(const char *path, int *ret_fd) {
        struct sockaddr_un address = { .sun_family = AF_UNIX };
        int fd, one = 1;

        if (strlen(path) >= sizeof address.sun_path)
                return -ENAMETOOLONG;
        strcpy(address.sun_path, path);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0 ||
            bind(fd, (struct sockaddr *) &address, sizeof address) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        *ret_fd = fd;
        return 0;
}

static void parse_message(char *text, live_notify_state *state) {
        char *save = NULL;

        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (strcmp(line, "READY=1") == 0)
                        state->ready = true;
                else if (strncmp(line, "STATUS=Container running", 24) == 0)
                        state->running = true;
                else if (strncmp(line, "X_NSPAWN_LEADER_PID=", 20) == 0)
                        state->leader = (pid_t) strtol(line + 20, NULL, 10);
        }
}

int live_notify_drain(int fd, live_notify_state *state) {
        for (;;) {
                char buffer[4096];
                ssize_t n = recv(fd, buffer, sizeof buffer - 1, MSG_DONTWAIT);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
                buffer[n] = '\0';
                fprintf(stderr, "notify: %s\n", buffer);
                parse_message(buffer, state);
        }
}
