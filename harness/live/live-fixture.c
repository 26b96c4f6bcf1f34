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
#include <linux/magic.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "config-internal.h"
#include "dump.h"
#include "live.h"
#include "netns.h"
#include "nspawn-sim.h"
#include "prestate.h"
#include "strbuf.h"

#define READY_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS 15000
#define SETTLE_TIMEOUT_MS 5000

const char *live_impl_name(live_impl impl) {
        return impl == LIVE_REF ? "ref" : "original";
}

typedef struct container_run {
        const char *name;
        nc_strv golden_argv;
        nspawn_network network;  /* nspawn's options, from the golden argv */
        nc_env *env;             /* the unit's: Environment=, EnvironmentFile=, NOTIFY_SOCKET */
        nc_strv envp;            /* the same, NULL-terminated */
        char *conf;              /* golden NAME.conf */
        char *stage2;            /* the stage 2 on the host */
        char *notify_path;
        int notify_fd;
        pid_t pid;               /* nspawn (the start script execs it in place) */
        int pidfd;
        bool exited;
        int wait_status;
        live_notify_state notify;
        int netns_fd;            /* the container's network namespace, while it runs */
        long started, ready_ms, running_ms, stop_ms;
        nc_strv steps;
        nc_strv results;         /* "key: value" */
} container_run;

