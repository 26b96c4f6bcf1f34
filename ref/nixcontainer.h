/* libnixcontainer: the NixOS declarative container module (nixos-containers.nix,
 * 21.05) as a C library.
 *
 * Conventions, as the code keeps them:
 * - A function returns 0 (or a count) on success and a negative errno on
 *   failure; each one's comment lists every -errno it can return.
 * - Parameters come in this order: the inputs, then the outputs (named
 *   ret_*), then `nc_error *error` last, in the functions that can fail
 *   for a reason worth telling a user. `error` may be NULL; on failure it
 *   holds a one-line message naming what and where
 *   ("containers.web.hostAddress: ..."), unless the comment says otherwise.
 * - Outputs are written only on success. What a function returns through
 *   them belongs to the caller, who frees it as the comment says.
 * - A failing function leaves its arguments as they were, unless the
 *   comment says what it leaves changed.
 * - Every *_free() and nc_strv_clear() accepts NULL.
 * - Strings are NUL-terminated UTF-8 or bytes as given; lengths are in
 *   bytes, without the NUL.
 * - The library keeps no global state and never prints. */
#ifndef NIXCONTAINER_H
#define NIXCONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NC_ERROR_MAX 1024

typedef struct nc_error {
        char message[NC_ERROR_MAX]; /* NUL-terminated, cut to fit */
} nc_error;

/* ---- string vectors ---------------------------------------------------- */

/* A growable vector of n owned strings. Zero-initialise it ({ 0 }) before
 * the first push. Whenever items != NULL, items[n] == NULL, so `items` can
 * be handed to execv() as it is; an empty vector that never grew has
 * items == NULL. */
typedef struct nc_strv {
        char **items;
        size_t n;
        size_t capacity; /* of items, the terminating NULL included */
} nc_strv;

/* Appends a copy of the string `s`. Returns 0, or -ENOMEM with the items
 * unchanged (the array may have grown). */
int nc_strv_push(nc_strv *v, const char *s);
/* Appends a copy of the `len` bytes at `s` as one string (a NUL among them
 * cuts it short when read as a string). Returns 0, or -ENOMEM with the
 * items unchanged (the array may have grown). */
int nc_strv_push_len(nc_strv *v, const char *s, size_t len);
/* Frees every item and the array and leaves an empty vector ({ 0 }). */
void nc_strv_clear(nc_strv *v);

/* ---- environments ------------------------------------------------------ */

/* An ordered list of NAME=VALUE pairs. Setting an existing name replaces the
 * value in place (systemd's strv_env_replace keeps the first position). */
typedef struct nc_env nc_env;

/* An empty environment, freed with nc_env_free(); NULL when out of memory. */
nc_env *nc_env_new(void);
/* Frees the environment with its names and values. */
void nc_env_free(nc_env *env);
/* Sets `name` (non-empty, without '=') to a copy of the string `value`.
 * Returns 0; -EINVAL for a NULL env, name or value or a name that cannot
 * be one; -ENOMEM. On error the env is unchanged. */
int nc_env_set(nc_env *env, const char *name, const char *value);
/* nc_env_set() with the `value_len` bytes at `value`: -EINVAL too when
 * they hold a NUL byte. */
int nc_env_set_len(nc_env *env, const char *name, const char *value, size_t value_len);
/* The value of `name`, or NULL when it is unset (or env or name is NULL).
 * The string belongs to the env: valid until `name` is set again or the
 * env is freed. */
const char *nc_env_get(const nc_env *env, const char *name);
/* The number of entries (0 for NULL). */
size_t nc_env_count(const nc_env *env);
/* The name and value of entry `i` (0 .. count-1) in order of first
 * assignment, or NULL out of range; they belong to the env, as with
 * nc_env_get(). */
const char *nc_env_name_at(const nc_env *env, size_t i);
const char *nc_env_value_at(const nc_env *env, size_t i);
/* Copies every entry of `from` (may be NULL) into `env`; from's values win.
 * Returns 0; -EINVAL for a NULL env; -ENOMEM. All or nothing: on error the
 * env is unchanged. */
int nc_env_merge(nc_env *env, const nc_env *from);
/* Loads `environ`-style "NAME=VALUE" strings up to a NULL (the value is
 * what follows the first '='; entries without one or with an empty name
 * are skipped; environ_list may be NULL). Returns 0; -EINVAL for a NULL
 * env; -ENOMEM. All or nothing, as nc_env_merge(). */
