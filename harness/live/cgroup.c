/* A cgroup per run. systemd gives the unit container@NAME (Delegate=yes) a
 * cgroup of its own, and `nspawn --keep-unit` makes "payload" and
 * "supervisor" below the cgroup it is started in, without removing them:
 * the service manager removes the unit's cgroup when the unit stops. Here
 * the harness is that manager. Without this, every run would leave
 * payload/ and supervisor/ below the harness's own cgroup.
 *
 * A run's cgroups are named "nixcontainer-live.PID.N" (PID: test-live's),
 * tracked for the signal path (tier.h), and those of a run killed with
 * SIGKILL are removed by the next run (live_cgroups_remove_stale). */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "live.h"
#include "text.h"
#include "tier.h"

/* The first line of `path` for which `match` returns a value (a newly
 * allocated string), or NULL. */
static char *first_match(const char *path, char *(*match)(char *line, bool unified), bool unified) {
        FILE *in = fopen(path, "re");
        char line[4096], *found = NULL;

        if (!in)
                return NULL;
        while (!found && fgets(line, sizeof line, in))
                found = match(line, unified);
        fclose(in);
        return found;
}

/* A line of /proc/self/mountinfo that mounts the hierarchy: "cgroup2", or
 * "cgroup" with name=systemd among its super options (a hybrid host). */
static char *mount_point_of(char *line, bool unified) {
        char *dash = strstr(line, " - "), *fields[6] = { 0 }, *save = NULL, *p = line;
        char type[64] = "", options[2048] = "";

        if (!dash || sscanf(dash + 3, "%63s %*s %2047s", type, options) < 2)
                return NULL;
        if (unified ? strcmp(type, "cgroup2") != 0 : strcmp(type, "cgroup") != 0 || !strstr(options, "name=systemd"))
                return NULL;
        for (int i = 0; i < 5 && (fields[i] = strtok_r(p, " ", &save)); i++)
                p = NULL;
        return fields[4] ? strdup(fields[4]) : NULL;
}

/* A line of /proc/self/cgroup for the hierarchy: the caller's cgroup. */
static char *own_path_of(char *line, bool unified) {
        char *first = strchr(line, ':'), *second = first ? strchr(first + 1, ':') : NULL;

        if (!second)
                return NULL;
        *first = *second = '\0';
        if (unified ? strcmp(line, "0") != 0 || first[1] != '\0' : strcmp(first + 1, "name=systemd") != 0)
                return NULL;
        second[1 + strcspn(second + 1, "\n")] = '\0';
        return strdup(second + 1);
}

/* The mount point of a hierarchy, from /proc/self/mountinfo. */
static char *mount_point(bool unified) {
        return first_match("/proc/self/mountinfo", mount_point_of, unified);
}

/* The caller's cgroup in that hierarchy, from /proc/self/cgroup. */
static char *own_path(bool unified) {
        return first_match("/proc/self/cgroup", own_path_of, unified);
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
                        } else {
                                r = nc_strv_push(&cg.dirs, dir);
                                if (r >= 0)
                                        r = tier_track_cgroup(dir);
                        }
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
                while (in && procs_n < ELEMENTSOF(procs_pids) && fscanf(in, "%lu", &pid) == 1)
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

int live_cgroup_destroy(live_cgroup *cg, unsigned *ret_killed, char **ret_error) {
        int r = 0;

        *ret_killed = 0;
        *ret_error = NULL;
        for (size_t i = 0; i < cg->dirs.n; i++) {
                const char *dir = cg->dirs.items[i];
                int k;

                /* Killing through the first hierarchy empties the second. */
                *ret_killed += (unsigned) processes_in(dir);
                k = tier_remove_cgroup(dir);
                tier_untrack(dir);
                if (k < 0) {
                        size_t left = processes_in(dir);
                        r = k;
                        if (!*ret_error && (left ? asprintf(ret_error, "%s: %zu process(es) would not die", dir, left)
                                                 : asprintf(ret_error, "%s: cannot be removed", dir)) < 0)
                                *ret_error = NULL;
                }
        }
        nc_strv_clear(&cg->dirs);
        return r;
}

/* The cgroups of runs that are gone, found by live_cgroups_remove_stale():
 * nftw() passes no user data. */
static nc_strv stale_found;

static int find_stale(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        pid_t pid;

        (void) st;
        if (type != FTW_D)
                return FTW_CONTINUE;
        pid = tier_name_pid(path + ftw->base, "nixcontainer-live");
        if (pid <= 0 || !tier_pid_gone(pid))
                return FTW_CONTINUE;
        nc_strv_push(&stale_found, path);
        return FTW_SKIP_SUBTREE;
}

int live_cgroups_remove_stale(nc_strv *ret_removed) {
        int r = 0;

        for (int unified = 1; unified >= 0; unified--) {
                char *mount = mount_point(unified);
                if (mount)
                        nftw(mount, find_stale, 32, FTW_PHYS | FTW_ACTIONRETVAL);
                free(mount);
        }
        for (size_t i = 0; i < stale_found.n; i++) {
                const char *dir = stale_found.items[i];
                size_t left = processes_in(dir);
                char *what = NULL;
                int k = tier_remove_cgroup(dir);
                if (k < 0)
                        r = k;
                if (asprintf(&what, "%s%s (%zu process(es) killed)", k < 0 ? "could not remove " : "", dir, left) >= 0)
                        nc_strv_push(ret_removed, what);
                free(what);
        }
        nc_strv_clear(&stale_found);
        return r;
}
