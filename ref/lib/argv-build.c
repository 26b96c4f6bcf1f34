/* The argv that the module's start script (startScript in
 * nixos-containers.nix) hands to systemd-nspawn.
 *
 * The script builds a string `extraFlags` and then runs
 *   exec .../systemd-nspawn --keep-unit -M "$INSTANCE" -D "$root" $extraFlags \
 *     $EXTRA_NSPAWN_FLAGS --notify-ready=yes ... <container-init> "${SYSTEM_PATH:-...}/init"
 * From 25.11 (release.h: flag_array) `extraFlags` is a bash array, each
 * flag one word, ${EXTRA_NSPAWN_FLAGS-} comes just before the
 * container-init, and the script runs under nounset.
 * This file follows it step by step; each step quotes the line it mirrors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-internal.h"
#include "option-table.h"
#include "error.h"
#include "alloc-util.h"
#include "script-env.h"
#include "shell-words.h"
#include "strbuf.h"

#define ARGV_FIRST 64

typedef struct builder {
        const nc_container *container; /* cfg (containerConfig without enableTun's additions), or NULL */
        const nc_release_info *release;
        nc_strv flag_words; /* flag_array: the words of "${extraFlags[@]}" */
        const nc_env *env;
        const nc_argv_request *request;
        nc_strbuf extra_flags;
        nc_strv argv;
        bool ended; /* an unquoted newline in pasted text ended the exec line */
        /* The release declares privateUsers (25.11) and localMacAddress
         * (26.05): looked up in the option table once an argv. */
        bool private_users, local_mac_address;
        nc_error *error;
} builder;

static int push(builder *b, const char *word) {
        return b->ended ? 0 : nc_strv_push(&b->argv, word);
}

/* The words of `words`, moved to the argv rather than copied; `words` is
 * left empty. */
static int push_moved(builder *b, nc_strv *words) {
        if (b->ended || words->n == 0)
                return 0;
        if (NC_GROW(b->argv.items, b->argv.capacity, b->argv.n + words->n + 1, 8) < 0)
                return -ENOMEM;
        memcpy(b->argv.items + b->argv.n, words->items, words->n * sizeof *words->items);
        b->argv.n += words->n;
        b->argv.items[b->argv.n] = NULL;
        words->n = 0;
        words->items[0] = NULL;
        return 0;
}

/* One word made of `prefix`, `value` and `suffix`. */
static int push_joined(builder *b, const char *prefix, const char *value, const char *suffix) {
        return b->ended ? 0 : nc_strv_push_concat(&b->argv, prefix, value, suffix, (const char *) NULL);
}

/* One word of four parts (25.11's binds: PREFIX$INSTANCE:MOUNT$NIX_BIND_OPT). */
static int push_joined4(builder *b, const char *a, const char *c, const char *d, const char *e) {
        return b->ended ? 0 : nc_strv_push_concat(&b->argv, a, c, d, e, (const char *) NULL);
}

/* An unquoted $VAR on the exec line: split on the default IFS. */
static int push_split(builder *b, const char *value) {
        return b->ended ? 0 : nc_shell_split(value, NC_SHELL_DEFAULT_IFS, &b->argv);
}

/* Text that the module pasted into the exec line (tmpfs, capabilities):
 * bash parses it as script text. */
static int push_script_text(builder *b, const char *text) {
        bool ended;
        int r;

        if (b->ended)
                return 0;
        r = nc_shell_parse_words(text, b->env, 0, &b->argv, &ended, b->error);
        if (r >= 0 && ended)
                b->ended = true;
        return r;
}

/* ${optionalString (config.nixpkgs.localSystem.system == "x86_64-linux") ''
 *   if [ "$(< ${SYSTEM_PATH:-...}/system)" = i686-linux ]; then
 *     extraFlags+=" --personality=x86" ''}          (25.11: extraFlags+=("--personality=x86")) */
