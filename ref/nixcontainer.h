/* libnixcontainer: the NixOS declarative container module (nixos-containers.nix,
 * 21.05) as a C library.
 *
 * Conventions: functions return 0 (or a positive count) on success and a
 * negative errno on failure. Functions that can fail for a reason worth
 * telling a user take a `nc_error *` last-but-outputs; on failure it holds a
 * one-line message naming what and where ("containers.web.hostAddress: ...").
 * Output parameters are named ret_*, come last, and are written only on
 * success. Every *_free() accepts NULL. The library keeps no global state. */
#ifndef NIXCONTAINER_H
#define NIXCONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NC_ERROR_MAX 1024

typedef struct nc_error {
        char message[NC_ERROR_MAX];
} nc_error;

/* ---- string vectors ---------------------------------------------------- */

typedef struct nc_strv {
        char **items;
        size_t n;
        size_t capacity;
} nc_strv;

int nc_strv_push(nc_strv *v, const char *s);
int nc_strv_push_len(nc_strv *v, const char *s, size_t len);
void nc_strv_clear(nc_strv *v);

/* ---- environments ------------------------------------------------------ */

/* An ordered list of NAME=VALUE pairs. Setting an existing name replaces the
 * value in place (systemd's strv_env_replace keeps the first position). */
typedef struct nc_env nc_env;

nc_env *nc_env_new(void);
void nc_env_free(nc_env *env);
/* On error, returns -ENOMEM and changes nothing. */
int nc_env_set(nc_env *env, const char *name, const char *value);
int nc_env_set_len(nc_env *env, const char *name, const char *value, size_t value_len);
/* Returns NULL when unset. */
const char *nc_env_get(const nc_env *env, const char *name);
size_t nc_env_count(const nc_env *env);
const char *nc_env_name_at(const nc_env *env, size_t i);
const char *nc_env_value_at(const nc_env *env, size_t i);
/* Copies every entry of `from` into `env` (later wins). */
int nc_env_merge(nc_env *env, const nc_env *from);
/* Loads `environ`-style "NAME=VALUE" strings. */
int nc_env_load_environ(nc_env *env, char *const *environ_list);

/* Loads an env file as systemd v247-v252 EnvironmentFile= does
 * (src/basic/env-file.c): assignments are merged into `env`, later
 * duplicates win, invalid names are dropped. Invalid UTF-8 fails the whole
 * file with -EINVAL. On error, `env` is unchanged. */
int nc_env_file_parse(nc_env *env, const char *text, size_t len, nc_error *error);
/* Reads and parses a file; -ENOENT etc. when it cannot be read, -EFBIG past
 * NC_ENV_FILE_MAX bytes. */
#define NC_ENV_FILE_MAX (4u * 1024u * 1024u)
int nc_env_file_load(nc_env *env, const char *path, nc_error *error);

/* ---- configuration model ----------------------------------------------- */

typedef struct nc_forward_port {
        char *protocol;          /* default "tcp" */
        long long host_port;
        bool has_container_port; /* containerPort != null */
        long long container_port;
} nc_forward_port;

/* The module's networkOptions, shared by a container and its extraVeths. */
typedef struct nc_network {
        char *host_bridge;    /* NULL = null */
        nc_forward_port *forward_ports;
        size_t n_forward_ports;
        char *host_address;
        char *host_address6;
        char *local_address;
        char *local_address6;
} nc_network;

typedef struct nc_extra_veth {
        char *name;
        nc_network network;
} nc_extra_veth;

typedef struct nc_bind_mount {
        char *name;        /* the attribute name */
        char *mount_point; /* default: the attribute name */
        char *host_path;   /* NULL = null */
        bool is_read_only; /* default true */
} nc_bind_mount;

typedef struct nc_allowed_device {
        char *node;
        char *modifier;
} nc_allowed_device;

typedef struct nc_container {
        char *name;
        char *path;
        nc_strv additional_capabilities;
        char *nixpkgs; /* accepted, unused; NULL when not given */
        bool ephemeral;
        bool enable_tun;
        bool private_network;
        nc_strv interfaces;
        nc_strv macvlans;
        nc_extra_veth *extra_veths; /* sorted by name, as attrNames are */
        size_t n_extra_veths;
        bool auto_start;
        char *timeout_start_sec; /* default "1min" */
        nc_bind_mount *bind_mounts; /* sorted by attribute name */
        size_t n_bind_mounts;
        nc_allowed_device *allowed_devices;
        size_t n_allowed_devices;
        nc_strv tmpfs;
        nc_strv extra_flags;
        nc_network network;
        bool has_config; /* `config` was given (it is ignored) */
} nc_container;

typedef struct nc_config {
        nc_container *containers; /* sorted by name */
        size_t n_containers;
} nc_config;

typedef enum nc_mode {
        /* Refuse values that the original would reinterpret. */
        NC_MODE_STRICT = 0,
        /* Reproduce the original byte for byte, quirks included. */
        NC_MODE_COMPAT = 1,
} nc_mode;

/* Loads a JSON object {NAME: definition} as builtins.toJSON writes the
 * `containers` attribute set. Checks types as the module does and, in
 * strict mode, refuses values that would break the env file or be split
 * by the start script. -EINVAL with a message naming containers.NAME.OPTION
 * on bad input. */
