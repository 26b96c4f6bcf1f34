/* make bench: the ref against the module's own scripts and against nix,
 * measured side by side. Each row runs its variants in alternating rounds
 * (A B C A B C ...) and keeps every round's value; the table shows medians
 * over the rounds and the median of the per-round ratios. */
#ifndef NC_BENCH_H
#define NC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "nixcontainer.h"
#include "text.h" /* harness/lib: text, files, the monotonic clock */

/* ---- what the run was asked to do ---------------------------------------- */

typedef struct bench_options {
        unsigned rounds;        /* rounds of rows 1-4 (at least 15) */
        unsigned suite_rounds;  /* rounds of row 5 */
        unsigned nix_rounds;    /* rounds of the nix side of row 3 at full size */
        unsigned scale_samples; /* row 2: containers the original restarts per round and N */
        unsigned scale_max;     /* the largest N of row 2 */
        unsigned render_count;  /* containers of row 3 */
        const char *build;      /* build/: nixcontainer, test-netns, test-conformance */
        const char *work;       /* build/bench: generated files */
        const char *bench_dir;  /* bench/: fixtures, golden, render.nix */
        const char *nixpkgs_lib;
        const char *module;
        const char *releases;   /* harness/golden/releases: each release's module and lib */
        const char *lib_cache;  /* .cache/nixpkgs-lib: COMMIT/lib, as harness/golden/fetch-lib.sh puts them */
        const char *out;        /* bench/RESULTS.md */
        unsigned rows;          /* bit i: row i+1 */
        bool verbose;
} bench_options;

/* ---- releases (rows 1 and 3) ---------------------------------------------- */

/* Every release the library follows (nc_release_name()), oldest first, at
 * the host stateVersion that changes what it does: its own where its module
 * reads one (harness/golden/releases' last column), else 21.05. The first
 * is 21.05, the seed, which the others are measured against. */
typedef struct bench_release {
        char *name;          /* "25.11" */
        char *state_version; /* "25.11"; "21.05" for a module that reads none */
        char *set;           /* "25.11@25.11", or "21.05": RELEASE[@STATEVERSION] as golden/ names sets */
        char *module;        /* its module; 21.05: --module */
        char *lib;           /* a nixpkgs lib/ of its time: LIB_CACHE/COMMIT/lib; 21.05: --nixpkgs-lib */
        char *golden;        /* the module's own output for bench/fixtures: bench/golden (21.05) or bench/golden/SET */
} bench_release;

typedef struct bench_releases {
        bench_release *items;
        size_t n;
} bench_releases;

/* The slowdown a later release may show against 21.05 (issue 12): 10%. */
#define BENCH_RELEASE_BAR 1.10

int bench_releases_load(const bench_options *o, bench_releases *ret, char **ret_error);
void bench_releases_free(bench_releases *list);

/* ---- time and statistics ----------------------------------------------- */

/* The wall clock is harness/lib's clock_us() (CLOCK_MONOTONIC).
 * CLOCK_THREAD_CPUTIME_ID: this thread's CPU time, user and system. */
double bench_cpu_us(void);

typedef struct bench_samples {
        double *v;
        size_t n, capacity;
} bench_samples;

int samples_add(bench_samples *s, double value);
double samples_median(const bench_samples *s); /* NaN when empty */
double samples_min(const bench_samples *s);
double samples_max(const bench_samples *s);
void samples_free(bench_samples *s);
/* The per-round ratios a[i] / b[i], then their median. */
double samples_ratio_median(const bench_samples *a, const bench_samples *b);

/* "31.2 ms", "412 µs", "2.41 s" */
void format_us(double us, char *buf, size_t size);

/* ---- the table ----------------------------------------------------------- */

typedef enum verdict { VERDICT_NONE, VERDICT_MET, VERDICT_MISSED, VERDICT_SKIPPED } verdict;

