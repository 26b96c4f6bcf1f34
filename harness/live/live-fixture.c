/* One fixture, one implementation, real systemd-nspawn: see live.h.
 *
 * The unit's order is kept for each container in name order: preStart on
 * the host; ExecStart (the ref's argv, or the module's start script that
 * execs nspawn); once READY=1 arrives, postStart on the host. Then both
 * sides are dumped as the namespace tier dumps them, the containers are
 * stopped as a unit stop does (SIGTERM to nspawn, which sends SIGRTMIN+3 to
 * the container's PID 1), and preStart runs again on what is left. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "array.h"
#include "net-file.h"
#include "netns.h"
#include "prestate.h"
#include "strv.h"
#include "text.h"
#include "unit.h"

#define SETTLE_TIMEOUT_MS 5000

const char *live_impl_name(live_impl impl) {
        return impl == LIVE_REF ? "ref" : "original";
}

/* ---- the golden argv -------------------------------------------------------- */

/* The unit's argv and nspawn options; the argv ends with the init and the
 * stage 2 (prepare_container() places them). */
static int read_golden_argv(const fixture *f, live_unit *c) {
        int r = nspawn_network_read_golden(f, c->name, &c->golden_argv, &c->network);

        if (r >= 0 && c->golden_argv.n < 3) {
                fprintf(stderr, "%s: %s.argv: no init and stage 2 at its end\n", f->id, c->name);
                r = -EINVAL;
        }
        return r;
}

/* ---- the container's files -------------------------------------------------- */

/* The stage 2 the container-init sources: it records the container's
 * network, reports READY as a NixOS stage 2's systemd does, and waits to be
 * stopped (the container-init's trap ends it on SIGRTMIN+3: `wait` returns
 * at once on a trapped signal, unlike a foreground sleep). */
static const char stage2_script[] =
        "# Stage 2 of the live tier, sourced by the container-init under its SIGRTMIN+3 trap.\n"
        "PATH=/usr/bin:/usr/sbin\n"
        "{ echo '# links'; ip -d link show; echo '# addresses'; ip addr show; echo '# routes';\n"
        "  ip -4 route show table all; ip -6 route show table all; } > /nix/var/nix/profiles/live-stage2.txt 2>&1\n"
        LIVE_STORE_NOTIFY " READY=1\n"
        "sleep infinity &\n"
        "wait\n";

/* Where the container's path to its stage 2 (the argv's last word) is on
 * the host: the store is shared; /nix/var/nix/profiles is the host's
 * per-container directory (--bind=...per-container/$INSTANCE:/nix/var/nix/profiles). */
static char *host_path_of(const char *inside, const char *name) {
        char *path = NULL;

        if (strncmp(inside, "/nix/store/", 11) == 0)
                return strdup(inside);
        if (strncmp(inside, "/nix/var/nix/profiles/", 22) == 0 &&
            asprintf(&path, "/nix/var/nix/profiles/per-container/%s/%s", name, inside + 22) >= 0)
                return path;
        return NULL;
}

/* The directories above `path`. */
static int write_in_dir(const char *path, const char *content, mode_t mode) {
        int r = mkdir_parents(path, 0755);
        return r < 0 ? r : write_file_string(path, content, mode);
}

static int copy_in_dir(const char *from, const char *to, mode_t mode) {
        int r = mkdir_parents(to, 0755);
        return r < 0 ? r : live_copy_file(from, to, mode);
}

/* The start script's own preparation, which the ref (an argv, no script)
 * leaves to whoever starts it: here the harness does it.
 *   mkdir -p -m 0755 "$root/etc" "$root/var/lib"
 *   mkdir -p -m 0700 "$root/var/lib/private" "$root/root" /run/containers
 *   mkdir -p -m 0755 "/nix/var/nix/profiles/per-container/$INSTANCE" "/nix/var/nix/gcroots/per-container/$INSTANCE"
 *   cp --remove-destination /etc/resolv.conf "$root/etc/resolv.conf" */
static int ref_start_preparation(const live_unit *c) {
        const char *root = unit_var(c, "root");
        char *paths[5] = { 0 };
        int r = 0;

        if (asprintf(&paths[0], "%s/var/lib/private", root) < 0 || asprintf(&paths[1], "%s/root", root) < 0 ||
            asprintf(&paths[2], "/nix/var/nix/profiles/per-container/%s", c->name) < 0 ||
            asprintf(&paths[3], "/nix/var/nix/gcroots/per-container/%s", c->name) < 0 ||
            asprintf(&paths[4], "%s/etc/resolv.conf", root) < 0)
                r = -ENOMEM;
        for (size_t i = 0; r >= 0 && i < 4; i++)
                r = mkdir_p(paths[i], i < 2 ? 0700 : 0755);
        if (r >= 0)
                r = mkdir_p("/run/containers", 0700);
        if (r >= 0 && access("/etc/resolv.conf", R_OK) == 0) {
                unlink(paths[4]);
                r = live_copy_file("/etc/resolv.conf", paths[4], 0644);
        }
        for (size_t i = 0; i < 5; i++)
                free(paths[i]);
        return r;
}