static bool wants_personality(const builder *b) {
        const char *host_system = b->request->host_system ? b->request->host_system : "x86_64-linux";

        return strcmp(host_system, "x86_64-linux") == 0 && b->request->guest_system &&
               strcmp(b->request->guest_system, "i686-linux") == 0;
}

/* extraFlags+=" PREFIX$WORD" (before 25.11) or extraFlags+=("PREFIX$WORD") */
typedef int (*flag_adder)(builder *b, const char *prefix, const char *word);

static int append_flag(builder *b, const char *prefix, const char *word) {
        return nc_strbuf_append_many(&b->extra_flags, prefix, word, (const char *) NULL);
}

/* for i in $VALUE; do <add PREFIX$i>; done, VALUE split on `ifs`. */
static int add_each(builder *b, const char *value, const char *ifs, const char *prefix, flag_adder add) {
        _cleanup_(nc_strv_clear) nc_strv words = { 0 };
        int r = nc_shell_split(value, ifs, &words);

        for (size_t i = 0; r >= 0 && i < words.n; i++)
                r = add(b, prefix, words.items[i]);
        return r;
}

/* extraFlags+=" ${concatStringsSep " " (mapAttrsToList nspawnExtraVethArgs cfg.extraVeths)}"
 * The names are script text inside double quotes; the result is appended
 * even when there are no extraVeths (a lone " "). */
static int append_extra_veths(builder *b) {
        const nc_container *c = b->container;
        _cleanup_(nc_strbuf_free) nc_strbuf text = { 0 };
        _cleanup_(nc_strv_clear) nc_strv value = { 0 };
        bool ended = false;
        int r = nc_strbuf_append(&text, "\" ");

        for (size_t i = 0; r >= 0 && c && i < c->n_extra_veths; i++)
                r = nc_strbuf_append_many(&text, i ? " " : "", "--network-veth-extra=", c->extra_veths[i].name,
                                          (const char *) NULL);
        if (r >= 0)
                r = nc_strbuf_append_char(&text, '"');
        if (r >= 0)
                r = nc_shell_parse_words(text.data, b->env, NC_SHELL_ASSIGNMENT, &value, &ended, b->error);
        if (r >= 0 && (ended || value.n != 1))
                r = nc_error_set(b->error, -ENOTSUP, "the start script would not parse the extraVeths names as one value");
        if (r >= 0)
                r = nc_strbuf_append(&b->extra_flags, value.items[0]);
        return r;
}

static int build_extra_flags(builder *b) {
        const char *bridge = nc_script_var(b->env, "HOST_BRIDGE");
        nc_strbuf *f = &b->extra_flags;
        int r;

        /* `extraFlags` is not initialised: bash starts from the environment's. */
        if ((r = nc_strbuf_append(f, nc_script_var(b->env, "extraFlags"))) < 0)
                return r;
        /* if [ "$PRIVATE_NETWORK" = 1 ]; then extraFlags+=" --private-network" */
        if (strcmp(nc_script_var(b->env, "PRIVATE_NETWORK"), "1") == 0 &&
            (r = nc_strbuf_append(f, " --private-network")) < 0)
                return r;
        /* if [ -n "$HOST_ADDRESS" ] || [ -n "$LOCAL_ADDRESS" ] ||
         *    [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then extraFlags+=" --network-veth" */
        if (nc_script_any_address(b->env) && (r = nc_strbuf_append(f, " --network-veth")) < 0)
                return r;
        /* IFS=","; for i in $HOST_PORT; do extraFlags+=" --port=$i"; done */
        if ((r = add_each(b, nc_script_var(b->env, "HOST_PORT"), ",", " --port=", append_flag)) < 0)
                return r;
        /* if [ -n "$HOST_BRIDGE" ]; then extraFlags+=" --network-bridge=$HOST_BRIDGE" */
        if (bridge[0] && (r = nc_strbuf_append_many(f, " --network-bridge=", bridge, (const char *) NULL)) < 0)
                return r;
        if ((r = append_extra_veths(b)) < 0)
                return r;
        /* for iface in $INTERFACES; do extraFlags+=" --network-interface=$iface"; done
         * for iface in $MACVLANS; do extraFlags+=" --network-macvlan=$iface"; done */
        if ((r = add_each(b, nc_script_var(b->env, "INTERFACES"), NC_SHELL_DEFAULT_IFS, " --network-interface=", append_flag)) < 0 ||
            (r = add_each(b, nc_script_var(b->env, "MACVLANS"), NC_SHELL_DEFAULT_IFS, " --network-macvlan=", append_flag)) < 0)
                return r;
        if (wants_personality(b))
                r = nc_strbuf_append(f, " --personality=x86");
        return r;
}

