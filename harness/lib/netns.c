/* Namespaces for the namespace tier.
 *
 * Every namespace the tier makes (the fixture's "host", and one per
 * container with a private network) is prepared the same way before any
 * link is created in it:
 *
 *   - net.ipv6.conf.{all,default}.addr_gen_mode = 1 (none): no link-local
 *     address is generated, so no random fe80:: address or route appears in
 *     a dump; the addresses that remain are the ones the scripts add.
 *   - net.ipv6.conf.{all,default}.accept_dad = 0: an address an
 *     implementation adds does not stay "tentative" for a DAD period, so its
 *     routes appear as soon as the link is ready, not after a timer.
 *   - lo is brought up, as systemd-nspawn does inside a private network
 *     (loopback_setup()) and as any host has it.
 *
 * /proc/sys/net shows the namespace of the process that opens it, so these
 * are written from a process inside the namespace. Interfaces created in or
 * moved into a namespace take its "default" settings. */
#include <errno.h>
#include <spawn.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "array.h"
#include "netns.h"
#include "run.h"
#include "strv.h"

static int write_sysctl(const char *path, const char *value) {
        int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

        if (fd < 0)
                return -errno;
        if (write(fd, value, strlen(value)) < 0)
                r = -errno;
        close(fd);
        return r;
}

static int loopback_up(void) {
        struct ifreq ifr = { 0 };
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

        if (fd < 0)
                return -errno;
        strcpy(ifr.ifr_name, "lo");
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                r = -errno;
        else {
                ifr.ifr_flags |= IFF_UP;
                if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                        r = -errno;
        }
        close(fd);
        return r;
}

/* systemd-nspawn's loopback_setup() (src/shared/loopback-setup.c) gives the
 * container's lo 127.0.0.1/8 and ::1/128 with IFA_F_NOPREFIXROUTE before
 * bringing it up, so ::1 has no prefix route in table main. Done before the
 * sysctls: writing addr_gen_mode makes the kernel add ::1 itself. (Found by
 * the live tier against the real nspawn.) */
static int loopback_addresses_like_nspawn(const char **ret_what) {
        static const char *const commands[][8] = {
                { "ip", "addr", "add", "127.0.0.1/8", "dev", "lo", NULL },
                { "ip", "addr", "add", "::1/128", "dev", "lo", "noprefixroute", NULL },
        };
        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                pid_t pid;
                int status;
                if (posix_spawnp(&pid, "ip", NULL, NULL, (char *const *) commands[i], netns_tool_env()) != 0 ||
                    waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                        *ret_what = "adding lo's addresses as nspawn does";
                        return -EIO;
                }
        }
        return 0;
}

/* In the namespace to prepare; on error, *ret_what names the step. */
static int prepare_current(const char **ret_what) {
        static const char *const settings[][2] = {
                { "/proc/sys/net/ipv6/conf/all/accept_dad", "0" },
                { "/proc/sys/net/ipv6/conf/default/accept_dad", "0" },
                { "/proc/sys/net/ipv6/conf/all/addr_gen_mode", "1" },
                { "/proc/sys/net/ipv6/conf/default/addr_gen_mode", "1" },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(settings); i++) {
                r = write_sysctl(settings[i][0], settings[i][1]);
                if (r < 0) {
                        *ret_what = settings[i][0];
                        return r;
                }
        }
        r = loopback_up();
        if (r < 0)
                *ret_what = "bringing lo up";
        return r;
}

static void set_error(char **ret_error, const char *what, int r) {
        if (ret_error && asprintf(ret_error, "%s: %s", what, strerror(-r)) < 0)
                *ret_error = NULL;
}

int netns_unshare_prepared(char **ret_error) {
        const char *what = "unshare(CLONE_NEWNET)";
        int r = unshare(CLONE_NEWNET) < 0 ? -errno : prepare_current(&what);

        if (r < 0)
                set_error(ret_error, what, r);
        return r;
}