/* The ref's nixcontainer-init reads the container's static config (its
 * extraVeths) from /nix/var/nix/profiles/nixcontainer.json inside. */
static int write_init_config(const fixture *f, const live_unit *c) {
        json_t *all = json_loads(f->containers_json, 0, NULL), *one, *mine;
        char *path = NULL;
        int r = 0;

        if (!all)
                return -EINVAL;
        one = json_object_get(all, c->name);
        if (one) { /* an imperative container has no entry: the template */
                mine = json_object();
                if (!mine || json_object_set(mine, c->name, one) < 0 ||
                    asprintf(&path, "/nix/var/nix/profiles/per-container/%s/nixcontainer.json", c->name) < 0 ||
                    json_dump_file(mine, path, JSON_SORT_KEYS) < 0)
                        r = -EIO;
                json_decref(mine);
        }
        json_decref(all);
        free(path);
        return r;
}

static int prepare_container(const fixture *f, live_impl impl, const nc_strv *tree_files, live_unit *c) {
        const char *inside_stage2 = c->golden_argv.items[c->golden_argv.n - 1];
        const char *root = unit_var(c, "root");
        char *system = NULL, *error = NULL;
        int r;

        if (!root[0]) {
                fprintf(stderr, "%s: %s: no root= in the unit's environment\n", f->id, c->name);
                return -EINVAL;
        }
        r = live_os_tree(root, tree_files, &error);
        if (r < 0) {
                fprintf(stderr, "%s: %s: OS tree: %s\n", f->id, c->name, error ? error : strerror(-r));
                free(error);
                return r;
        }
        c->stage2 = host_path_of(inside_stage2, c->name);
        if (!c->stage2) {
                fprintf(stderr, "%s: %s: cannot place the stage 2 %s on the host\n", f->id, c->name, inside_stage2);
                return -EINVAL;
        }
        r = write_in_dir(c->stage2, stage2_script, 0555);
        /* ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system,
         * beside the stage 2: the start script and `nixcontainer argv` read it. */
        if (r >= 0) {
                char *slash = strrchr(c->stage2, '/');
                if (asprintf(&system, "%.*s/system", (int) (slash - c->stage2), c->stage2) < 0)
                        r = -ENOMEM;
                else {
                        char *content = NULL;
                        if (asprintf(&content, "%s\n", fixture_guest_system(f, c->name)) < 0)
                                r = -ENOMEM;
                        else
                                r = write_file_string(system, content, 0444);
                        free(content);
                }
                free(system);
        }
        if (r >= 0 && impl == LIVE_ORIGINAL) {
                /* The module's container-init, at the store path its start script names. */
                char *init = live_golden_path(f, c->name, "init");
                r = init ? copy_in_dir(init, c->golden_argv.items[c->golden_argv.n - 2], 0555) : -ENOMEM;
                free(init);
        }
        if (r >= 0 && impl == LIVE_REF) {
                r = ref_start_preparation(c);
                if (r >= 0)
                        r = write_init_config(f, c);
        }
        if (r >= 0)
                r = live_provide_binds(&c->golden_argv, root);
        if (r >= 0)
                r = live_notify_open(c->notify_path, &c->notify_fd);
        if (r < 0)
                fprintf(stderr, "%s: %s: preparing the container: %s\n", f->id, c->name, strerror(-r));
        return r;
}

/* ---- the dump --------------------------------------------------------------- */

/* IPv6 link-local addresses and their routes, which the kernel adds in the
 * container's namespace: nspawn creates it with the kernel's defaults
 * (addr_gen_mode eui64), where the namespace tier prepares its own with
 * addr_gen_mode none. Neither implementation adds them. */
static bool link_local(const char *line) {
        char family[16] = "", a[64] = "", b[64] = "", c[256] = "";

        if (strncmp(line, "addr ", 5) == 0)
                return sscanf(line, "addr %63s %15s %255s", a, family, c) == 3 && strcmp(family, "inet6") == 0 &&
                       strncmp(c, "fe80:", 5) == 0;
        if (strncmp(line, "route inet6 ", 12) == 0)
                return sscanf(line, "route inet6 %63s %63s %255s", a, b, c) == 3 && strncmp(c, "fe80:", 5) == 0;
        return false;
}