typedef struct bench_line {
        char *row;     /* "1 setup" */
        char *what;    /* "CLI (nixcontainer init-setup + host-setup)" */
        char *median;  /* "1.83 ms" */
        char *ratio;   /* "17.4× faster than the scripts" */
        char *target;  /* "≥ 15× faster than the scripts" */
        verdict verdict;
} bench_line;

typedef struct bench_table {
        bench_line *lines;
        size_t n, capacity;
        nc_strv notes;  /* how each row was measured: a paragraph each, markdown */
        nc_strv missed; /* what bounds each missed target: the same */
} bench_table;

int table_add(bench_table *t, const char *row, const char *what, const char *median, const char *ratio,
              const char *target, verdict v);
/* Adds a paragraph to `section` (&table->notes or &table->missed). */
int table_note(nc_strv *section, const char *format, ...) __attribute__((format(printf, 2, 3)));
void table_print(const bench_table *t, FILE *out);
void table_free(bench_table *t);
const char *verdict_text(verdict v);

/* ---- child processes ------------------------------------------------------ */

/* Makes WORK/NAME (it may exist); *ret_dir is its path. */
int bench_work_dir(const bench_options *o, const char *name, char **ret_dir);

/* Runs fn in a worker of harness/lib's pool (a forked process in its own
 * process group, which dies with the bench), in WORK/NAME/: it hands back
 * `n` doubles through WORK/NAME/values; what it printed (worker.log) is
 * copied to stderr when it ends. A worker that dies, times out or returns
 * < 0 fails the call (-EIO; -EPROTO without its values). The worker's
 * namespaces die with it. */
typedef int (*child_fn)(void *userdata, double *ret_values, size_t n);
int run_in_child(const bench_options *o, const char *name, child_fn fn, void *userdata, double *ret_values,
                 size_t n);

/* Runs one of the original's scripts, `argv` (harness/lib's
 * run_command_netns: in the namespace `netns_fd`, -1 for this one, with
 * exactly `envp`); an exit status other than 0 fails the call (-EIO) and
 * prints "bench: WHAT exited N:" and the script's stderr. */
int run_script(char *const *argv, char *const *envp, int netns_fd, const char *what);

/* Runs a program (found in PATH) to completion, stdout and stderr to `log`
 * (appended; NULL: /dev/null), the environment as given. Returns its exit
 * status (or 128+signal), or -errno when it cannot be started, and, when
 * asked, its wall time, the CPU time of it and its children (user+system)
 * and their minor page faults. */
int run_program(char *const *argv, char *const *envp, const char *log, double *ret_wall_us, double *ret_cpu_us,
                long *ret_minflt);

/* ---- text ------------------------------------------------------------------ */

typedef struct subst_pair {
        const char *from;
        char *to;
} subst_pair;

/* Every occurrence of any `from`, scanning left to right, replaced by its
 * `to` (one pass; a replacement is not scanned again). */
char *subst_text(const char *in, const subst_pair *pairs, size_t n);

/* The largest file the bench reads (goldens, its recording, suite.log). */
#define BENCH_FILE_MAX (64u << 20)

/* ---- the bench's containers (bench/fixtures/bench-one.json) -------------- */

/* Container i of the bench's scheme is b0000 with its name and addresses
 * replaced: bNNNN, extra veth xNNNN, 10.(100+i/250).(i%250).{1,2},
 * 10.(110+i/250).(i%250).{1,2}, fd00:b:I::{1,2}, fd00:c:I::{1,2}
 * (I in hex). bench/golden/bench-substitution/ holds what the module
 * renders for b0001 and b0999; bench_scheme_load() checks the
 * replacement against it. */
#define BENCH_SCHEME_MAX 1000

/* The module's files for a container: its scripts and its env file. */
typedef enum scheme_file { SCHEME_INIT, SCHEME_POSTSTART, SCHEME_PRESTART, SCHEME_CONF, SCHEME_FILES } scheme_file;
extern const char *const scheme_file_suffix[SCHEME_FILES]; /* "init", "poststart", "prestart", "conf" */