static long now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int pushf(nc_strv *v, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int pushf(nc_strv *v, const char *format, ...) {
        va_list ap;
        char *line = NULL;
        int r;

        va_start(ap, format);
        r = vasprintf(&line, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        r = nc_strv_push(v, line);
        free(line);
        return r;
}

static char *golden_path(const fixture *f, const char *name, const char *suffix) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s.%s", f->golden_dir, name, suffix) < 0)
                return NULL;
        return path;
}

/* ---- the unit's environment ---------------------------------------------- */

/* Environment= (golden NAME.unit-env: root, INSTANCE, PATH), then the env
 * file on top with systemd's EnvironmentFile= rules (the ref's parser, which
 * the conformance suite checks against systemd's; the argv the start script
 * execs is compared with the golden one, which systemd's own parser fed),
 * then NOTIFY_SOCKET, as systemd sets it for a Type=notify service. */
static int build_env(const fixture *f, container_run *c) {
        char *file = NULL, *text = NULL, *conf_text = NULL, *save = NULL;
        size_t len = 0;
        nc_error error = { { 0 } };
        int r;

        c->env = nc_env_new();
        if (!c->env || asprintf(&file, "%s.unit-env", c->name) < 0)
                return -ENOMEM;
        text = golden_read(f, file, NULL);
        free(file);
        if (!text) {
                fprintf(stderr, "%s: no golden %s.unit-env\n", f->id, c->name);
                return -ENOENT;
        }
        r = 0;
        for (char *line = strtok_r(text, "\n", &save); r >= 0 && line; line = strtok_r(NULL, "\n", &save)) {
                char *eq = strchr(line, '=');
                if (eq) {
                        *eq = '\0';
                        r = nc_env_set(c->env, line, eq + 1);
                }
        }
        free(text);
        c->conf = golden_path(f, c->name, "conf");
        if (r >= 0 && !c->conf)
                r = -ENOMEM;
        if (r >= 0) {
                r = nc_read_file(c->conf, NC_ENV_FILE_MAX, &conf_text, &len);
                if (r >= 0)
                        r = nc_env_file_parse(c->env, conf_text, len, &error);
                if (r < 0)
                        fprintf(stderr, "%s: %s: %s\n", f->id, c->conf, error.message[0] ? error.message : strerror(-r));
                free(conf_text);
        }
        if (r >= 0 && asprintf(&c->notify_path, "/run/live/notify.%s", c->name) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = nc_env_set(c->env, "NOTIFY_SOCKET", c->notify_path);
        for (size_t i = 0; r >= 0 && i < nc_env_count(c->env); i++)
                r = pushf(&c->envp, "%s=%s", nc_env_name_at(c->env, i), nc_env_value_at(c->env, i));
        if (r >= 0)
                r = nc_strv_push(&c->envp, "");
        if (r >= 0) {
                /* NULL-terminated without counting it. */
                c->envp.n--;
                free(c->envp.items[c->envp.n]);
                c->envp.items[c->envp.n] = NULL;
        }
        return r;
}

static const char *unit_var(const container_run *c, const char *name) {
        const char *value = nc_env_get(c->env, name);
        return value ? value : "";
}

/* ---- the golden argv -------------------------------------------------------- */

static int read_golden_argv(const fixture *f, container_run *c) {
        char *file = NULL, *data;
        size_t len = 0;
        int r;

        if (asprintf(&file, "%s.argv", c->name) < 0)
                return -ENOMEM;
        data = golden_read(f, file, &len);
        free(file);
        if (!data) {
                fprintf(stderr, "%s: no golden %s.argv\n", f->id, c->name);
                return -ENOENT;
        }
        r = split_nul(data, len, &c->golden_argv);
        free(data);
        if (r >= 0 && c->golden_argv.n < 3)
                r = -EINVAL;
        if (r >= 0)
                r = nspawn_network_parse(&c->golden_argv, &c->network);
        if (r < 0)
                fprintf(stderr, "%s: %s.argv: cannot read nspawn's options: %s\n", f->id, c->name, strerror(-r));
        return r;
}

/* NULL when identical but for the arguments in `skip` (indexes, -1 ends). */
static char *argv_difference(const nc_strv *golden, const nc_strv *actual, const ssize_t *skip) {
        char *text = NULL;
        size_t i = 0;

        for (; i < golden->n && i < actual->n; i++) {
                bool skipped = false;
                for (size_t k = 0; skip[k] >= 0; k++)
                        skipped = skipped || (size_t) skip[k] == i;
                if (!skipped && strcmp(golden->items[i], actual->items[i]) != 0)
                        break;
        }
        if (i == golden->n && i == actual->n)
                return NULL;
        if (asprintf(&text, "argv[%zu]: golden \"%s\", got \"%s\"", i, i < golden->n ? golden->items[i] : "(end)",
                     i < actual->n ? actual->items[i] : "(end)") < 0)
                return strdup("argv differs");
        return text;
}

/* ---- namespaces and mounts ------------------------------------------------- */

static int mount_tmpfs(const char *where) {
        if (mount("tmpfs", where, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
                fprintf(stderr, "mount tmpfs on %s: %s\n", where, strerror(errno));
                return -errno;
        }
        return 0;
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
static int private_mounts(void) {
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
static int provide_binds(const nc_strv *argv, const char *root) {
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
                                        r = live_mkdir_p(source, 0755);
                        }
                        free(top);
                }
                if (r >= 0)
                        r = live_mkdir_p(point, 0755);
                free(source);
                free(point);
                if (r < 0)
                        return r;
        }
        return 0;
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

static int write_in_dir(const char *path, const char *content, mode_t mode) {
        char *dir = strdup(path), *slash;
        int r;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        *slash = '\0';
        r = live_mkdir_p(dir, 0755);
        free(dir);
        return r < 0 ? r : live_write_file(path, content, mode);
}

/* The start script's own preparation, which the ref (an argv, no script)
 * leaves to whoever starts it: here the harness does it.
 *   mkdir -p -m 0755 "$root/etc" "$root/var/lib"
 *   mkdir -p -m 0700 "$root/var/lib/private" "$root/root" /run/containers
 *   mkdir -p -m 0755 "/nix/var/nix/profiles/per-container/$INSTANCE" "/nix/var/nix/gcroots/per-container/$INSTANCE"
 *   cp --remove-destination /etc/resolv.conf "$root/etc/resolv.conf" */
static int ref_start_preparation(const container_run *c) {
        const char *root = unit_var(c, "root");
        char *paths[5] = { 0 };
        int r = 0;

        if (asprintf(&paths[0], "%s/var/lib/private", root) < 0 || asprintf(&paths[1], "%s/root", root) < 0 ||
            asprintf(&paths[2], "/nix/var/nix/profiles/per-container/%s", c->name) < 0 ||
            asprintf(&paths[3], "/nix/var/nix/gcroots/per-container/%s", c->name) < 0 ||
            asprintf(&paths[4], "%s/etc/resolv.conf", root) < 0)
                r = -ENOMEM;
        for (size_t i = 0; r >= 0 && i < 4; i++)
                r = live_mkdir_p(paths[i], i < 2 ? 0700 : 0755);
        if (r >= 0)
                r = live_mkdir_p("/run/containers", 0700);
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
static int write_init_config(const fixture *f, const container_run *c) {
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

static int prepare_container(const fixture *f, live_impl impl, const nc_strv *tree_files, container_run *c) {
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
                                r = live_write_file(system, content, 0444);
                        free(content);
                }
                free(system);
        }
        if (r >= 0 && impl == LIVE_ORIGINAL) {
                /* The module's container-init, at the store path its start script names. */
                char *init = golden_path(f, c->name, "init");
                r = init ? write_in_dir(c->golden_argv.items[c->golden_argv.n - 2], "", 0555) : -ENOMEM;
                if (r >= 0)
                        r = live_copy_file(init, c->golden_argv.items[c->golden_argv.n - 2], 0555);
                free(init);
        }
        if (r >= 0 && impl == LIVE_REF) {
                r = ref_start_preparation(c);
                if (r >= 0)
                        r = write_init_config(f, c);
        }
        if (r >= 0)
                r = provide_binds(&c->golden_argv, root);
        if (r >= 0)
                r = live_notify_open(c->notify_path, &c->notify_fd);
        if (r < 0)
                fprintf(stderr, "%s: %s: preparing the container: %s\n", f->id, c->name, strerror(-r));
        return r;
}

/* ---- the unit's stages ------------------------------------------------------ */

/* The last "+ ip ..." line of bash's xtrace: bash -e stops right after the
 * command that failed. */
static char *last_traced_ip(const char *trace) {
        const char *found = NULL;

        for (const char *line = trace; line && *line;) {
                if (strncmp(line, "+ ip ", 5) == 0)
                        found = line;
                line = strchr(line, '\n');
                if (line)
                        line++;
        }
        return found ? strndup(found + 2, strcspn(found + 2, "\n")) : NULL;
}

/* "nixcontainer: host-setup: STEP: WHY" -> STEP */
static char *step_after(const char *text, const char *prefix) {
        const char *p = strstr(text, prefix), *end;

        if (!p)
                return NULL;
        p += strlen(prefix);
        end = strstr(p, ": ");
        return strndup(p, end ? (size_t) (end - p) : strcspn(p, "\n"));
}

/* preStart or postStart, in the host namespace. */
static int run_host_stage(const fixture *f, live_impl impl, const live_tools *tools, container_run *c,
                          const char *stage, char **ret_outcome) {
        run_result result = { 0 };
        char *script = NULL, *step = NULL;
        int r;

        if (impl == LIVE_REF) {
                char *argv[] = { (char *) tools->nixcontainer, (char *) stage, "--env-file", c->conf, "--config",
                                 f->config_path, (char *) c->name, NULL, NULL };
                if (f->compat) {
                        memmove(argv + 3, argv + 2, 5 * sizeof *argv);
                        argv[2] = "--compat";
                }
                r = run_command(argv, c->envp.items, NULL, NULL, &result);
        } else {
                script = golden_path(f, c->name, strcmp(stage, "prestart") == 0 ? "prestart" : "poststart");
                char *argv[] = { "/bin/bash", "-e", "-x", script, NULL };
                r = script ? run_command(argv, c->envp.items, NULL, NULL, &result) : -ENOMEM;
        }
        if (r < 0) {
                free(script);
                return r;
        }
        fprintf(stderr, "--- %s %s %s (exit %d)\n%s%s", live_impl_name(impl), c->name, stage, result.status,
                result.out ? result.out : "", result.err ? result.err : "");
        if (result.status == 0)
                *ret_outcome = strdup("ok");
        else {
                char *prefix = NULL;
                if (impl == LIVE_ORIGINAL)
                        step = last_traced_ip(result.err ? result.err : "");
                else if (asprintf(&prefix, "nixcontainer: %s: ", stage) >= 0) {
                        step = step_after(result.err ? result.err : "", prefix);
                        free(prefix);
                }
                if ((step && asprintf(ret_outcome, "failed at: %s", step) < 0) ||
                    (!step && asprintf(ret_outcome, "failed: exit %d", result.status) < 0))
                        *ret_outcome = NULL;
        }
        free(step);
        free(script);
        run_result_free(&result);
        return *ret_outcome ? 0 : -ENOMEM;
}

/* The ref's argv: `nixcontainer argv -0`, with the store path of
 * nixcontainer-init as --init, then --register=no added (only that). */
static int ref_argv(const fixture *f, const live_tools *tools, container_run *c, nc_strv *ret_argv) {
        char *argv[] = { (char *) tools->nixcontainer, "argv", "-0", "--env-file", c->conf, "--config",
                         f->config_path, "--init", LIVE_STORE_INIT, "--nspawn", "systemd-nspawn", (char *) c->name,
                         NULL, NULL };
        run_result result = { 0 };
        nc_strv words = { 0 }, argv_out = { 0 };
        ssize_t skip[] = { 0, (ssize_t) c->golden_argv.n - 2, -1 };
        char *difference;
        int r;

        if (f->compat) {
                memmove(argv + 3, argv + 2, 11 * sizeof *argv);
                argv[2] = "--compat";
        }
        r = run_command(argv, c->envp.items, NULL, NULL, &result);
        if (r >= 0 && result.status != 0) {
                fprintf(stderr, "nixcontainer argv (exit %d): %s", result.status, result.err ? result.err : "");
                r = -EIO;
        }
        if (r >= 0)
                r = split_nul(result.out, result.out_len, &words);
        run_result_free(&result);
        if (r < 0)
                return r;
        /* Identical to what the module's start script exec'd, but for argv[0]
         * and the container-init (the conformance suite checks it too). */
        difference = argv_difference(&c->golden_argv, &words, skip);
        r = pushf(&c->results, "argv: %s", difference ? difference : "identical to the golden (but argv[0] and --init)");
        free(difference);
        for (size_t i = 0; r >= 0 && i < words.n; i++) {
                r = nc_strv_push(&argv_out, i == 0 ? tools->nspawn : words.items[i]);
                if (r >= 0 && i == 0)
                        r = nc_strv_push(&argv_out, "--register=no");
        }
        nc_strv_clear(&words);
        if (r < 0) {
                nc_strv_clear(&argv_out);
                return r;
        }
        *ret_argv = argv_out;
        return 0;
}

static int start(const fixture *f, live_impl impl, const live_tools *tools, container_run *c, const char *outdir) {
        nc_strv argv = { 0 };
        char *log = NULL;
        int r;

        if (impl == LIVE_REF)
                r = ref_argv(f, tools, c, &argv);
        else {
                char *source = NULL, *script = NULL;
                r = asprintf(&source, "%s/%s/%s.start", tools->start_scripts, f->id, c->name) < 0 ||
                                    asprintf(&script, "/run/live/start.%s", c->name) < 0
                            ? -ENOMEM
                            : live_copy_file(source, script, 0755);
                if (r < 0)
                        fprintf(stderr, "%s: the module's start script %s: %s (run harness/live/render-start.sh)\n",
                                f->id, source ? source : "?", strerror(-r));
                if (r >= 0)
                        r = nc_strv_push(&argv, script);
                free(source);
                free(script);
        }
        if (r >= 0)
                r = nc_strv_push(&argv, "");
        if (r < 0 || asprintf(&log, "%s/%s.nspawn.log", outdir, c->name) < 0) {
                nc_strv_clear(&argv);
                return r < 0 ? r : -ENOMEM;
        }
        free(argv.items[argv.n - 1]);
        argv.items[argv.n - 1] = NULL;
        fprintf(stderr, "--- %s %s: start:", live_impl_name(impl), c->name);
        for (size_t i = 0; argv.items[i]; i++)
                fprintf(stderr, " %s", argv.items[i]);
        fputc('\n', stderr);
        fflush(stderr);

        c->started = now_ms();
        c->pid = fork();
        if (c->pid < 0)
                r = -errno;
        else if (c->pid == 0) {
                int in = open("/dev/null", O_RDONLY | O_CLOEXEC),
                    out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
                    dup2(out, STDERR_FILENO) < 0)
                        _exit(127);
                execve(argv.items[0], argv.items, c->envp.items);
                fprintf(stderr, "live: cannot run %s: %s\n", argv.items[0], strerror(errno));
                _exit(127);
        } else {
                c->pidfd = (int) syscall(SYS_pidfd_open, c->pid, 0);
                if (c->pidfd < 0)
                        r = -errno;
        }
        free(log);
        nc_strv_clear(&argv);
        return r;
}

static void reap_container(container_run *c) {
        int status;

        if (c->exited || c->pid <= 0)
                return;
        if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
                c->exited = true;
                c->wait_status = status;
        }
}

/* Waits for READY=1, the process to end, or the timeout. */
static int wait_ready(container_run *c) {
        long deadline = c->started + READY_TIMEOUT_MS;

        while (!c->notify.ready && !c->exited) {
                struct pollfd fds[2] = { { c->notify_fd, POLLIN, 0 }, { c->pidfd, POLLIN, 0 } };
                long left = deadline - now_ms();
                int r;
                if (left <= 0)
                        return -ETIMEDOUT;
                if (poll(fds, 2, (int) left) < 0 && errno != EINTR)
                        return -errno;
                r = live_notify_drain(c->notify_fd, &c->notify);
                if (r < 0)
                        return r;
                if (c->notify.running && c->running_ms < 0)
                        c->running_ms = now_ms() - c->started;
                if (c->notify.ready)
                        c->ready_ms = now_ms() - c->started;
                else if (fds[1].revents & POLLIN) {
                        reap_container(c);
                        /* What it sent before it ended. */
                        live_notify_drain(c->notify_fd, &c->notify);
                }
        }
        return 0;
}

/* ---- what nspawn and the container printed --------------------------------- */

static char *read_log(const char *outdir, const container_run *c) {
        char *path = NULL, *text = NULL;
        size_t len;

        if (asprintf(&path, "%s/%s.nspawn.log", outdir, c->name) < 0)
                return NULL;
        if (nc_read_file(path, 16u << 20, &text, &len) < 0)
                text = NULL;
        free(path);
        if (text) { /* the container's console comes through a pty: CR LF */
                char *to = text;
                for (const char *p = text; *p; p++)
                        if (*p != '\r')
                                *to++ = *p;
                *to = '\0';
        }
        return text;
}

/* Whether `word` is in `text` as a word of its own (an interface name
 * within quotes, spaces or punctuation). */
static bool has_word(const char *text, const char *word) {
        size_t len = strlen(word);

        for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
                char before = p == text ? ' ' : p[-1], after = p[len];
                bool inside_before = before == '-' || before == '_' || before == '.' || (before >= '0' && before <= '9') ||
                                     (before >= 'A' && before <= 'Z') || (before >= 'a' && before <= 'z');
                bool inside_after = after == '-' || after == '_' || after == '.' || (after >= '0' && after <= '9') ||
                                    (after >= 'A' && after <= 'Z') || (after >= 'a' && after <= 'z');
                if (!inside_before && !inside_after)
                        return true;
        }
        return false;
}