static bool not_link_local(const char *line, size_t len) {
        char *copy = strndup(line, len);
        bool keep = copy && !link_local(copy);

        free(copy);
        return keep;
}

static int dump_all(const fixture *f, live_unit *runs, size_t n, const char *outdir) {
        net_file_container *containers = calloc(n + 1, sizeof *containers);
        bool settled = false;
        int r;

        if (!containers)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                containers[i] = (net_file_container) { .name = runs[i].name, .netns_fd = runs[i].netns_fd,
                                                       .steps = &runs[i].steps };
        r = net_files_write(f->id, outdir, containers, n, not_link_local, &settled);
        for (size_t i = 0; r >= 0 && !settled && i < n; i++)
                r = nc_strv_push(&runs[i].results, "dump: did not settle");
        free(containers);
        return r;
}

/* ---- links before and after ------------------------------------------------- */

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The names of the links in this process's namespace, sorted. */
static int link_names(nc_strv *ret) {
        char *out = NULL, *error = NULL;
        json_t *links, *link;
        size_t i;
        int r = netns_ip_output(-1, &out, &error, "-j link show");

        if (r < 0) {
                fprintf(stderr, "%s\n", error ? error : strerror(-r));
                free(error);
                return r;
        }
        links = json_loads(out, 0, NULL);
        free(out);
        if (!json_is_array(links)) {
                json_decref(links);
                return -EIO;
        }
        json_array_foreach(links, i, link) {
                const char *name = json_string_value(json_object_get(link, "ifname"));
                if (name && r >= 0)
                        r = nc_strv_push(ret, name);
        }
        json_decref(links);
        if (r >= 0 && ret->n)
                qsort(ret->items, ret->n, sizeof(char *), compare_strings);
        return r;
}

/* "" when the host has the links it had before the first start; otherwise
 * "+NAME" for each link left and "-NAME" for each gone. */
static char *links_changed(const nc_strv *before) {
        nc_strv now = { 0 };
        char *changed;

        if (link_names(&now) < 0) {
                nc_strv_clear(&now);
                return strdup("(cannot list links)");
        }
        changed = live_machine_difference(before, &now, NULL);
        nc_strv_clear(&now);
        return changed ? changed : strdup("");
}

/* ---- the run ---------------------------------------------------------------- */

static int prepare_run(const fixture *f, live_impl impl, const live_tools *tools, live_unit *runs, size_t n,
                       nc_strv *ret_links_before) {
        nspawn_network *networks = calloc(n ? n : 1, sizeof *networks);
        nc_strv tree_files = { 0 };
        char *error = NULL;
        int r = networks ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < n; i++)
                networks[i] = runs[i].network; /* shallow */
        if (r >= 0) {
                r = netns_unshare_prepared(&error);
                if (r < 0)
                        fprintf(stderr, "%s: host namespace: %s\n", f->id, error ? error : strerror(-r));
        }
        if (r >= 0)
                r = live_private_mounts();
        if (r >= 0) {
                r = prestate_apply(f, networks, n, &error);
                if (r < 0)
                        fprintf(stderr, "%s: pre-state: %s\n", f->id, error ? error : strerror(-r));
        }
        if (r >= 0)
                r = link_names(ret_links_before);
        for (size_t i = 0; r >= 0 && i < 6; i++) {
                static const char *const dirs[] = { "/run/live", "/nix/store", "/nix/var/nix/db",
                                                    "/nix/var/nix/daemon-socket", "/nix/var/nix/profiles/per-container",
                                                    "/nix/var/nix/gcroots/per-container" };
                r = mkdir_p(dirs[i], 0755);
        }
        for (size_t i = 0; r >= 0 && i < n; i++) {
                free(error);
                error = NULL;
                r = live_store_packages(unit_var(&runs[i], "PATH"), runs[i].golden_argv.items[0], tools->nspawn, &error);
                if (r < 0)
                        fprintf(stderr, "%s: store: %s\n", f->id, error ? error : strerror(-r));
        }
        if (r >= 0)
                r = copy_in_dir(tools->notify, LIVE_STORE_NOTIFY, 0555);
        if (r >= 0 && impl == LIVE_REF)
                r = copy_in_dir(tools->init, LIVE_STORE_INIT, 0555);
        if (r >= 0) {
                free(error);
                error = NULL;
                /* The same tree for both: the programs, and the libraries of
                 * nixcontainer-init (which itself lives in the store). */
                r = live_closure(live_os_programs, tools->init, &tree_files, &error);
                if (r < 0)
                        fprintf(stderr, "%s: %s\n", f->id, error ? error : strerror(-r));
        }
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = prepare_container(f, impl, &tree_files, &runs[i]);
        nc_strv_clear(&tree_files);
        free(networks);
        free(error);
        return r;
}

