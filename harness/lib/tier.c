/* A tier's scratch folders, signals and closing line: see tier.h.
 *
 * The signal path runs in a signal handler, which may have interrupted
 * malloc() or stdio: from the handler on, only system calls and the
 * functions POSIX lists as async-signal-safe are used, and no memory is
 * allocated. That is why this file reads directories with getdents64(2)
 * into a buffer on the stack rather than with opendir() or nftw() (both
 * allocate), and keeps the paths it must remove in fixed arrays. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "text.h"
#include "tier.h"

#define SCRATCH_DIR "/tmp"
#define TRACKED_MAX 8       /* at once: the tier's folder, the fixture set's, a live run's cgroups */
#define REMOVE_DEPTH_MAX 32 /* the deepest a scratch folder goes is a few levels */
#define KEPT_MARK ".kept"   /* in a folder kept with --keep */

static struct {
        const char *name;
        pid_t pid;
        long started_ms;
} tier = { .name = "harness" };

/* What the signal path removes. */
static struct {
        char path[PATH_MAX];
        bool cgroup;                /* a cgroup: its processes are killed first */
        volatile sig_atomic_t used; /* set once the entry is whole, cleared before it changes */
} tracked[TRACKED_MAX];

/* ---- without allocating ------------------------------------------------------ */

/* The number at the start of `s`, or -1. */
static long parse_number(const char *s, const char **ret_end) {
        long n = 0;

        if (*s < '0' || *s > '9')
                return -1;
        for (; *s >= '0' && *s <= '9' && n < LONG_MAX / 10; s++)
                n = n * 10 + (*s - '0');
        if (ret_end)
                *ret_end = s;
        return n;
}

typedef int (*entry_fn)(int dir_fd, const struct dirent64 *entry, void *userdata);

/* Calls fn for each entry of the directory open at dir_fd but "." and "..",
 * until fn returns < 0. */
static int each_entry(int dir_fd, entry_fn fn, void *userdata) {
        char buffer[4096] __attribute__((aligned(8)));
        ssize_t n;

        while ((n = getdents64(dir_fd, buffer, sizeof buffer)) > 0)
                for (ssize_t at = 0; at < n;) {
                        const struct dirent64 *entry = (const struct dirent64 *) (buffer + at);
                        const char *name = entry->d_name;
                        at += entry->d_reclen;
                        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                                continue;
                        if (fn(dir_fd, entry, userdata) < 0)
                                return -1;
                }
        return n < 0 ? -errno : 0;
}

static int remove_at(int dir_fd, const char *name, dev_t device, unsigned depth);

typedef struct removal {
        dev_t device;
        unsigned depth;
} removal;

static int remove_entry(int dir_fd, const struct dirent64 *entry, void *userdata) {
        const removal *from = userdata;

        if (entry->d_type == DT_DIR || entry->d_type == DT_UNKNOWN)
                remove_at(dir_fd, entry->d_name, from->device, from->depth + 1);
        else
                unlinkat(dir_fd, entry->d_name, 0);
        return 0; /* what could not be removed shows in the rmdir of the folder */
}

