/* A cgroup per run. systemd gives the unit container@NAME (Delegate=yes) a
 * cgroup of its own, and `nspawn --keep-unit` makes "payload" and
 * "supervisor" below the cgroup it is started in, without removing them:
 * the service manager removes the unit's cgroup when the unit stops. Here
 * the harness is that manager. Without this, every run would leave
 * payload/ and supervisor/ below the harness's own cgroup. */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "text.h"

/* The mount point of a hierarchy: "cgroup2", or "cgroup" with name=systemd
 * among its super options (a hybrid host), from /proc/self/mountinfo. */
static char *mount_point(bool unified) {
        FILE *in = fopen("/proc/self/mountinfo", "re");
        char line[4096], *found = NULL;

        if (!in)
                return NULL;
        while (!found && fgets(line, sizeof line, in)) {
                char *dash = strstr(line, " - "), *fields[6] = { 0 }, *save = NULL, *p = line;
                char type[64] = "", options[2048] = "";
                if (!dash)
                        continue;
                if (sscanf(dash + 3, "%63s %*s %2047s", type, options) < 2)
                        continue;
                if (unified ? strcmp(type, "cgroup2") != 0
                            : strcmp(type, "cgroup") != 0 || !strstr(options, "name=systemd"))
                        continue;
                for (int i = 0; i < 5 && (fields[i] = strtok_r(p, " ", &save)); i++)
                        p = NULL;
                if (fields[4])
                        found = strdup(fields[4]);
        }
        fclose(in);
        return found;
}

/* The caller's cgroup in that hierarchy, from /proc/self/cgroup. */
static char *own_path(bool unified) {
        FILE *in = fopen("/proc/self/cgroup", "re");
        char line[4096], *found = NULL;

        if (!in)
                return NULL;
        while (!found && fgets(line, sizeof line, in)) {
                char *first = strchr(line, ':'), *second = first ? strchr(first + 1, ':') : NULL;
                if (!second)
                        continue;
                *first = *second = '\0';
                if (unified ? strcmp(line, "0") == 0 && first[1] == '\0' : strcmp(first + 1, "name=systemd") == 0) {
                        second[1 + strcspn(second + 1, "\n")] = '\0';
                        found = strdup(second + 1);
                }
        }
        fclose(in);
        return found;
}

int live_cgroup_create(const char *name, live_cgroup *ret, char **ret_error) {
        live_cgroup cg = { 0 };
        int r = 0;

        *ret_error = NULL;
        for (int unified = 1; unified >= 0 && r >= 0; unified--) {
                char *mount = mount_point(unified), *path = own_path(unified), *dir = NULL;
                if (mount && path) {
                        if (asprintf(&dir, "%s%s/%s", mount, strcmp(path, "/") == 0 ? "" : path, name) < 0)
                                r = -ENOMEM;
                        else if (mkdir(dir, 0755) < 0) {
                                r = -errno;
                                if (asprintf(ret_error, "mkdir %s: %s", dir, strerror(errno)) < 0)
                                        *ret_error = NULL;
                        } else
                                r = nc_strv_push(&cg.dirs, dir);
                        free(dir);
                } else if (unified && asprintf(ret_error, "no cgroup2 hierarchy in /proc/self/mountinfo") >= 0)
                        r = -ENOENT;
                free(mount);
                free(path);
        }
        if (r < 0) {
                unsigned ignored;
                char *error = NULL;
                live_cgroup_destroy(&cg, &ignored, &error);
                free(error);
                return r;
        }
        *ret = cg;
        return 0;
}

int live_cgroup_enter(const live_cgroup *cg) {
        for (size_t i = 0; i < cg->dirs.n; i++) {
                char *path = NULL;
                int r;
                if (asprintf(&path, "%s/cgroup.procs", cg->dirs.items[i]) < 0)
                        return -ENOMEM;
                r = write_file_string(path, "0\n", 0644);
                free(path);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Every process in dir and below, from the cgroup.procs files. */
static unsigned long procs_pids[4096];
static size_t procs_n;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void) st;
        (void) ftw;
        if (type == FTW_F && strcmp(path + strlen(path) - 13, "/cgroup.procs") == 0) {
                FILE *in = fopen(path, "re");
                unsigned long pid;
                while (in && procs_n < sizeof procs_pids / sizeof procs_pids[0] && fscanf(in, "%lu", &pid) == 1)
                        procs_pids[procs_n++] = pid;
                if (in)
                        fclose(in);
        }
        return 0;
}

static size_t processes_in(const char *dir) {
        procs_n = 0;
        nftw(dir, collect, 16, FTW_PHYS);
        return procs_n;
}

static int remove_dir(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void) st;
        (void) ftw;
        /* cgroupfs: only the directories can (and must) be removed. */
        if (type == FTW_DP && rmdir(path) < 0)
                return -1;
        return 0;
}

/* Zombies that were reparented to the caller (a subreaper). */
static void reap(void) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

int live_cgroup_destroy(live_cgroup *cg, unsigned *ret_killed, char **ret_error) {
        int r = 0;

        *ret_killed = 0;
        *ret_error = NULL;
        for (size_t i = 0; i < cg->dirs.n; i++) {
                const char *dir = cg->dirs.items[i];
                size_t left = processes_in(dir);
                char *kill_file = NULL;

                if (left > 0) {
                        *ret_killed += (unsigned) left;
                        /* cgroup2 (Linux >= 5.14) kills the whole subtree at once;
                         * otherwise each process, until none is left. */
                        if (asprintf(&kill_file, "%s/cgroup.kill", dir) >= 0 && access(kill_file, F_OK) == 0)
                                write_file_string(kill_file, "1\n", 0644);
                        free(kill_file);
                }
                for (int round = 0; round < 500 && (left = processes_in(dir)) > 0; round++) {
                        for (size_t j = 0; j < procs_n; j++)
                                kill((pid_t) procs_pids[j], SIGKILL);
                        reap();
                        nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
                }
                reap();
                if (left > 0) {
                        r = -EBUSY;
                        if (!*ret_error && asprintf(ret_error, "%s: %zu process(es) would not die", dir, left) < 0)
                                *ret_error = NULL;
                        continue;
                }
                /* A cgroup whose last process just died can refuse rmdir for a
                 * moment (EBUSY) while the kernel finishes with it. */
                for (int round = 0; round < 200; round++) {
                        if (nftw(dir, remove_dir, 16, FTW_DEPTH | FTW_PHYS) == 0 || errno == ENOENT)
                                break;
                        nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
                }
                if (access(dir, F_OK) == 0) {
                        r = -EBUSY;
                        if (!*ret_error && asprintf(ret_error, "%s: cannot be removed: %s", dir, strerror(errno)) < 0)
                                *ret_error = NULL;
                }
        }
        nc_strv_clear(&cg->dirs);
        return r;
}