int netns_holder_spawn(netns_holder *ret, char **ret_error) {
        int ready[2], r = 0;
        char path[64];
        ssize_t n;
        pid_t pid, parent = getpid();

        if (pipe2(ready, O_CLOEXEC) < 0) {
                r = -errno;
                set_error(ret_error, "pipe", r);
                return r;
        }
        pid = fork();
        if (pid < 0) {
                r = -errno;
                close(ready[0]);
                close(ready[1]);
                set_error(ret_error, "fork", r);
                return r;
        }
        if (pid == 0) {
                const char *what = "unshare(CLONE_NEWNET)";
                int status;
                close(ready[0]);
                /* Dies with the worker that made it, whatever happens to it. */
                if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                        _exit(1);
                status = unshare(CLONE_NEWNET) < 0 ? -errno : loopback_addresses_like_nspawn(&what);
                if (status >= 0)
                        status = prepare_current(&what);
                if (write(ready[1], &status, sizeof status) != sizeof status || status < 0)
                        _exit(1);
                close(ready[1]);
                for (;;)
                        pause();
        }
        close(ready[1]);
        n = read(ready[0], &r, sizeof r);
        close(ready[0]);
        if (n != sizeof r || r < 0) {
                if (n != sizeof r)
                        r = -ECHILD;
                set_error(ret_error, "preparing a container namespace", r);
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                return r;
        }
        snprintf(path, sizeof path, "/proc/%d/ns/net", (int) pid);
        ret->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (ret->fd < 0) {
                r = -errno;
                set_error(ret_error, path, r);
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                return r;
        }
        ret->pid = pid;
        return 0;
}

void netns_holder_kill(netns_holder *h) {
        if (h->fd >= 0)
                close(h->fd);
        if (h->pid > 0) {
                kill(h->pid, SIGKILL);
                while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
        *h = NETNS_HOLDER_NONE;
}

char *const *netns_tool_env(void) {
        static char path[4096];
        static char *env[] = { path, (char *) "LC_ALL=C", NULL };

        if (!path[0]) {
                const char *value = getenv("PATH");
                snprintf(path, sizeof path, "PATH=%s", value && *value ? value : "/usr/sbin:/usr/bin:/sbin:/bin");
        }
        return env;
}

static int ip_v(int netns_fd, char **ret_out, char **ret_error, const char *format, va_list ap) {
        run_result result = { 0 };
        nc_strv argv = { 0 };
        char *text = NULL;
        int r;

        if (vasprintf(&text, format, ap) < 0)
                return -ENOMEM;
        r = nc_strv_push(&argv, "ip");
        if (r >= 0)
                r = split_words(text, &argv);
        if (r >= 0)
                r = nc_strv_push(&argv, "");
        if (r >= 0) {
                free(argv.items[argv.n - 1]);
                argv.items[argv.n - 1] = NULL;
                r = run_command_netns(argv.items, netns_tool_env(), netns_fd, &result);
                argv.n--;
        }
        if (r >= 0 && result.status != 0) {
                size_t len = result.err_len;
                while (len > 0 && result.err[len - 1] == '\n')
                        len--;
                if (ret_error && asprintf(ret_error, "ip %s: %.*s", text, (int) len, result.err ? result.err : "") < 0)
                        *ret_error = NULL;
                r = -EIO;
        } else if (r < 0)
                set_error(ret_error, "running ip", r);
        else if (ret_out) {
                *ret_out = result.out;
                result.out = NULL;
        }
        run_result_free(&result);
        nc_strv_clear(&argv);
        free(text);
        return r;
}

int netns_ip_output(int netns_fd, char **ret_out, char **ret_error, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = ip_v(netns_fd, ret_out, ret_error, format, ap);
        va_end(ap);
        return r;
}

bool netns_ifname_valid(const char *name) {
        size_t len = strlen(name);
        bool digits = true;

        if (len == 0 || len >= 16 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return false;
        for (const char *p = name; *p; p++) {
                unsigned char c = (unsigned char) *p;
                if (c <= 32 || c >= 127 || c == ':' || c == '/' || c == '%')
                        return false;
                if (c < '0' || c > '9')
                        digits = false;
        }
        return !digits;
}