/* nspawn ended before it started the payload: which option made it fail.
 * Its messages name the interface or bridge ("Failed to resolve interface
 * \"eth1\": No such device"). */
static char *nspawn_failure(const char *log, const nspawn_network *n) {
        const struct {
                const char *option;
                const nc_strv *names;
        } lists[] = { { "--network-interface", &n->interfaces },
                      { "--network-macvlan", &n->macvlans },
                      { "--network-veth-extra", &n->extra_host } };
        char *outcome = NULL;

        for (size_t l = 0; l < sizeof lists / sizeof lists[0] && !outcome; l++)
                for (size_t i = 0; i < lists[l].names->n && !outcome; i++)
                        if (has_word(log, lists[l].names->items[i]) &&
                            asprintf(&outcome, "failed at: %s=%s", lists[l].option, lists[l].names->items[i]) < 0)
                                outcome = NULL;
        if (!outcome && n->bridge && has_word(log, n->bridge) &&
            asprintf(&outcome, "failed at: --network-bridge=%s", n->bridge) < 0)
                outcome = NULL;
        if (!outcome) {
                /* The last line nspawn printed. */
                const char *last = log, *p = log;
                for (; *p; p++)
                        if (*p == '\n' && p[1] && p[1] != '\n')
                                last = p + 1;
                if (asprintf(&outcome, "failed: %.*s", (int) strcspn(last, "\n"), last) < 0)
                        outcome = NULL;
        }
        return outcome;
}