/* ---- 25.11 and later: declare -a extraFlags ------------------------------- */

/* extraFlags+=("PREFIX$VALUE"): one word. */
static int flag(builder *b, const char *prefix, const char *value) {
        return nc_strv_push_concat(&b->flag_words, prefix, value, (const char *) NULL);
}

static bool declares(const builder *b, const nc_option_table *table, const char *option) {
        return nc_option_find(table, option, b->release->id) != NULL;
}

static int build_flag_array(builder *b) {
        const nc_container *c = b->container;
        const char *inherited = nc_env_get(b->env, "extraFlags");
        const char *private_users = nc_script_var(b->env, "PRIVATE_USERS");
        const char *bridge = nc_script_var(b->env, "HOST_BRIDGE");
        const char *netns = nc_script_var(b->env, "NETWORK_NAMESPACE_PATH");
        bool mac = b->local_mac_address && nc_script_var(b->env, "LOCAL_MAC_ADDRESS")[0];
        int r = 0;

        /* declare -a extraFlags: a variable from the environment becomes
         * the array's first element. */
        if (inherited && (r = flag(b, "", inherited)) < 0)
                return r;
        /* if [[ "${PRIVATE_NETWORK-}" = 1 ]]; then extraFlags+=("--private-network") */
        if (strcmp(nc_script_var(b->env, "PRIVATE_NETWORK"), "1") == 0 && (r = flag(b, "--private-network", "")) < 0)
                return r;
        /* if [[ -n "${PRIVATE_USERS-}" ]]; then extraFlags+=("--private-users=$PRIVATE_USERS") */
        if (private_users[0] && (r = flag(b, "--private-users=", private_users)) < 0)
                return r;
        /* [[ -n "${HOST_ADDRESS-}" ]] || ... || [[ -n "${LOCAL_MAC_ADDRESS-}" ]] (26.05):
         * extraFlags+=("--network-veth") */
        if ((nc_script_any_address(b->env) || mac) && (r = flag(b, "--network-veth", "")) < 0)
                return r;
        /* IFS=","; for i in $HOST_PORT; do extraFlags+=("--port=$i"); done */
        if ((r = add_each(b, nc_script_var(b->env, "HOST_PORT"), ",", "--port=", flag)) < 0)
                return r;
        /* extraFlags+=("--network-bridge=$HOST_BRIDGE"), ("--network-namespace-path=$NETWORK_NAMESPACE_PATH") */
        if ((bridge[0] && (r = flag(b, "--network-bridge=", bridge)) < 0) ||
            (netns[0] && (r = flag(b, "--network-namespace-path=", netns)) < 0))
                return r;
        /* extraFlags+=(${lib.escapeShellArgs (mapAttrsToList nspawnExtraVethArgs cfg.extraVeths)}):
         * each name quoted, one word each. */
        for (size_t i = 0; c && i < c->n_extra_veths; i++)
                if ((r = flag(b, "--network-veth-extra=", c->extra_veths[i].name)) < 0)
                        return r;
        /* for iface in ${INTERFACES-}; do extraFlags+=("--network-interface=$iface"); done; MACVLANS */
        if ((r = add_each(b, nc_script_var(b->env, "INTERFACES"), NC_SHELL_DEFAULT_IFS, "--network-interface=", flag)) < 0 ||
            (r = add_each(b, nc_script_var(b->env, "MACVLANS"), NC_SHELL_DEFAULT_IFS, "--network-macvlan=", flag)) < 0)
                return r;
        if (wants_personality(b))
                r = flag(b, "--personality=x86", "");
        return r;
}

