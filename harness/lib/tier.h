/* What every tier does around its checks: scratch folders that are always
 * removed, workers that never outlive it, and one closing line.
 *
 * A tier's scratch folders are /tmp/nixcontainer-TIER.PID.XXXXXX, PID being
 * the tier's own process. Once tier_begin() has run:
 *   - SIGINT, SIGTERM and SIGHUP end the tier cleanly: its child processes
 *     are killed with their process groups, the cgroups it tracks are
 *     killed and removed (the live tier's), the children are reaped, its
 *     scratch folders are removed, and the tier then ends by that same
 *     signal (a shell sees status 128+N);
 *   - a worker that calls tier_worker_begin() dies with the tier, even when
 *     the tier is killed with SIGKILL;
 *   - what a SIGKILL leaves on disk, the next run of the same tier removes:
 *     tier_begin() removes the scratch folders whose PID names no process
 *     (kill(PID, 0) fails with ESRCH); never those of a run that is still
 *     going, nor one kept with tier_scratch_end().
 *
 * The closing line of a tier, the last line it prints, always has the form
 *   TIER: P passed, F failed, S skipped in T s[; NOTE]
 * so that a skip is never shown as a bare pass (`make check` shows these
 * lines together at the end). */
#ifndef HARNESS_TIER_H
#define HARNESS_TIER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "report.h"

/* Starts the tier's clock, removes what dead runs of the tier left in /tmp
 * (saying so), and installs the signal handling above. `name` is one word
 * ("netns", "live") and must stay valid. Returns 0, or -errno when the
 * signal handlers cannot be installed. */
int tier_begin(const char *name);

/* In a worker forked by the tier: from here on the worker dies with the
 * tier (PR_SET_PDEATHSIG), and at once if the tier is already gone. */
void tier_worker_begin(void);

/* A new scratch folder, removed by tier_scratch_remove() or on a signal;
 * without tier_begin() (the bench), named after "harness". *ret_path is
 * the caller's to free(). Returns 0, or -errno. */
int tier_scratch_new(char **ret_path);
/* Removes a scratch folder and everything below it. Accepts NULL. */
void tier_scratch_remove(const char *path);
/* Ends the tier's scratch folder: with `keep` (--keep) leaves it in place
 * for the user, saying where (not removed on a signal, and later runs of
 * the tier leave it alone too); else removes it. Frees `path`; accepts
 * NULL. */
void tier_scratch_end(char *path, bool keep);

/* A cgroup the tier made, to kill and remove on a signal
 * (tier_remove_cgroup); at most a few at once. Returns 0 or -errno. */
int tier_track_cgroup(const char *dir);
/* Forgets a cgroup (or scratch folder) the tier removes itself. */
void tier_untrack(const char *path);

/* rm -rf PATH without crossing into another file system, with system calls
 * only (async-signal-safe). What cannot be unlinked (a cgroup's control
 * files) is left for the rmdir of its directory. Returns 0 once PATH is
 * gone, or -errno. */
int tier_remove_tree(const char *path);
/* Kills every process in the cgroup DIR and below it (cgroup.kill, else
 * each PID in cgroup.procs), reaps what were this process's children, and
 * removes DIR with its subdirectories once they are empty, trying for 5 s.
 * Async-signal-safe. Returns 0 once DIR is gone, or -EBUSY. */
int tier_remove_cgroup(const char *dir);

/* The PIDs of this process's children (including processes reparented to
 * it as a subreaper), from /proc, into ret_pids (at most `max`; NULL to
 * count only). Async-signal-safe. Returns how many there are. */
size_t tier_children(pid_t *ret_pids, size_t max);

/* The PID in a name "PREFIX.PID.REST" (a scratch folder, a live cgroup),
 * or 0 when `name` is not such a name. */
pid_t tier_name_pid(const char *name, const char *prefix);
/* Whether `pid` names no process: kill(pid, 0) fails with ESRCH. */
bool tier_pid_gone(pid_t pid);

/* Prints the closing line; `label` is the tier's name when NULL ("netns
 * (ref)" says which run of the tier). The time is since tier_begin(). */
void tier_summary(const char *label, unsigned passed, unsigned failed, unsigned skipped, const char *note_format, ...)
        __attribute__((format(printf, 5, 6)));

/* A report counted by fixture, as report_print_titled() shows it: failed
 * when a check failed, expected to fail when a failure was turned into an
 * "XFAIL" note, passed when a check passed, skipped when none ran. A
 * failure that only the test framework saw (`other_failures`) counts as
 * one failed when the report has none. */
typedef struct tier_counts {
        unsigned passed, failed, skipped, xfailed;
        unsigned checks_skipped; /* skipped checks in fixtures that are not skipped as a whole */
} tier_counts;

tier_counts tier_report_counts(const report_table *t, unsigned other_failures);

#endif