/* The container-init ended before stage 2: the step it failed at. The
 * module's, through the iproute2 of the fake store ("live-ip: failed: ip
 * ..."); the ref's, from its message ("nixcontainer-init: ip ...: why"). */
static char *init_failure(const char *log) {
        const char *ref = strstr(log, "nixcontainer-init: ");
        char *step = step_after(log, "live-ip: failed: ");
        char *outcome = NULL;

        if (!step && ref && strncmp(ref + 19, "ip ", 3) == 0)
                step = step_after(ref, "nixcontainer-init: ");
        if (step) {
                if (asprintf(&outcome, "failed at: %s", step) < 0)
                        outcome = NULL;
        } else if (ref) {
                if (asprintf(&outcome, "failed: %.*s", (int) strcspn(ref + 19, "\n"), ref + 19) < 0)
                        outcome = NULL;
        } else
                outcome = strdup("failed: the container-init exited before stage 2");
        free(step);
        return outcome;
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

static void append_filtered(nc_strbuf *b, const char *text) {
        for (const char *line = text; line && *line;) {
                size_t len = strcspn(line, "\n");
                char *copy = strndup(line, len);
                if (copy && !link_local(copy))
                        nc_strbuf_appendf(b, "%s\n", copy);
                free(copy);
                line += len + (line[len] == '\n');
        }
}

static int write_text(const char *outdir, const char *name, const char *suffix, const char *content) {
        char *path = NULL;
        int r;

        if (asprintf(&path, "%s/%s.%s", outdir, name, suffix) < 0)
                return -ENOMEM;
        r = live_write_file(path, content, 0644);
        free(path);
        return r;
}

static int dump_all(const fixture *f, container_run *runs, size_t n, const char *outdir) {
        int *fds = calloc(n + 1, sizeof(int));
        char **texts = calloc(n + 1, sizeof(char *)), *error = NULL;
        size_t *index = calloc(n + 1, sizeof(size_t)), count = 1;
        unsigned samples = 0;
        bool settled = false;
        int r;

        if (!fds || !texts || !index) {
                r = -ENOMEM;
                goto out;
        }
        fds[0] = -1; /* the host: this process's namespace */
        for (size_t i = 0; i < n; i++)
                if (runs[i].netns_fd >= 0) {
                        index[i] = count;
                        fds[count++] = runs[i].netns_fd;
                }
        r = dump_settled(fds, count, texts, &samples, &settled, &error);
        if (r < 0) {
                fprintf(stderr, "%s: dump: %s\n", f->id, error ? error : strerror(-r));
                goto out;
        }
        fprintf(stderr, "--- dump: %u sample(s)%s\n", samples, settled ? "" : "; did not settle, the last sample is used");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                nc_strbuf b = { 0 };
                char *content = NULL;
                nc_strbuf_appendf(&b, "# host\n%s", texts[0]);
                if (runs[i].netns_fd >= 0) {
                        nc_strbuf_appendf(&b, "# container %s\n", runs[i].name);
                        append_filtered(&b, texts[index[i]]);
                }
                nc_strbuf_append(&b, "# steps\n");
                for (size_t j = 0; j < runs[i].steps.n; j++)
                        nc_strbuf_appendf(&b, "%s\n", runs[i].steps.items[j]);
                nc_strbuf_steal(&b, &content, NULL);
                nc_strbuf_free(&b);
                r = content ? write_text(outdir, runs[i].name, "net", content) : -ENOMEM;
                free(content);
                if (r >= 0 && !settled)
                        r = nc_strv_push(&runs[i].results, "dump: did not settle");
        }
out:
        for (size_t i = 0; texts && i < count; i++)
                free(texts[i]);
        free(texts);
        free(fds);
        free(index);
        free(error);
        return r;
}

