/* The run's mounts: a private mount namespace with the paths a container
 * start writes to (/run, /nix, /var/lib) on fresh tmpfs, and the sources
 * and mount points of the container's bind mounts. */
#include <errno.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "array.h"
#include "text.h"
#include "unit.h"

static int mount_tmpfs(const char *where) {
        if (mount("tmpfs", where, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
                fprintf(stderr, "mount tmpfs on %s: %s\n", where, strerror(errno));
                return -errno;
        }
        return 0;
}

/* What systemd as PID 1 makes at boot (make_inaccessible_nodes()) and
 * nspawn mounts over the container's /proc/kcore, /proc/sysrq-trigger and
 * the like; /run is fresh here. */
static int inaccessible_nodes(void) {
        static const struct {
                const char *name;
                mode_t mode;
        } nodes[] = {
                { "reg", S_IFREG }, { "fifo", S_IFIFO }, { "sock", S_IFSOCK }, { "chr", S_IFCHR }, { "blk", S_IFBLK },
        };
        int r = mkdir_p("/run/systemd/inaccessible/dir", 0755);

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(nodes); i++) {
                char *path = NULL;
                if (asprintf(&path, "/run/systemd/inaccessible/%s", nodes[i].name) < 0)
                        return -ENOMEM;
                if (mknod(path, nodes[i].mode | 0000, makedev(0, 0)) < 0 && errno != EEXIST)
                        r = -errno;
                free(path);
        }
        if (r >= 0 && (chmod("/run/systemd/inaccessible/dir", 0000) < 0 || chmod("/run/systemd/inaccessible", 0555) < 0))
                r = -errno;
        if (r < 0)
                fprintf(stderr, "/run/systemd/inaccessible: %s\n", strerror(-r));
        return r;
}

/* A private mount namespace with fresh /run, /nix and /var/lib, and a
 * read-only sysfs of the run's own network namespace on /sys, with the
 * cgroup hierarchies bound back below it:
 *
 *   - nspawn looks up --network-interface= devices in /sys/class/net, which
 *     shows the network namespace of whoever mounted sysfs (the machine's,
 *     unless mounted again from here);
 *   - nspawn waits for udev to have initialised such a device unless /sys
 *     is read-only (udev_available(): no udev runs here, as in a container);
 *   - `ip netns exec` remounts /sys too, but without /sys/fs/cgroup, and
 *     nspawn then cannot find the cgroup hierarchy: hence the bind. */
int live_private_mounts(void) {
        static const char cgroups[] = "/run/.live-cgroup";
        int r;

        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
                fprintf(stderr, "private mount namespace: %s\n", strerror(errno));
                return -errno;
        }
        r = mount_tmpfs("/run");
        if (r >= 0)
                r = mount_tmpfs("/nix");
        if (r >= 0)
                r = mount_tmpfs("/var/lib");
        if (r < 0)
                return r;
        r = inaccessible_nodes();
        if (r < 0)
                return r;
        if (mkdir(cgroups, 0755) < 0 || mount("/sys/fs/cgroup", cgroups, NULL, MS_BIND | MS_REC, NULL) < 0 ||
            mount("sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
            mount(cgroups, "/sys/fs/cgroup", NULL, MS_BIND | MS_REC, NULL) < 0 || umount2(cgroups, MNT_DETACH) < 0 ||
            rmdir(cgroups) < 0) {
                fprintf(stderr, "sysfs of the run's network namespace: %s\n", strerror(errno));
                return -errno;
        }
        return 0;
}

/* The value of argv[*i] when it is --bind=/--bind-ro= (or the word after
 * --bind/--bind-ro), advancing *i past it; NULL otherwise. */
static const char *bind_value(const nc_strv *argv, size_t *i) {
        const char *word = argv->items[*i];

        if (strncmp(word, "--bind=", 7) == 0 || strncmp(word, "--bind-ro=", 10) == 0)
                return strchr(word, '=') + 1;
        if ((strcmp(word, "--bind") == 0 || strcmp(word, "--bind-ro") == 0) && *i + 1 < argv->n)
                return argv->items[++*i];
        return NULL;
}

/* Each bind mount of the argv (the last two words are the init and its
 * argument): a source outside /nix (bindMounts' hostPath, e.g. /srv/mid)
 * is made on a tmpfs over its top-level directory, in this mount namespace
 * only; the mount point is made in the tree, as a container that booted
 * once has it (nspawn makes it at the first boot, unless the tree is
 * read-only by then, as with --volatile=state: "Failed to make parents of
 * ROOT/nix/store"). */
int live_provide_binds(const nc_strv *argv, const char *root) {
        for (size_t i = 1; i + 2 < argv->n; i++) {
                const char *value = bind_value(argv, &i), *colon;
                char *source, *point = NULL;
                int r = 0;
                if (!value || value[0] == '+')
                        continue;
                source = strndup(value, strcspn(value, ":"));
                colon = strchr(value, ':');
                if (!source || asprintf(&point, "%s%.*s", root, colon ? (int) strcspn(colon + 1, ":") : (int) strlen(source),
                                        colon ? colon + 1 : source) < 0) {
                        free(source);
                        return -ENOMEM;
                }
                if (source[0] == '/' && strncmp(source, "/nix/", 5) != 0 && access(source, F_OK) < 0) {
                        char *top = strndup(source, 1 + strcspn(source + 1, "/"));
                        if (!top)
                                r = -ENOMEM;
                        else if (access(top, F_OK) < 0) {
                                fprintf(stderr, "bind source %s: the harness cannot provide %s\n", source, top);
                                r = -ENOENT;
                        } else {
                                struct statfs fs;
                                /* (Once: a second source below it goes on the same tmpfs.) */
                                r = statfs(top, &fs) == 0 && fs.f_type == TMPFS_MAGIC ? 0 : mount_tmpfs(top);
                                if (r >= 0)
                                        r = mkdir_p(source, 0755);
                        }
                        free(top);
                }
                if (r >= 0)
                        r = mkdir_p(point, 0755);
                free(source);
                free(point);
                if (r < 0)
                        return r;
        }
        return 0;
}