/* NAME in dir_fd, and everything below it on the same file system. */
static int remove_at(int dir_fd, const char *name, dev_t device, unsigned depth) {
        int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r;
        struct stat st;

        if (fd < 0) {
                if (errno == ENOENT)
                        return 0;
                if (errno != ENOTDIR && errno != ELOOP)
                        return -errno;
                return unlinkat(dir_fd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
        }
        /* Like rm --one-file-system: what is mounted below stays (and so
         * does the folder it is mounted on). */
        if (fstat(fd, &st) < 0 || (depth > 0 && st.st_dev != device) || depth > REMOVE_DEPTH_MAX) {
                close(fd);
                return -EBUSY;
        }
        /* A directory read while its entries go may skip one: read again. */
        for (int pass = 0; pass < 3; pass++) {
                if (pass > 0 && lseek(fd, 0, SEEK_SET) < 0)
                        break;
                each_entry(fd, remove_entry, &(removal) { .device = st.st_dev, .depth = depth });
                if (unlinkat(dir_fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT) {
                        close(fd);
                        return 0;
                }
                if (errno != ENOTEMPTY)
                        break;
        }
        r = -errno;
        close(fd);
        return r;
}

int tier_remove_tree(const char *path) {
        return remove_at(AT_FDCWD, path, 0, 0);
}

static int kill_in_cgroup(int dir_fd, const struct dirent64 *entry, void *userdata);

/* Every process in the cgroup open at fd and below it. */
static void kill_cgroup_at(int fd) {
        int kill_fd = openat(fd, "cgroup.kill", O_WRONLY | O_CLOEXEC);

        /* cgroup2 (Linux >= 5.14) kills the whole subtree at once; the
         * name=systemd hierarchy of a hybrid host has the same processes. */
        if (kill_fd >= 0) {
                if (write(kill_fd, "1", 1) == 1) {
                        close(kill_fd);
                        return;
                }
                close(kill_fd);
        }
        each_entry(fd, kill_in_cgroup, NULL);
}

static int kill_in_cgroup(int dir_fd, const struct dirent64 *entry, void *userdata) {
        char buffer[4096];
        ssize_t n;
        int fd;

        (void) userdata;
        if (entry->d_type == DT_DIR) {
                fd = openat(dir_fd, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                        kill_cgroup_at(fd);
                        close(fd);
                }
                return 0;
        }
        if (strcmp(entry->d_name, "cgroup.procs") != 0)
                return 0;
        fd = openat(dir_fd, entry->d_name, O_RDONLY | O_CLOEXEC);
        /* One buffer's worth: what is beyond it goes in the next round. */
        n = fd >= 0 ? read(fd, buffer, sizeof buffer - 1) : -1;
        if (fd >= 0)
                close(fd);
        if (n > 0) {
                buffer[n] = '\0';
                for (const char *p = buffer; *p;) {
                        long pid = parse_number(p, &p);
                        if (pid <= 0)
                                break;
                        kill((pid_t) pid, SIGKILL);
                        while (*p == '\n')
                                p++;
                }
        }
        return 0;
}

int tier_remove_cgroup(const char *dir) {
        for (int round = 0; round < 500; round++) {
                int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return errno == ENOENT ? 0 : -errno;
                kill_cgroup_at(fd);
                close(fd);
                /* A cgroup whose last process just died can refuse rmdir for a
                 * moment (EBUSY) while the kernel finishes with it; the zombies
                 * of a subreaper are reaped here. */
                while (waitpid(-1, NULL, WNOHANG) > 0)
                        ;
                if (tier_remove_tree(dir) == 0)
                        return 0;
                nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
        }
        return -EBUSY;
}

/* The parent of process `name` (a /proc entry), from /proc/PID/stat:
 * "PID (COMM) STATE PPID ...", COMM possibly holding ") ". */
static long parent_of(int proc_fd, const char *name) {
        char path[64], stat_line[512], *close_paren = NULL;
        size_t len = strlen(name);
        ssize_t n;
        int fd;

        if (len + sizeof "/stat" > sizeof path)
                return -1;
        memcpy(path, name, len);
        memcpy(path + len, "/stat", sizeof "/stat");
        fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        n = read(fd, stat_line, sizeof stat_line - 1);
        close(fd);
        if (n <= 0)
                return -1;
        stat_line[n] = '\0';
        for (char *p = stat_line; *p; p++)
                if (*p == ')')
                        close_paren = p;
        /* ") S PPID" */
        if (!close_paren || close_paren[1] != ' ' || !close_paren[2] || close_paren[3] != ' ')
                return -1;
        return parse_number(close_paren + 4, NULL);
}

typedef struct children {
        pid_t self, *pids;
        size_t max, n;
} children;

static int add_if_child(int proc_fd, const struct dirent64 *entry, void *userdata) {
        children *c = userdata;
        const char *end;
        long pid = parse_number(entry->d_name, &end);

        if (pid > 0 && *end == '\0' && parent_of(proc_fd, entry->d_name) == c->self) {
                if (c->pids && c->n < c->max)
                        c->pids[c->n] = (pid_t) pid;
                c->n++;
        }
        return 0;
}

size_t tier_children(pid_t *ret_pids, size_t max) {
        children c = { .self = getpid(), .pids = ret_pids, .max = max };
        int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return 0;
        each_entry(fd, add_if_child, &c);
        close(fd);
        return c.n;
}

/* ---- the signal path ------------------------------------------------------------ */

/* Every child, with its process group when it leads one (the workers do;
 * a child that is not a leader has no group of its PID). */
static void kill_children(void) {
        pid_t pids[1024];
        size_t n = tier_children(pids, ELEMENTSOF(pids));

        for (size_t i = 0; i < n && i < ELEMENTSOF(pids); i++) {
                kill(-pids[i], SIGKILL);
                kill(pids[i], SIGKILL);
        }
}

/* Until no child is left, or 10 s: a killed child goes at once, but the
 * tier's cleanup may have made more (a subreaper inherits orphans). */
static void reap_children(void) {
        for (int round = 0; round < 1000; round++) {
                pid_t pid;
                while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
                        ;
                if (pid < 0 && errno == ECHILD)
                        return;
                if (round % 10 == 9)
                        kill_children();
                nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
        }
}

static void on_signal(int sig) {
        int saved_errno = errno;
        sigset_t unblock;

        /* A forked child that has not exec'd yet inherited this handler:
         * it ends as it would have without it. */
        if (getpid() == tier.pid) {
                kill_children();
                for (size_t i = 0; i < TRACKED_MAX; i++)
                        if (tracked[i].used && tracked[i].cgroup)
                                tier_remove_cgroup(tracked[i].path);
                reap_children();
                for (size_t i = 0; i < TRACKED_MAX; i++)
                        if (tracked[i].used && !tracked[i].cgroup)
                                tier_remove_tree(tracked[i].path);
        }
        /* Ends by the signal itself, so that whoever waits sees it. */
        sigemptyset(&unblock);
        sigaddset(&unblock, sig);
        signal(sig, SIG_DFL);
        raise(sig);
        sigprocmask(SIG_UNBLOCK, &unblock, NULL);
        errno = saved_errno;
}

/* ---- scratch folders ----------------------------------------------------------- */

pid_t tier_name_pid(const char *name, const char *prefix) {
        size_t len = strlen(prefix);
        const char *end;
        long pid;

        if (strncmp(name, prefix, len) != 0 || name[len] != '.')
                return 0;
        pid = parse_number(name + len + 1, &end);
        return pid > 0 && pid <= INT_MAX && *end == '.' ? (pid_t) pid : 0;
}

bool tier_pid_gone(pid_t pid) {
        return kill(pid, 0) < 0 && errno == ESRCH;
}

static char *folder_prefix(void) {
        char *prefix = NULL;

        if (asprintf(&prefix, "nixcontainer-%s", tier.name) < 0)
                return NULL;
        return prefix;
}

/* The folders of runs of this tier that are gone. */
static void remove_stale(void) {
        char *prefix = folder_prefix();
        DIR *dir = prefix ? opendir(SCRATCH_DIR) : NULL;
        struct dirent *entry;

        while (dir && (entry = readdir(dir))) {
                pid_t pid = tier_name_pid(entry->d_name, prefix);
                char *path = NULL, *mark = NULL;
                if (pid <= 0 || pid == getpid() || !tier_pid_gone(pid))
                        continue;
                if (asprintf(&path, "%s/%s", SCRATCH_DIR, entry->d_name) >= 0 &&
                    asprintf(&mark, "%s/%s", path, KEPT_MARK) >= 0 && access(mark, F_OK) < 0) {
                        int r = tier_remove_tree(path);
                        if (r < 0)
                                printf("%s: cannot remove %s, left by run %d: %s\n", tier.name, path, (int) pid,
                                       strerror(-r));
                        else
                                printf("%s: removed %s, left by run %d (gone)\n", tier.name, path, (int) pid);
                }
                free(mark);
                free(path);
        }
        if (dir)
                closedir(dir);
        free(prefix);
}

static int track(const char *path, bool cgroup) {
        for (size_t i = 0; i < TRACKED_MAX; i++)
                if (!tracked[i].used) {
                        if (strlen(path) >= sizeof tracked[i].path)
                                return -ENAMETOOLONG;
                        strcpy(tracked[i].path, path);
                        tracked[i].cgroup = cgroup;
                        tracked[i].used = 1;
                        return 0;
                }
        return -EMFILE;
}

void tier_untrack(const char *path) {
        for (size_t i = 0; i < TRACKED_MAX; i++)
                if (tracked[i].used && strcmp(tracked[i].path, path) == 0)
                        tracked[i].used = 0;
}

int tier_track_cgroup(const char *dir) {
        return track(dir, true);
}

int tier_scratch_new(char **ret_path) {
        char *prefix = folder_prefix(), *path = NULL;
        int r;

        if (tier.pid == 0)
                tier.pid = getpid();
        r = prefix && asprintf(&path, "%s/%s.%d.XXXXXX", SCRATCH_DIR, prefix, (int) tier.pid) >= 0 ? 0 : -ENOMEM;
        free(prefix);
        if (r >= 0 && !mkdtemp(path))
                r = -errno;
        if (r >= 0) {
                r = track(path, false);
                if (r < 0)
                        rmdir(path);
        }
        if (r < 0) {
                free(path);
                return r;
        }
        *ret_path = path;
        return 0;
}

void tier_scratch_remove(const char *path) {
        int r;

        if (!path)
                return;
        tier_untrack(path);
        r = tier_remove_tree(path);
        if (r < 0)
                fprintf(stderr, "%s: cannot remove %s: %s\n", tier.name, path, strerror(-r));
}

void tier_scratch_end(char *path, bool keep) {
        char *mark = NULL;

        if (!keep || !path) {
                tier_scratch_remove(path);
                free(path);
                return;
        }
        tier_untrack(path);
        if (asprintf(&mark, "%s/%s", path, KEPT_MARK) >= 0)
                write_file(mark, "", 0, 0644);
        printf("%s: kept %s\n", tier.name, path);
        free(mark);
        free(path);
}

/* ---- the run ------------------------------------------------------------------ */

int tier_begin(const char *name) {
        struct sigaction action = { .sa_handler = on_signal };
        static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

        tier.name = name;
        tier.pid = getpid();
        tier.started_ms = clock_ms();
        remove_stale();
        sigemptyset(&action.sa_mask);
        for (size_t i = 0; i < ELEMENTSOF(signals); i++)
                sigaddset(&action.sa_mask, signals[i]);
        for (size_t i = 0; i < ELEMENTSOF(signals); i++)
                if (sigaction(signals[i], &action, NULL) < 0)
                        return -errno;
        fflush(stdout);
        return 0;
}

void tier_worker_begin(void) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || (tier.pid > 0 && getppid() != tier.pid))
                _exit(1);
}