typedef struct bench_scheme {
        char *container_json; /* b0000's definition */
        char *files[SCHEME_FILES]; /* b0000's */
        nc_strv setenv;       /* the --setenv pairs of b0000's argv */
        char *fixture_dir;    /* bench/golden/bench-one */
} bench_scheme;

int bench_scheme_load(const bench_options *o, bench_scheme *ret, char **ret_error);
void bench_scheme_free(bench_scheme *s);
/* {"b0000": {...}, ..., "bN-1": {...}} */
char *bench_scheme_config(const bench_scheme *s, unsigned n);
/* Container i's environment as nspawn's --setenv gives it, INSTANCE and
 * PATH (stub_dir first when given): NULL-terminated. */
int bench_scheme_envp(const bench_scheme *s, unsigned i, const char *stub_dir, nc_strv *ret);
/* The same from `setenv`, the --setenv pairs of another golden argv of
 * b0000 (bench_golden_setenv()). */
int bench_setenv_envp(const nc_strv *setenv, unsigned i, const char *stub_dir, nc_strv *ret);
/* The --setenv pairs of DIR/NAME.argv, PATH left out (the harness runs
 * this machine's tools). */
int bench_golden_setenv(const char *dir, const char *name, nc_strv *ret);

/* The scheme (bench_scheme_load) and its containers [0, n), loaded as the
 * library loads them: the config (strict mode; *ret_error says why not),
 * and each container's definition and environment (bench_scheme_envp(),
 * also as an nc_env). */
typedef struct bench_containers {
        bench_scheme scheme;
        nc_config *config;
        unsigned n;
        const nc_container **containers;
        nc_env **envs;
        nc_strv *envps;
} bench_containers;

int bench_containers_load(const bench_options *o, unsigned n, const char *stub_dir, bench_containers *ret,
                          char **ret_error);
void bench_containers_free(bench_containers *set);

/* One of the scheme's files for containers [0, n), each with its name and
 * addresses, written to DIR/bNNNN.SUFFIX; *ret_paths holds the n paths
 * (bench_paths_free). */
int bench_scheme_write_scripts(const bench_scheme *s, scheme_file script, unsigned n, const char *dir,
                               char ***ret_paths);
void bench_paths_free(char **paths, unsigned n);

/* A stub directory with `machinectl` (a link to `true`) for preStart. */
int bench_stub_dir(const bench_options *o, char **ret_dir);

/* ---- raw route netlink (bench/nl-raw.c: setup, baselines; not the ref's code) */

/* A NETLINK_ROUTE socket in the calling thread's network namespace, with
 * the ref's options; returns the descriptor or -errno. */
int rawnl_socket_open(void);
/* Sends one request and reads until its ACK; returns the kernel's error
 * (0 or -errno). */
int rawnl_transact(int fd, const void *request, size_t len);
/* A veth pair: `name` here, `peer` in the namespace `peer_netns_fd`. */
int rawnl_veth_add(int fd, const char *name, const char *peer, int peer_netns_fd);
/* RTM_GETLINK by name, as the library looks a link up; returns its
 * ifindex, or -errno (-ENODEV: no such link). */
int rawnl_link_index(int fd, const char *name);
/* RTM_NEWLINK with IFLA_GROUP, and RTM_DELLINK, of the link `ifindex` when
 * > 0, else of the link named `name`. */
int rawnl_link_set_group(int fd, int ifindex, const char *name, uint32_t group);
int rawnl_link_delete(int fd, int ifindex, const char *name);
/* RTM_DELLINK of every link in `group` at once. */
int rawnl_group_delete(int fd, uint32_t group);
/* RTM_GETLINK of lo by index, as small as a request gets. */
int rawnl_getlink_lo(int fd);
/* How many links the namespace has (a dump). */
int rawnl_count_links(int fd);

/* ---- the ref's netlink requests, as the bench sees them ------------------- */