/* ---- links before and after ------------------------------------------------- */

static int link_names(nc_strv *ret) {
        char *out = NULL, *error = NULL;
        json_t *links;
        size_t i;
        json_t *link;
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
        return r;
}

static bool has(const nc_strv *v, const char *s) {
        for (size_t i = 0; i < v->n; i++)
                if (strcmp(v->items[i], s) == 0)
                        return true;
        return false;
}

/* "" when the host has the links it had before the first start; otherwise
 * "+NAME" for each link left and "-NAME" for each gone. */
static char *links_changed(const nc_strv *before) {
        nc_strv now = { 0 };
        nc_strbuf b = { 0 };
        char *out = NULL;

        if (link_names(&now) < 0) {
                nc_strv_clear(&now);
                return strdup("(cannot list links)");
        }
        for (size_t i = 0; i < now.n; i++)
                if (!has(before, now.items[i]))
                        nc_strbuf_appendf(&b, "%s+%s", b.len ? " " : "", now.items[i]);
        for (size_t i = 0; i < before->n; i++)
                if (!has(&now, before->items[i]))
                        nc_strbuf_appendf(&b, "%s-%s", b.len ? " " : "", before->items[i]);
        nc_strv_clear(&now);
        nc_strbuf_steal(&b, &out, NULL);
        nc_strbuf_free(&b);
        return out;
}