/* One container: preStart, ExecStart until READY=1, postStart. */
static int start_container(const fixture *f, live_impl impl, const live_tools *tools, live_unit *c,
                           const char *outdir) {
        char *outcome = NULL, *log;
        int r = unit_host_stage(f, impl, tools, c, "prestart", &outcome);

        if (r < 0)
                return r;
        live_pushf(&c->steps, "prestart: %s", outcome);
        free(outcome);
        outcome = NULL;
        r = unit_start(f, impl, tools, c, outdir);
        if (r < 0) {
                fprintf(stderr, "%s: %s: cannot start: %s\n", f->id, c->name, strerror(-r));
                return r;
        }
        r = unit_wait_ready(c);
        if (r == -ETIMEDOUT)
                live_pushf(&c->results, "ready: no READY=1 within %d s", READY_TIMEOUT_MS / 1000);
        else if (r < 0)
                return r;
        log = unit_read_log(outdir, c);
        if (c->notify.running)
                live_pushf(&c->steps, "nspawn: ok");
        else {
                char *failure = log ? unit_nspawn_failure(log, &c->network) : NULL;
                live_pushf(&c->steps, "nspawn: %s", failure ? failure : "failed");
                free(failure);
        }
        if (c->notify.ready)
                live_pushf(&c->steps, "init-setup: ok");
        else if (c->notify.running) {
                char *failure = log ? unit_init_failure(log) : NULL;
                live_pushf(&c->steps, "init-setup: %s", failure ? failure : "failed");
                free(failure);
        } else
                live_pushf(&c->steps, "init-setup: not run");
        free(log);
        /* systemd runs ExecStartPost= only once the service is up: for
         * Type=notify, when READY=1 came. */
        if (c->notify.ready) {
                r = unit_host_stage(f, impl, tools, c, "host-setup", &outcome);
                if (r < 0)
                        return r;
                live_pushf(&c->steps, "host-setup: %s", outcome);
                free(outcome);
        } else
                live_pushf(&c->steps, "host-setup: not run");
        if (c->notify.ready && c->network.private_network && c->notify.leader > 0) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/ns/net", (int) c->notify.leader);
                c->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
                if (c->netns_fd < 0)
                        fprintf(stderr, "%s: %s: %s: %s\n", f->id, c->name, path, strerror(errno));
        }
        return 0;
}

static void live_unit_clear(void *item) {
        live_unit *c = item;

        if (c->netns_fd >= 0)
                close(c->netns_fd);
        if (c->notify_fd >= 0)
                close(c->notify_fd);
        if (c->pidfd >= 0)
                close(c->pidfd);
        nc_strv_clear(&c->golden_argv);
        nspawn_network_clear(&c->network);
        nc_env_free(c->env);
        nc_strv_clear(&c->envp);
        nc_strv_clear(&c->steps);
        nc_strv_clear(&c->results);
        free(c->conf);
        free(c->stage2);
        free(c->notify_path);
}

/* After all stopped: the links the host had before, within a few seconds
 * (a namespace is torn down asynchronously once its last process is
 * gone); preStart once more on that, as the next start would run it. */
static void after_stop(const fixture *f, live_impl impl, const live_tools *tools, live_unit *runs, size_t n,
                       const nc_strv *before) {
        long started = clock_ms();
        char *changed = links_changed(before);

        while (changed && *changed && clock_ms() - started < SETTLE_TIMEOUT_MS) {
                free(changed);
                nanosleep(&(struct timespec) { 0, 50 * 1000 * 1000 }, NULL);
                changed = links_changed(before);
        }
        fprintf(stderr, "--- after stop: links %s\n", changed && *changed ? changed : "as before the first start");
        for (size_t i = 0; i < n; i++) {
                char *outcome = NULL;
                if (unit_host_stage(f, impl, tools, &runs[i], "prestart", &outcome) >= 0)
                        live_pushf(&runs[i].results, "prestart-after-stop: %s", outcome);
                free(outcome);
        }
        free(changed);
        changed = links_changed(before);
        for (size_t i = 0; i < n; i++)
                live_pushf(&runs[i].results, "links-after-stop: %s",
                           !changed ? "?" : *changed ? changed : "as before the first start");
        free(changed);
}

