/* The argv that the module's start script (startScript in
 * nixos-containers.nix) hands to systemd-nspawn.
 *
 * The script builds a string `extraFlags` and then runs
 *   exec .../systemd-nspawn --keep-unit -M "$INSTANCE" -D "$root" $extraFlags \
 *     $EXTRA_NSPAWN_FLAGS --notify-ready=yes ... <container-init> "${SYSTEM_PATH:-...}/init"
 * This file follows it step by step; each step quotes the line it mirrors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "shell-words.h"
#include "strbuf.h"

typedef struct builder {
        const nc_container *container; /* cfg (containerConfig without enableTun's additions), or NULL */
        const nc_env *env;
        const nc_argv_request *request;
        nc_strbuf extra_flags;
        nc_strv argv;
        bool ended; /* an unquoted newline in pasted text ended the exec line */
        nc_error *error;
} builder;

/* "$VAR" in the script: the unit's environment, empty when unset. */
static const char *var(const builder *b, const char *name) {
        const char *value = nc_env_get(b->env, name);
        return value ? value : "";
}

static bool set(const builder *b, const char *name) {
        return var(b, name)[0] != '\0';
}

static int push(builder *b, const char *word) {
        return b->ended ? 0 : nc_strv_push(&b->argv, word);
}

/* One word made of `prefix`, `value` and `suffix`. */
static int push_joined(builder *b, const char *prefix, const char *value, const char *suffix) {
        return b->ended ? 0 : nc_strv_push_concat(&b->argv, prefix, value, suffix, (const char *) NULL);
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

static int build_extra_flags(builder *b) {
        const nc_container *c = b->container;
        nc_strbuf *f = &b->extra_flags;
        int r = 0;

        /* `extraFlags` is not initialised: bash starts from the environment's. */
        if ((r = nc_strbuf_append(f, var(b, "extraFlags"))) < 0)
                return r;
        /* if [ "$PRIVATE_NETWORK" = 1 ]; then extraFlags+=" --private-network" */
        if (strcmp(var(b, "PRIVATE_NETWORK"), "1") == 0 && (r = nc_strbuf_append(f, " --private-network")) < 0)
                return r;
        /* if [ -n "$HOST_ADDRESS" ] || [ -n "$LOCAL_ADDRESS" ] ||
         *    [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then extraFlags+=" --network-veth" */
        if ((set(b, "HOST_ADDRESS") || set(b, "LOCAL_ADDRESS") || set(b, "HOST_ADDRESS6") ||
             set(b, "LOCAL_ADDRESS6")) &&
            (r = nc_strbuf_append(f, " --network-veth")) < 0)
                return r;
        /* IFS=","; for i in $HOST_PORT; do extraFlags+=" --port=$i"; done */
        if (set(b, "HOST_PORT")) {
                nc_strv ports = { 0 };
                r = nc_shell_split(var(b, "HOST_PORT"), ",", &ports);
                for (size_t i = 0; r >= 0 && i < ports.n; i++)
                        r = nc_strbuf_append_many(f, " --port=", ports.items[i], (const char *) NULL);
                nc_strv_clear(&ports);
                if (r < 0)
                        return r;
        }
        /* if [ -n "$HOST_BRIDGE" ]; then extraFlags+=" --network-bridge=$HOST_BRIDGE" */
        if (set(b, "HOST_BRIDGE") && (r = nc_strbuf_append_many(f, " --network-bridge=", var(b, "HOST_BRIDGE"), (const char *) NULL)) < 0)
                return r;
        /* extraFlags+=" ${concatStringsSep " " (mapAttrsToList nspawnExtraVethArgs cfg.extraVeths)}"
         * The names are script text inside double quotes; the result is
         * appended even when there are no extraVeths (a lone " "). */
        {
                nc_strbuf text = { 0 };
                nc_strv value = { 0 };
                bool ended = false;

                r = nc_strbuf_append(&text, "\" ");
                for (size_t i = 0; r >= 0 && c && i < c->n_extra_veths; i++)
                        r = nc_strbuf_append_many(&text, i ? " " : "", "--network-veth-extra=",
                                                  c->extra_veths[i].name, (const char *) NULL);
                if (r >= 0)
                        r = nc_strbuf_append_char(&text, '"');
                if (r >= 0)
                        r = nc_shell_parse_words(text.data, b->env, NC_SHELL_ASSIGNMENT, &value, &ended, b->error);
                if (r >= 0 && (ended || value.n != 1))
                        r = nc_error_set(b->error, -ENOTSUP,
                                         "the start script would not parse the extraVeths names as one value");
                if (r >= 0)
                        r = nc_strbuf_append(f, value.items[0]);
                nc_strv_clear(&value);
                nc_strbuf_free(&text);
                if (r < 0)
                        return r;
        }
        /* for iface in $INTERFACES; do extraFlags+=" --network-interface=$iface"; done
         * for iface in $MACVLANS; do extraFlags+=" --network-macvlan=$iface"; done */
        {
                static const char *const lists[][2] = {
                        { "INTERFACES", " --network-interface=" },
                        { "MACVLANS", " --network-macvlan=" },
                };
                for (size_t l = 0; l < 2; l++) {
                        nc_strv ifaces = { 0 };
                        r = nc_shell_split(var(b, lists[l][0]), NC_SHELL_DEFAULT_IFS, &ifaces);
                        for (size_t i = 0; r >= 0 && i < ifaces.n; i++)
                                r = nc_strbuf_append_many(f, lists[l][1], ifaces.items[i], (const char *) NULL);
                        nc_strv_clear(&ifaces);
                        if (r < 0)
                                return r;
                }
        }
        /* ${optionalString (config.nixpkgs.localSystem.system == "x86_64-linux") ''
         *   if [ "$(< ${SYSTEM_PATH:-...}/system)" = i686-linux ]; then
         *     extraFlags+=" --personality=x86" ''} */
        if (strcmp(b->request->host_system ? b->request->host_system : "x86_64-linux", "x86_64-linux") == 0 &&
            b->request->guest_system && strcmp(b->request->guest_system, "i686-linux") == 0)
                r = nc_strbuf_append(f, " --personality=x86");
        return r;
}

static int push_setenv(builder *b, const char *name) {
        int r;

        /* --setenv NAME="$NAME": two words, the second even when empty. */
        if ((r = push(b, "--setenv")) < 0)
                return r;
        return push_joined(b, name, "=", var(b, name));
}

static int build_exec_line(builder *b) {
        const nc_container *c = b->container;
        bool ephemeral = c && c->ephemeral;
        const char *system_path;
        int r;

        if ((r = push(b, b->request->nspawn_path ? b->request->nspawn_path : "systemd-nspawn")) < 0 ||
            (r = push(b, "--keep-unit")) < 0 || (r = push(b, "-M")) < 0 || (r = push(b, var(b, "INSTANCE"))) < 0 ||
            (r = push(b, "-D")) < 0 || (r = push(b, var(b, "root"))) < 0)
                return r;
        /* $extraFlags and $EXTRA_NSPAWN_FLAGS are unquoted: bash splits them. */
        if ((r = push_split(b, b->extra_flags.data ? b->extra_flags.data : "")) < 0 ||
            (r = push_split(b, var(b, "EXTRA_NSPAWN_FLAGS"))) < 0)
                return r;
        if ((r = push(b, "--notify-ready=yes")) < 0 || (r = push(b, "--kill-signal=SIGRTMIN+3")) < 0 ||
            (r = push(b, "--bind-ro=/nix/store")) < 0 || (r = push(b, "--bind-ro=/nix/var/nix/db")) < 0 ||
            (r = push(b, "--bind-ro=/nix/var/nix/daemon-socket")) < 0)
                return r;
        /* --bind="/nix/var/nix/profiles/per-container/$INSTANCE:/nix/var/nix/profiles" */
        if ((r = push_joined(b, "--bind=/nix/var/nix/profiles/per-container/", var(b, "INSTANCE"),
                             ":/nix/var/nix/profiles")) < 0 ||
            (r = push_joined(b, "--bind=/nix/var/nix/gcroots/per-container/", var(b, "INSTANCE"),
                             ":/nix/var/nix/gcroots")) < 0)
                return r;
        /* ${optionalString (!cfg.ephemeral) "--link-journal=try-guest"} */
        if (!ephemeral && (r = push(b, "--link-journal=try-guest")) < 0)
                return r;
        static const char *const setenv_names[] = {
                "PRIVATE_NETWORK", "HOST_BRIDGE", "HOST_ADDRESS", "LOCAL_ADDRESS",
                "HOST_ADDRESS6", "LOCAL_ADDRESS6", "HOST_PORT", "PATH",
        };
        for (size_t i = 0; i < sizeof setenv_names / sizeof setenv_names[0]; i++)
                if ((r = push_setenv(b, setenv_names[i])) < 0)
                        return r;
        /* ${optionalString cfg.ephemeral "--ephemeral"} */
        if (ephemeral && (r = push(b, "--ephemeral")) < 0)
                return r;
        /* --capability="${concatStringsSep "," cfg.additionalCapabilities}" when non-empty,
         * where cfg is containerConfig: enableTun appends CAP_NET_ADMIN
         * (additionalCapabilities = cfg.additionalCapabilities ++ [ "CAP_NET_ADMIN" ]). */
        if (c && (c->additional_capabilities.n > 0 || c->enable_tun)) {
                nc_strbuf text = { 0 };
                r = nc_strbuf_append(&text, "--capability=\"");
                for (size_t i = 0; r >= 0 && i < c->additional_capabilities.n; i++)
                        r = nc_strbuf_append_many(&text, i ? "," : "", c->additional_capabilities.items[i], (const char *) NULL);
                if (r >= 0 && c->enable_tun)
                        r = nc_strbuf_append(&text, c->additional_capabilities.n ? ",CAP_NET_ADMIN" : "CAP_NET_ADMIN");
                if (r >= 0 && (r = nc_strbuf_append_char(&text, '"')) >= 0)
                        r = push_script_text(b, text.data);
                nc_strbuf_free(&text);
                if (r < 0)
                        return r;
        }
        /* --tmpfs=${concatStringsSep " --tmpfs=" cfg.tmpfs} when non-empty */
        if (c && c->tmpfs.n > 0) {
                nc_strbuf text = { 0 };
                r = 0;
                for (size_t i = 0; r >= 0 && i < c->tmpfs.n; i++)
                        r = nc_strbuf_append_many(&text, i ? " " : "", "--tmpfs=", c->tmpfs.items[i], (const char *) NULL);
                if (r >= 0)
                        r = push_script_text(b, text.data);
                nc_strbuf_free(&text);
                if (r < 0)
                        return r;
        }
        /* ${containerInit cfg} "${SYSTEM_PATH:-/nix/var/nix/profiles/system}/init" */
        if ((r = push(b, b->request->init_path ? b->request->init_path : NC_DEFAULT_INIT_PATH)) < 0)
                return r;
        system_path = set(b, "SYSTEM_PATH") ? var(b, "SYSTEM_PATH") : "/nix/var/nix/profiles/system";
        return push_joined(b, "", system_path, "/init");
}

int nc_argv_system_file(const nc_env *env, char **ret_path) {
        /* ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system */
        const char *system_path = nc_env_get(env, "SYSTEM_PATH");
        const char *instance = nc_env_get(env, "INSTANCE");
        char *path;
        int n;

        if (system_path && system_path[0])
                n = asprintf(&path, "%s/system", system_path);
        else
                n = asprintf(&path, "/nix/var/nix/profiles/per-container/%s/system/system", instance ? instance : "");
        if (n < 0)
                return -ENOMEM;
        *ret_path = path;
        return 0;
}

int nc_build_argv(const nc_container *container, const nc_env *env, const nc_argv_request *request,
                  nc_strv *ret_argv, nc_error *error) {
        nc_argv_request defaults = { 0 };
        /* The script is rendered from containerConfig, which differs from
         * cfg only by enableTun's additions (the capability is added where
         * it is rendered; the allowed device is not on the exec line). */
        builder b = { .container = container, .env = env, .request = request ? request : &defaults, .error = error };
        int r = build_extra_flags(&b);

        if (r >= 0)
                r = build_exec_line(&b);
        nc_strbuf_free(&b.extra_flags);
        if (r < 0) {
                if (r == -ENOMEM)
                        nc_error_set(error, r, "out of memory while building the argv");
                nc_strv_clear(&b.argv);
                return r;
        }
        *ret_argv = b.argv;
        return 0;
}