/* ---- stopping --------------------------------------------------------------- */

/* `systemctl stop container@NAME`: KillSignal=TERM to the main process,
 * nspawn, which sends --kill-signal=SIGRTMIN+3 to the container's PID 1. */
static bool stop(container_run *c) {
        long started = now_ms();

        reap_container(c);
        if (c->exited || c->pid <= 0)
                return false;
        kill(c->pid, SIGTERM);
        while (!c->exited && now_ms() - started < STOP_TIMEOUT_MS) {
                struct pollfd fd = { c->pidfd, POLLIN, 0 };
                poll(&fd, 1, 100);
                reap_container(c);
        }
        c->stop_ms = now_ms() - started;
        if (!c->exited) {
                pushf(&c->results, "stop: nspawn did not exit within %d s of SIGTERM (killed)", STOP_TIMEOUT_MS / 1000);
                kill(c->pid, SIGKILL);
                if (waitpid(c->pid, &c->wait_status, 0) == c->pid)
                        c->exited = true;
        }
        return true;
}

static void describe_exit(container_run *c) {
        if (c->pid <= 0)
                pushf(&c->results, "nspawn-exit: not started");
        else if (!c->exited)
                pushf(&c->results, "nspawn-exit: still running");
        else if (WIFEXITED(c->wait_status))
                pushf(&c->results, "nspawn-exit: %d", WEXITSTATUS(c->wait_status));
        else
                pushf(&c->results, "nspawn-exit: signal %d", WTERMSIG(c->wait_status));
}