/* outdir/NAME.result: the "key: value" lines. */
static int write_results(const live_unit *c, const char *outdir) {
        text b = { 0 };

        for (size_t i = 0; i < c->results.n; i++)
                text_printf(&b, "%s\n", c->results.items[i]);
        return text_write_file(&b, 0644, "%s/%s.result", outdir, c->name);
}

/* The original's start script exec'd the argv the golden recorded. */
static void check_recorded_argv(live_unit *c) {
        char *path = NULL, *data = NULL, *difference;
        nc_strv recorded = { 0 };
        ssize_t none[] = { -1 };
        size_t len = 0;

        if (asprintf(&path, "/run/live/argv.%s", c->name) < 0)
                return;
        if (read_file(path, 1u << 20, &data, &len) < 0 || split_nul(data, len, &recorded) < 0)
                live_pushf(&c->results, "argv: the start script exec'd no systemd-nspawn");
        else {
                difference = unit_argv_difference(&c->golden_argv, &recorded, none);
                live_pushf(&c->results, "argv: %s", difference ? difference : "identical to the golden");
                free(difference);
        }
        nc_strv_clear(&recorded);
        free(data);
        free(path);
}

static void copy_stage2_record(const live_unit *c, const char *outdir) {
        char *from = NULL, *to = NULL;

        if (asprintf(&from, "/nix/var/nix/profiles/per-container/%s/live-stage2.txt", c->name) >= 0 &&
            asprintf(&to, "%s/%s.stage2", outdir, c->name) >= 0)
                (void) live_copy_file(from, to, 0644);
        free(from);
        free(to);
}

int live_run_fixture(const fixture *f, live_impl impl, const live_tools *tools, const char *outdir) {
        const nc_strv *names = &f->unit_names;
        live_unit *runs = calloc(names->n ? names->n : 1, sizeof *runs);
        nc_strv before = { 0 };
        int r = runs ? 0 : -ENOMEM;

        /* Orphans (a container's PID 1 whose nspawn died) come here. */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        for (size_t i = 0; runs && i < names->n; i++)
                runs[i] = (live_unit) { .name = names->items[i], .notify_fd = -1, .pidfd = -1, .netns_fd = -1,
                                            .ready_ms = -1, .running_ms = -1, .stop_ms = -1 };
        for (size_t i = 0; r >= 0 && i < names->n; i++) {
                r = read_golden_argv(f, &runs[i]);
                if (r >= 0)
                        r = unit_env(f, &runs[i]);
        }
        if (r >= 0)
                r = prepare_run(f, impl, tools, runs, names->n, &before);
        /* unit_names is sorted: the containers start in name order. */
        for (size_t i = 0; r >= 0 && i < names->n; i++)
                r = start_container(f, impl, tools, &runs[i], outdir);
        if (r >= 0)
                r = dump_all(f, runs, names->n, outdir);
        for (size_t i = 0; r >= 0 && i < names->n; i++) {
                char *macs = live_check_macs(&runs[i].network, runs[i].netns_fd);
                if (macs)
                        live_pushf(&runs[i].results, "macs: %s", macs);
                free(macs);
        }
        for (size_t i = 0; i < names->n && runs; i++) {
                /* The dump holds the namespaces no longer: they go with their processes. */
                if (runs[i].netns_fd >= 0)
                        close(runs[i].netns_fd);
                runs[i].netns_fd = -1;
                if (runs[i].pid > 0)
                        copy_stage2_record(&runs[i], outdir);
                if (impl == LIVE_ORIGINAL && runs[i].pid > 0)
                        check_recorded_argv(&runs[i]);
        }
        for (size_t i = 0; runs && i < names->n; i++) {
                bool was_running = unit_stop(&runs[i]);
                live_pushf(&runs[i].results, "ready-ms: %ld", runs[i].ready_ms);
                live_pushf(&runs[i].results, "running-ms: %ld", runs[i].running_ms);
                live_pushf(&runs[i].results, "stop-ms: %ld", was_running ? runs[i].stop_ms : -1L);
                live_pushf(&runs[i].results, "stopped-by: %s", was_running ? "SIGTERM" : "itself (before the stop)");
                unit_describe_exit(&runs[i]);
        }
        if (r >= 0)
                after_stop(f, impl, tools, runs, names->n, &before);
        for (size_t i = 0; r >= 0 && i < names->n; i++)
                r = write_results(&runs[i], outdir);
        array_free(runs, names->n, sizeof *runs, live_unit_clear);
        nc_strv_clear(&before);
        return r;
}