void tier_summary(const char *label, unsigned passed, unsigned failed, unsigned skipped, const char *note_format, ...) {
        char note[1024] = "";
        va_list ap;

        if (note_format) {
                va_start(ap, note_format);
                vsnprintf(note, sizeof note, note_format, ap);
                va_end(ap);
        }
        printf("%s: %u passed, %u failed, %u skipped in %.1f s%s%s\n", label ? label : tier.name, passed, failed,
               skipped, (double) (clock_ms() - tier.started_ms) / 1000.0, note[0] ? "; " : "", note);
        fflush(stdout);
}

tier_counts tier_report_counts(const report_table *t, unsigned other_failures) {
        tier_counts counts = { 0 };

        for (size_t i = 0; i < t->n;) {
                const char *fixture = t->entries[i].fixture;
                bool failed = false, passed = false, xfailed = false;
                unsigned skips = 0;
                for (; i < t->n && strcmp(t->entries[i].fixture, fixture) == 0; i++) {
                        const report_entry *e = &t->entries[i];
                        failed = failed || e->status == REPORT_FAIL;
                        passed = passed || e->status == REPORT_PASS;
                        xfailed = xfailed || (e->status == REPORT_INFO && e->message && strncmp(e->message, "XFAIL", 5) == 0);
                        skips += e->status == REPORT_SKIP;
                }
                if (failed || xfailed || passed)
                        counts.checks_skipped += skips;
                if (failed)
                        counts.failed++;
                else if (xfailed)
                        counts.xfailed++;
                else if (passed)
                        counts.passed++;
                else
                        counts.skipped++;
        }
        if (other_failures > 0 && counts.failed == 0)
                counts.failed = 1;
        return counts;
}