/* A variable read without a default under nounset stops the script
 * before the exec line: "$root", "$INSTANCE", and from 26.05
 * "$COPY_RESOLV_CONF" in `if [ "$COPY_RESOLV_CONF" = 1 ]`. ("$PATH" is
 * read on the exec line only, and systemd gives every unit a PATH.) */
static int check_nounset(builder *b) {
        static const char *const names[] = { "root", "INSTANCE" };

        for (size_t i = 0; i <= ELEMENTSOF(names); i++) {
                const char *name = i < ELEMENTSOF(names) ? names[i] : "COPY_RESOLV_CONF";
                if (i == ELEMENTSOF(names) && !declares(b, &nc_container_options, "copyResolvConf"))
                        continue;
                if (!nc_env_get(b->env, name))
                        return nc_error_set(b->error, -ENODATA,
                                            "the start script stops at $%s: unbound variable (release %s runs it "
                                            "under nounset)", name, b->release->name);
        }
        return 0;
}

static int push_setenv(builder *b, const char *name) {
        int r;

        /* --setenv NAME="$NAME": two words, the second even when empty. */
        if ((r = push(b, "--setenv")) < 0)
                return r;
        return push_joined(b, name, "=", nc_script_var(b->env, name));
}

/* --capability="${concatStringsSep "," cfg.additionalCapabilities}" when non-empty,
 * where cfg is containerConfig: enableTun appends CAP_NET_ADMIN
 * (additionalCapabilities = cfg.additionalCapabilities ++ [ "CAP_NET_ADMIN" ]). */
static int push_capabilities(builder *b) {
        const nc_container *c = b->container;
        _cleanup_(nc_strbuf_free) nc_strbuf text = { 0 };
        int r;

        if (!c || (c->additional_capabilities.n == 0 && !c->enable_tun))
                return 0;
        r = nc_strbuf_append(&text, "--capability=\"");
        for (size_t i = 0; r >= 0 && i < c->additional_capabilities.n; i++)
                r = nc_strbuf_append_many(&text, i ? "," : "", c->additional_capabilities.items[i], (const char *) NULL);
        if (r >= 0 && c->enable_tun)
                r = nc_strbuf_append(&text, c->additional_capabilities.n ? ",CAP_NET_ADMIN" : "CAP_NET_ADMIN");
        if (r >= 0)
                r = nc_strbuf_append_char(&text, '"');
        return r < 0 ? r : push_script_text(b, text.data);
}

/* --tmpfs=${concatStringsSep " --tmpfs=" cfg.tmpfs} when non-empty */
static int push_tmpfs(builder *b) {
        const nc_container *c = b->container;
        _cleanup_(nc_strbuf_free) nc_strbuf text = { 0 };
        int r = 0;

        if (!c || c->tmpfs.n == 0)
                return 0;
        for (size_t i = 0; r >= 0 && i < c->tmpfs.n; i++)
                r = nc_strbuf_append_many(&text, i ? " " : "", "--tmpfs=", c->tmpfs.items[i], (const char *) NULL);
        return r < 0 ? r : push_script_text(b, text.data);
}