int nc_env_load_environ(nc_env *env, char *const *environ_list);

/* Loads the `len` bytes at `text` as systemd v247-v252 EnvironmentFile=
 * does (src/basic/env-file.c, parse_env_file_internal()): assignments are
 * merged into `env`, later duplicates win, invalid names are dropped, an
 * assignment longer than ARG_MAX allows is dropped. Returns 0; -EINVAL for
 * a NULL env (or NULL text with len > 0) and for invalid UTF-8 in a key or
 * value, which fails the whole file; -EBADMSG when the text holds a NUL
 * byte; -ENOMEM. On error `env` is unchanged and `error` says why ("line
 * 3: invalid UTF-8 in value of A"). */
int nc_env_file_parse(nc_env *env, const char *text, size_t len, nc_error *error);
/* Reads the file at `path` (at most NC_ENV_FILE_MAX bytes) and parses it
 * as nc_env_file_parse() does. Returns what that returns; also -EINVAL for
 * a NULL path, -EFBIG for a larger file, and the -errno of open() or
 * read() (-ENOENT, -EACCES, -EISDIR, ...). On error `env` is unchanged and
 * the message starts with the path. */
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

/* Loads the `len` bytes at `text`, a JSON object {NAME: definition} as
 * builtins.toJSON writes the `containers` attribute set, checking types
 * and applying defaults as the module's submodule options do
 * (nixos-containers.nix, `options.containers`); in strict mode it also
 * refuses values that would break the env file or be split by the start
 * script. On success *ret_config is the caller's, freed with
 * nc_config_free(). Returns 0; -EINVAL for text that is not JSON (the
 * message gives line and column) or a definition the module or strict
 * mode refuses (the message names containers.NAME.OPTION); -EFBIG beyond
 * 64 MiB; -ENOMEM. */
int nc_config_load_json(const char *text, size_t len, nc_mode mode,
                        nc_config **ret_config, nc_error *error);
/* Reads the file at `path` and loads it as nc_config_load_json() does.
 * Returns what that returns (messages about the JSON start with the
 * path); also -EFBIG for a file over 64 MiB and the -errno of open() or
 * read() (-ENOENT, -EACCES, -EISDIR, ...). */
int nc_config_load_file(const char *path, nc_mode mode,
                        nc_config **ret_config, nc_error *error);
/* Frees a config and every container in it. */
void nc_config_free(nc_config *config);
/* The container called `name` (non-NULL), or NULL (also for a NULL
 * config); it belongs to the config. */
const nc_container *nc_config_find(const nc_config *config, const char *name);

/* The module's containerConfig: a copy of `container` to which enableTun
 * adds /dev/net/tun "rw" to allowedDevices and CAP_NET_ADMIN to
 * additionalCapabilities. On success *ret_effective is the caller's, freed
 * with nc_container_free(). Returns 0 or -ENOMEM. */
int nc_container_effective(const nc_container *container, nc_container **ret_effective);
/* Frees a container from nc_container_effective() (not one inside an
 * nc_config: nc_config_free() frees those). */
void nc_container_free(nc_container *container);

/* ---- renderers ---------------------------------------------------------- */

/* environment.etc."containers/NAME.conf".text, byte for byte. On success
 * *ret_text is a NUL-terminated string of *ret_len bytes (the NUL not
 * counted), the caller's, freed with free(). Returns 0 or -ENOMEM (or
 * -EINVAL should printf fail to format a port number). */
int nc_render_env_file(const nc_container *container, char **ret_text, size_t *ret_len);
/* networking.extraHosts for all containers ("ADDRESS NAME.containers\n"
 * for each with a localAddress), returned and owned as by
 * nc_render_env_file(). Returns 0 or -ENOMEM (or -EINVAL should printf
 * fail). */
int nc_render_hosts(const nc_config *config, char **ret_text, size_t *ret_len);

/* ---- the unit ----------------------------------------------------------- */

/* The environment the container@NAME unit gives its scripts
 * (systemd.services."container@"): `base` (the process environment, may be
 * NULL), then the unit's Environment= (root, INSTANCE = `name`), then the
 * `env_file_len` bytes of `env_file` (may be NULL) loaded on top as
 * EnvironmentFile= would (nc_env_file_parse()). `container` may be NULL
 * (the imperative container@ template). On success *ret_env is the
 * caller's, freed with nc_env_free(). Returns 0; -EINVAL or -EBADMSG for
 * an env file nc_env_file_parse() refuses (`error` says why); -ENOMEM. */