/* bench/trace.c wraps libnl's nl_send_auto and nl_recvmsgs (-Wl,--wrap):
 * every request the library sends is counted; while tracing, each is kept
 * with its bytes and its round trip (send to the last receive before the
 * next send), and so is each request of bench/nl-raw.c (not counted). */
typedef struct trace_request {
        void *bytes;
        size_t len;
        uint16_t type, flags;
        double sent_us, done_us;   /* CLOCK_MONOTONIC */
        double cpu_sent_us, cpu_done_us; /* CLOCK_THREAD_CPUTIME_ID: the kernel's work, not waiting */
        int phase; /* set by the caller: which namespace it was sent in */
} trace_request;

extern unsigned long trace_sent;   /* requests sent, always counted */
extern unsigned long trace_dumps;  /* of which NLM_F_DUMP */
void trace_start(bool keep_bytes);
void trace_set_phase(int phase);
void trace_stop(trace_request **ret_requests, size_t *ret_n);
void trace_free(trace_request *requests, size_t n);
/* For bench/nl-raw.c: whether a trace is on; a request it sent (at
 * `sent_us`, `cpu_us`: CLOCK_MONOTONIC and CLOCK_THREAD_CPUTIME_ID before
 * the send), and the end of its answer. */
bool trace_active(void);
struct nlmsghdr;
void trace_raw_sent(const struct nlmsghdr *hdr, double sent_us, double cpu_us);
void trace_raw_answered(void);

/* ---- the rows -------------------------------------------------------------- */

int row_setup(const bench_options *o, bench_table *t);
int row_scale(const bench_options *o, bench_table *t);
int row_render(const bench_options *o, bench_table *t);
int row_teardown(const bench_options *o, bench_table *t);
int row_suite(const bench_options *o, bench_table *t);
/* `nixcontainer-bench --once render FILE [RELEASE STATEVERSION]`: one
 * pass of row 3's ref, for callgrind to count. */
int bench_render_once(const char *what, const char *path, const char *release, const char *state_version);

/* Shared by rows 1, 2 and 4: one host namespace and up to `n` container
 * namespaces, held by file descriptors in the calling process, and a raw
 * route socket on the host (bench/nl-raw.c). */
typedef struct bench_netns_pool {
        int host_fd;
        int *fds;
        unsigned n;
        int rtnl;
} bench_netns_pool;

/* Moves the caller into a new prepared host namespace and makes `n`
 * prepared container namespaces (harness/lib/netns.h's preparation). */
int netns_pool_make(bench_netns_pool *ret, unsigned n, char **ret_error);
void netns_pool_free(bench_netns_pool *p);
/* What nspawn does for container i of the scheme: ve-bNNNN / host0 and
 * xNNNN / xNNNN veth pairs, the peers in the container's namespace. */
int netns_pool_add_veths(const bench_netns_pool *p, unsigned i);
/* Deletes every ve-b* and x* link of containers [0, n) in one request. */
int netns_pool_clear(const bench_netns_pool *p, unsigned n);
/* Deletes container i's two veths (the peers go with them). */
int netns_pool_remove_veths(const bench_netns_pool *p, unsigned i);

/* The two sides of a start as the library does them: container-init's
 * network part (nc_init_setup) in the container's namespace, then postStart
 * (nc_host_setup) on the host. */
typedef int (*bench_setup_fn)(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                              nc_error *error);
extern bench_setup_fn const bench_setup_sides[2];
/* Container i's start: both sides, each in its namespace, the library
 * opening its own sockets; adds their wall and CPU time (setns not
 * included) to *wall_us and *cpu_us when given. Ends on the host. */
int netns_pool_setup(const bench_netns_pool *p, unsigned i, const nc_container *container, const nc_env *env,
                     double *wall_us, double *cpu_us, nc_error *error);

/* Waits while the kernel destroys the network namespaces made since the
 * first call (which sets *baseline): until they are gone, or no more go for
 * 2 s (others may hold namespaces), at most 2 minutes. Returns how long it
 * waited, in microseconds. */
double netns_settle(long *baseline);

#endif