static int build_exec_line(builder *b) {
        static const char *const fixed_words[] = {
                "--notify-ready=yes", "--kill-signal=SIGRTMIN+3", "--bind-ro=/nix/store",
                "--bind-ro=/nix/var/nix/db", "--bind-ro=/nix/var/nix/daemon-socket",
        };
        /* PRIVATE_USERS and LOCAL_MAC_ADDRESS only where the release declares
         * privateUsers (25.11) and localMacAddress (26.05). */
        const struct {
                const char *name;
                bool declared;
        } setenvs[] = {
                { "PRIVATE_NETWORK", true }, { "PRIVATE_USERS", b->private_users }, { "HOST_BRIDGE", true },
                { "HOST_ADDRESS", true }, { "LOCAL_ADDRESS", true }, { "HOST_ADDRESS6", true },
                { "LOCAL_ADDRESS6", true }, { "LOCAL_MAC_ADDRESS", b->local_mac_address }, { "HOST_PORT", true },
                { "PATH", true },
        };
        const nc_container *c = b->container;
        bool ephemeral = c && c->ephemeral;
        const char *system_path = nc_script_var(b->env, "SYSTEM_PATH");
        /* NIX_BIND_OPT=":idmap" for privateUsers "pick" or a number above 0 (25.11). */
        const char *idmap = b->release->flag_array && nc_private_users_map(nc_script_var(b->env, "PRIVATE_USERS"))
                ? ":idmap" : "";
        int r;

        if ((r = push(b, b->request->nspawn_path ? b->request->nspawn_path : "systemd-nspawn")) < 0 ||
            (r = push(b, "--keep-unit")) < 0 || (r = push(b, "-M")) < 0 || (r = push(b, nc_script_var(b->env, "INSTANCE"))) < 0 ||
            (r = push(b, "-D")) < 0 || (r = push(b, nc_script_var(b->env, "root"))) < 0)
                return r;
        if (b->release->flag_array) {
                /* "${extraFlags[@]}": each element one word. */
                if ((r = push_moved(b, &b->flag_words)) < 0)
                        return r;
        } else if ((r = push_split(b, b->extra_flags.data ? b->extra_flags.data : "")) < 0)
                /* $extraFlags and $EXTRA_NSPAWN_FLAGS are unquoted: bash splits them. */
                return r;
        if (!b->release->extra_nspawn_flags_last && (r = push_split(b, nc_script_var(b->env, "EXTRA_NSPAWN_FLAGS"))) < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(fixed_words); i++) {
                bool bind_ro = strncmp(fixed_words[i], "--bind-ro=", 10) == 0;
                /* 25.11: --bind-ro=/nix/store:/nix/store$NIX_BIND_OPT */
                r = b->release->flag_array && bind_ro ? push_joined4(b, fixed_words[i], ":", fixed_words[i] + 10, idmap)
                                                      : push(b, fixed_words[i]);
                if (r < 0)
                        return r;
        }
        /* --bind="/nix/var/nix/profiles/per-container/$INSTANCE:/nix/var/nix/profiles[$NIX_BIND_OPT]" */
        if ((r = push_joined4(b, "--bind=/nix/var/nix/profiles/per-container/", nc_script_var(b->env, "INSTANCE"),
                              ":/nix/var/nix/profiles", idmap)) < 0 ||
            (r = push_joined4(b, "--bind=/nix/var/nix/gcroots/per-container/", nc_script_var(b->env, "INSTANCE"),
                              ":/nix/var/nix/gcroots", idmap)) < 0)
                return r;
        /* ${optionalString (!cfg.ephemeral) "--link-journal=try-guest"} */
        if (!ephemeral && (r = push(b, "--link-journal=try-guest")) < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(setenvs); i++)
                if (setenvs[i].declared && (r = push_setenv(b, setenvs[i].name)) < 0)
                        return r;
        /* ${optionalString cfg.ephemeral "--ephemeral"} */
        if (ephemeral && (r = push(b, "--ephemeral")) < 0)
                return r;
        if ((r = push_capabilities(b)) < 0 || (r = push_tmpfs(b)) < 0)
                return r;
        /* ${EXTRA_NSPAWN_FLAGS-} just before the init (25.11): unquoted, split. */
        if (b->release->extra_nspawn_flags_last && (r = push_split(b, nc_script_var(b->env, "EXTRA_NSPAWN_FLAGS"))) < 0)
                return r;
        /* ${containerInit cfg} "${SYSTEM_PATH:-/nix/var/nix/profiles/system}/init" */
        if ((r = push(b, b->request->init_path ? b->request->init_path : NC_INIT_NAME)) < 0)
                return r;
        return push_joined(b, "", system_path[0] ? system_path : "/nix/var/nix/profiles/system", "/init");
}