/* ---- the run ---------------------------------------------------------------- */

static int prepare_run(const fixture *f, live_impl impl, const live_tools *tools, container_run *runs, size_t n,
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
                r = private_mounts();
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
                r = live_mkdir_p(dirs[i], 0755);
        }
        for (size_t i = 0; r >= 0 && i < n; i++) {
                free(error);
                error = NULL;
                r = live_store_packages(unit_var(&runs[i], "PATH"), runs[i].golden_argv.items[0], tools->nspawn, &error);
                if (r < 0)
                        fprintf(stderr, "%s: store: %s\n", f->id, error ? error : strerror(-r));
        }
        if (r >= 0)
                r = write_in_dir(LIVE_STORE_NOTIFY, "", 0555);
        if (r >= 0)
                r = live_copy_file(tools->notify, LIVE_STORE_NOTIFY, 0555);
        if (r >= 0 && impl == LIVE_REF) {
                r = write_in_dir(LIVE_STORE_INIT, "", 0555);
                if (r >= 0)
                        r = live_copy_file(tools->init, LIVE_STORE_INIT, 0555);
        }
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
static int start_container(const fixture *f, live_impl impl, const live_tools *tools, container_run *c,
                           const char *outdir) {
        char *outcome = NULL, *log;
        int r = run_host_stage(f, impl, tools, c, "prestart", &outcome);

        if (r < 0)
                return r;
        pushf(&c->steps, "prestart: %s", outcome);
        free(outcome);
        outcome = NULL;
        r = start(f, impl, tools, c, outdir);
        if (r < 0) {
                fprintf(stderr, "%s: %s: cannot start: %s\n", f->id, c->name, strerror(-r));
                return r;
        }
        r = wait_ready(c);
        if (r == -ETIMEDOUT)
                pushf(&c->results, "ready: no READY=1 within %d s", READY_TIMEOUT_MS / 1000);
        else if (r < 0)
                return r;
        log = read_log(outdir, c);
        if (c->notify.running)
                pushf(&c->steps, "nspawn: ok");
        else {
                char *failure = log ? nspawn_failure(log, &c->network) : NULL;
                pushf(&c->steps, "nspawn: %s", failure ? failure : "failed");
                free(failure);
        }
        if (c->notify.ready)
                pushf(&c->steps, "init-setup: ok");
        else if (c->notify.running) {
                char *failure = log ? init_failure(log) : NULL;
                pushf(&c->steps, "init-setup: %s", failure ? failure : "failed");
                free(failure);
        } else
                pushf(&c->steps, "init-setup: not run");
        free(log);
        /* systemd runs ExecStartPost= only once the service is up: for
         * Type=notify, when READY=1 came. */
        if (c->notify.ready) {
                r = run_host_stage(f, impl, tools, c, "host-setup", &outcome);
                if (r < 0)
                        return r;
                pushf(&c->steps, "host-setup: %s", outcome);
                free(outcome);
        } else
                pushf(&c->steps, "host-setup: not run");
        if (c->notify.ready && c->network.private_network && c->notify.leader > 0) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/ns/net", (int) c->notify.leader);
                c->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
                if (c->netns_fd < 0)
                        fprintf(stderr, "%s: %s: %s: %s\n", f->id, c->name, path, strerror(errno));
        }
        return 0;
}