int nc_unit_environment(const nc_container *container, const char *name,
                        const nc_env *base, const char *env_file, size_t env_file_len,
                        nc_env **ret_env, nc_error *error);
/* The unit's root directory (environment.root): /var/lib/containers/NAME,
 * or /run/containers/NAME when ephemeral. On success *ret_root is the
 * caller's, freed with free(). Returns 0 or -ENOMEM. */
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

/* The file the start script reads to decide on --personality=x86:
 * ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system
 * in `env`. On success *ret_path is the caller's, freed with free().
 * Returns 0 or -ENOMEM. */
int nc_argv_system_file(const nc_env *env, char **ret_path);

/* The argv that the module's startScript hands to systemd-nspawn, given
 * the unit's environment `env`. `container` may be NULL (the imperative
 * template); `request` may be NULL (every default). In compat mode, values
 * are expanded as bash would (quotes, $VAR, word splitting; no pathname
 * expansion). On success *ret_argv (overwritten: pass an empty one) holds
 * the words, NULL-terminated (execv() can take ret_argv->items), the
 * caller's, freed with nc_strv_clear(). Returns 0; -ENOTSUP when bash
 * would read a value pasted into the script as shell syntax the library
 * does not reproduce (`error` names it); -ENOMEM. */
int nc_build_argv(const nc_container *container, const nc_env *env,
                  const nc_argv_request *request, nc_strv *ret_argv, nc_error *error);

/* ---- network setup over netlink --------------------------------------- */

/* A route netlink socket bound to the network namespace of the calling
 * thread when it was opened. All network functions act on that namespace. */
typedef struct nc_netlink nc_netlink;

/* Checks CAP_NET_ADMIN (libcap) and opens the socket, with extended ACK so
 * that kernel refusals carry the kernel's own text (iproute2's
 * rtnl_open()). On success *ret_netlink is the caller's, freed with
 * nc_netlink_free(). Returns 0; -EPERM without the capability; libcap's -errno
 * when the capabilities cannot be read; -ENOMEM; the failure of connecting the socket as
 * -errno (-EACCES, -EAFNOSUPPORT, -ENOBUFS, ...; -EIO for one libnl has no
 * errno for). */
int nc_netlink_open(nc_netlink **ret_netlink, nc_error *error);
/* Closes the socket. */
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
 * runs no `ip` at all when there is nothing to set up.
 *
 * nc_host_setup() and nc_init_setup() return 0; -ENOTSUP when a value would
 * reach `ip` as other than one word (nothing has been done then); -ENOMEM
 * (nothing done); nc_netlink_open()'s -errno when `netlink` is NULL (nothing
 * done); -ENODEV for a link that does not exist and -EINVAL for a value
 * `ip` would not parse as an address (iproute2's own message); or the
 * kernel's refusal of a step as -errno (-EEXIST, -EPERM, -ENETUNREACH,
 * -EADDRNOTAVAIL, ...; -EIO for one libnl has no errno for). After a
 * failing step, the steps before it stay done, as after the script. */

/* postStart (postStartScript): ve-$INSTANCE up, host addresses, routes to
 * the local addresses (when an address is set and HOST_BRIDGE is empty);
 * then each extra veth, into its bridge or up with addresses and routes. */
int nc_host_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error);

/* The network part of containerInit: host0 renamed to eth0 and up,
 * addresses, host and default routes; then each extra veth up with its
 * addresses and routes (no default route). */
int nc_init_setup(nc_netlink *netlink, const nc_container *container, const nc_env *env, nc_error *error);

typedef struct nc_prestart_request {
        bool skip_machinectl; /* do not run `machinectl terminate` */
} nc_prestart_request;

/* preStart (preStartScript): `machinectl terminate $INSTANCE` (best effort;
 * unless request->skip_machinectl; `request` may be NULL), then delete the
 * stale ve-/vb-$INSTANCE (when an address is set) and every extra veth,
 * ignoring errors as the script's `2> /dev/null || true` does, in one bulk
 * deletion. `netlink` may be NULL: a socket is opened if it can be (no
 * CAP_NET_ADMIN: nothing is deleted). Returns 0, or -ENOMEM before any
 * link was deleted (the machine may have been terminated). */
int nc_prestart(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                const nc_prestart_request *request, nc_error *error);

#ifdef __cplusplus
}
#endif

#endif