int nc_argv_system_file(const nc_env *env, char **ret_path) {
        /* ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system */
        const char *system_path = nc_script_var(env, "SYSTEM_PATH");
        char *path;
        int n;

        if (system_path[0])
                n = asprintf(&path, "%s/system", system_path);
        else
                n = asprintf(&path, "/nix/var/nix/profiles/per-container/%s/system/system", nc_script_var(env, "INSTANCE"));
        if (n < 0)
                return -ENOMEM;
        *ret_path = path;
        return 0;
}

/* What a builder owns, freed when it goes out of scope. */
static void builder_done(builder *b) {
        nc_strbuf_free(&b->extra_flags);
        nc_strv_clear(&b->flag_words);
        nc_strv_clear(&b->argv);
}

int nc_build_argv(const nc_container *container, const nc_env *env, const nc_argv_request *request,
                  nc_strv *ret_argv, nc_error *error) {
        nc_argv_request defaults = { 0 };
        /* The script is rendered from containerConfig, which differs from
         * cfg only by enableTun's additions (the capability is added where
         * it is rendered; the allowed device is not on the exec line). */
        _cleanup_(builder_done) builder b = {
                .container = container, .release = nc_container_release(container), .env = env,
                .request = request ? request : &defaults, .error = error,
        };
        /* Room for the words of a usual exec line at once (35 to 40 for
         * the bench's containers), rather than growing 8, 16, 32, 64. */
        int r = NC_GROW(b.argv.items, b.argv.capacity, ARGV_FIRST, ARGV_FIRST);

        b.private_users = declares(&b, &nc_container_options, "privateUsers");
        b.local_mac_address = declares(&b, &nc_network_options, "localMacAddress");

        if (r >= 0 && b.release->flag_array)
                r = check_nounset(&b);
        if (r >= 0)
                r = b.release->flag_array ? build_flag_array(&b) : build_extra_flags(&b);

        if (r >= 0)
                r = build_exec_line(&b);
        if (r == -ENOMEM)
                return nc_error_set(error, r, "out of memory while building the argv");
        if (r < 0)
                return r;
        *ret_argv = TAKE_STRUCT(b.argv);
        return 0;
}

int nc_nspawn_environment(const nc_container *container, const nc_env *unit_env, const nc_argv_request *request,
                          nc_env **ret_env, nc_error *error) {
        nc_argv_request defaults = { 0 };
        _cleanup_(builder_done) builder b = {
                .container = container, .release = nc_container_release(container), .env = unit_env,
                .request = request ? request : &defaults, .error = error,
        };
        _cleanup_(nc_env_freep) nc_env *env = nc_env_new();
        int r = env ? 0 : -ENOMEM;

        /* The script runs with the unit's environment, all of it exported.
         * Before 25.11 it appends to `extraFlags` without initialising it:
         * one that came from the environment (an env file line) stays
         * exported, with the flags the script appended. From 25.11
         * `declare -a extraFlags` makes it an array, which bash does not
         * export. `export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1` (25.11). */
        for (size_t i = 0; r >= 0 && i < nc_env_count(unit_env); i++)
                if (!b.release->flag_array || strcmp(nc_env_name_at(unit_env, i), "extraFlags") != 0)
                        r = nc_env_set(env, nc_env_name_at(unit_env, i), nc_env_value_at(unit_env, i));
        if (r >= 0 && !b.release->flag_array && nc_env_get(unit_env, "extraFlags") && (r = build_extra_flags(&b)) >= 0)
                r = nc_env_set(env, "extraFlags", b.extra_flags.data ? b.extra_flags.data : "");
        if (r >= 0 && b.release->unified_hierarchy)
                r = nc_env_set(env, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
        if (r == -ENOMEM)
                return nc_error_set(error, r, "out of memory while building nspawn's environment");
        if (r < 0)
                return r;
        *ret_env = TAKE_PTR(env);
        return 0;
}