int nc_config_load_json(const char *text, size_t len, nc_mode mode,
                        nc_config **ret_config, nc_error *error);
int nc_config_load_file(const char *path, nc_mode mode,
                        nc_config **ret_config, nc_error *error);
void nc_config_free(nc_config *config);
const nc_container *nc_config_find(const nc_config *config, const char *name);

/* The module's containerConfig: enableTun adds /dev/net/tun "rw" to
 * allowedDevices and CAP_NET_ADMIN to additionalCapabilities. */
int nc_container_effective(const nc_container *container, nc_container **ret_effective);
void nc_container_free(nc_container *container);

/* ---- renderers ---------------------------------------------------------- */

/* environment.etc."containers/NAME.conf".text, byte for byte. The result
 * is NUL-terminated; *ret_len excludes the NUL. */
int nc_render_env_file(const nc_container *container, char **ret_text, size_t *ret_len);
/* networking.extraHosts for all containers. */
int nc_render_hosts(const nc_config *config, char **ret_text, size_t *ret_len);

/* ---- the unit ----------------------------------------------------------- */

/* The environment the unit gives its scripts: `base` (the process
 * environment), then the unit's Environment= (root, INSTANCE), then the env
 * file text loaded on top as EnvironmentFile= would. `container` may be NULL
 * (the imperative container@ template). `env_file` may be NULL. */
int nc_unit_environment(const nc_container *container, const char *name,
                        const nc_env *base, const char *env_file, size_t env_file_len,
                        nc_env **ret_env, nc_error *error);
/* The unit's root directory: /var/lib/containers/NAME, or /run/containers/NAME
 * when ephemeral. */
int nc_unit_root(const nc_container *container, const char *name, char **ret_root);

typedef struct nc_argv_request {
        const char *nspawn_path;  /* argv[0]; default "systemd-nspawn" */
        const char *init_path;    /* the container-init; default NC_DEFAULT_INIT_PATH */
        const char *host_system;  /* default "x86_64-linux" */
        /* Content of ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system
         * as `$(< file)` reads it, or NULL when it cannot be read. */
        const char *guest_system;
        nc_mode mode;
} nc_argv_request;

/* Where `make install` puts nixcontainer-init (LIBEXECDIR). */
#ifndef NC_DEFAULT_INIT_PATH
#define NC_DEFAULT_INIT_PATH "/usr/local/libexec/nixcontainer-init"
#endif

/* The file the start script reads to decide on --personality=x86; returns
 * a newly allocated path. */
int nc_argv_system_file(const nc_env *env, char **ret_path);

/* The argv that the module's start script hands to systemd-nspawn, given
 * the unit's environment. `container` may be NULL (imperative template).
 * In compat mode, values are expanded as bash would (quotes, $VAR, word
 * splitting; no pathname expansion). */
int nc_build_argv(const nc_container *container, const nc_env *env,
                  const nc_argv_request *request, nc_strv *ret_argv, nc_error *error);

/* ---- network setup over netlink --------------------------------------- */

/* A route netlink socket bound to the network namespace of the calling
 * thread when it was opened. All network functions act on that namespace. */
typedef struct nc_netlink nc_netlink;

/* Checks CAP_NET_ADMIN (libcap) and opens the socket, with extended ACK so
 * that kernel refusals carry the kernel's own text. -EPERM without the
 * capability. */
int nc_netlink_open(nc_netlink **ret_netlink, nc_error *error);
void nc_netlink_free(nc_netlink *netlink);

/* The three network parts of the unit, each as the module's script does it,
 * step by step, stopping at the first failing step as `bash -e` does. On
 * failure the message is "STEP: KERNEL TEXT", where STEP is the iproute2
 * command the step mirrors, as the script's xtrace would show it
 * ("ip route add 192.168.0.100/24 dev ve-web"). `container` may be NULL
 * (the imperative template: everything from `env`); `env` is the unit's
 * environment (postStart, preStart) or the container's (container-init, as
 * nspawn's --setenv passes it). `netlink` may be NULL: a socket is then
 * opened (CAP_NET_ADMIN checked) only if a step needs one, as the script
 * runs no `ip` at all when there is nothing to set up. */

/* postStart: ve-$INSTANCE up, host addresses, routes to the local
 * addresses (when an address is set and HOST_BRIDGE is empty); then each
 * extra veth, into its bridge or up with addresses and routes. */
int nc_host_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error);

/* The network part of containerInit: host0 renamed to eth0 and up,
 * addresses, host and default routes; then each extra veth up with its
 * addresses and routes (no default route). */
int nc_init_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error);

typedef struct nc_prestart_request {
        bool skip_machinectl; /* do not run `machinectl terminate` */
} nc_prestart_request;

/* preStart: `machinectl terminate` (best effort), then delete the stale
 * ve-/vb-$INSTANCE (when an address is set) and every extra veth, ignoring
 * errors as the script does, in one bulk deletion. `netlink` may be NULL. */
int nc_prestart(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                const nc_prestart_request *request, nc_error *error);

#ifdef __cplusplus
}
#endif

#endif