static void container_free(container_run *c) {
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
static void after_stop(const fixture *f, live_impl impl, const live_tools *tools, container_run *runs, size_t n,
                       const nc_strv *before) {
        long started = now_ms();
        char *changed = links_changed(before);

        while (changed && *changed && now_ms() - started < SETTLE_TIMEOUT_MS) {
                free(changed);
                nanosleep(&(struct timespec) { 0, 50 * 1000 * 1000 }, NULL);
                changed = links_changed(before);
        }
        fprintf(stderr, "--- after stop: links %s\n", changed && *changed ? changed : "as before the first start");
        for (size_t i = 0; i < n; i++) {
                char *outcome = NULL;
                if (run_host_stage(f, impl, tools, &runs[i], "prestart", &outcome) >= 0)
                        pushf(&runs[i].results, "prestart-after-stop: %s", outcome);
                free(outcome);
        }
        free(changed);
        changed = links_changed(before);
        for (size_t i = 0; i < n; i++)
                pushf(&runs[i].results, "links-after-stop: %s",
                      !changed ? "?" : *changed ? changed : "as before the first start");
        free(changed);
}

static int write_results(const container_run *c, const char *outdir) {
        nc_strbuf b = { 0 };
        char *content = NULL;
        int r;

        for (size_t i = 0; i < c->results.n; i++)
                nc_strbuf_appendf(&b, "%s\n", c->results.items[i]);
        nc_strbuf_steal(&b, &content, NULL);
        nc_strbuf_free(&b);
        r = content ? write_text(outdir, c->name, "result", content) : -ENOMEM;
        free(content);
        return r;
}

/* The original's start script exec'd the argv the golden recorded. */
static void check_recorded_argv(container_run *c) {
        char *path = NULL, *data = NULL, *difference;
        nc_strv recorded = { 0 };
        ssize_t none[] = { -1 };
        size_t len = 0;

        if (asprintf(&path, "/run/live/argv.%s", c->name) < 0)
                return;
        if (nc_read_file(path, 1u << 20, &data, &len) < 0 || split_nul(data, len, &recorded) < 0)
                pushf(&c->results, "argv: the start script exec'd no systemd-nspawn");
        else {
                difference = argv_difference(&c->golden_argv, &recorded, none);
                pushf(&c->results, "argv: %s", difference ? difference : "identical to the golden");
                free(difference);
        }
        nc_strv_clear(&recorded);
        free(data);
        free(path);
}

static void copy_stage2_record(const container_run *c, const char *outdir) {
        char *from = NULL, *to = NULL;

        if (asprintf(&from, "/nix/var/nix/profiles/per-container/%s/live-stage2.txt", c->name) >= 0 &&
            asprintf(&to, "%s/%s.stage2", outdir, c->name) >= 0)
                (void) live_copy_file(from, to, 0644);
        free(from);
        free(to);
}

int live_run_fixture(const fixture *f, live_impl impl, const live_tools *tools, const char *outdir) {
        const nc_strv *names = &f->unit_names;
        container_run *runs = calloc(names->n ? names->n : 1, sizeof *runs);
        nc_strv before = { 0 };
        int r = runs ? 0 : -ENOMEM;

        /* Orphans (a container's PID 1 whose nspawn died) come here. */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        for (size_t i = 0; runs && i < names->n; i++)
                runs[i] = (container_run) { .name = names->items[i], .notify_fd = -1, .pidfd = -1, .netns_fd = -1,
                                            .ready_ms = -1, .running_ms = -1, .stop_ms = -1 };
        for (size_t i = 0; r >= 0 && i < names->n; i++) {
                r = read_golden_argv(f, &runs[i]);
                if (r >= 0)
                        r = build_env(f, &runs[i]);
        }
        if (r >= 0)
                r = prepare_run(f, impl, tools, runs, names->n, &before);
        /* unit_names is sorted: the containers start in name order. */
        for (size_t i = 0; r >= 0 && i < names->n; i++)
                r = start_container(f, impl, tools, &runs[i], outdir);
        if (r >= 0)
                r = dump_all(f, runs, names->n, outdir);
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
                bool was_running = stop(&runs[i]);
                pushf(&runs[i].results, "ready-ms: %ld", runs[i].ready_ms);
                pushf(&runs[i].results, "running-ms: %ld", runs[i].running_ms);
                pushf(&runs[i].results, "stop-ms: %ld", was_running ? runs[i].stop_ms : -1L);
                pushf(&runs[i].results, "stopped-by: %s", was_running ? "SIGTERM" : "itself (before the stop)");
                describe_exit(&runs[i]);
        }
        if (r >= 0)
                after_stop(f, impl, tools, runs, names->n, &before);
        for (size_t i = 0; runs && i < names->n; i++) {
                if (r >= 0)
                        r = write_results(&runs[i], outdir);
                container_free(&runs[i]);
        }
        nc_strv_clear(&before);
        free(runs);
        return r;
}
