/* libnixcontainer: the NixOS declarative container module (nixos-containers.nix)
 * as a C library, for each release it follows (nc_release_name()).
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

/* The project's version: the one place it is written (the Makefile, the
 * pkg-config file and NEWS.md read it from here). */
#define NC_VERSION_MAJOR 1
#define NC_VERSION_MINOR 0
#define NC_VERSION_PATCH 0
#define NC_VERSION "1.0.0"

/* The version of the library actually loaded ("1.0.0"), which may differ
 * from the NC_VERSION a caller compiled against. The string is static. */
const char *nc_version(void);

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

/* ---- releases ----------------------------------------------------------- */

/* The release the library follows when none is given: the seed module. */
#define NC_RELEASE_DEFAULT "21.05"
/* The host's system.stateVersion when none is given. */
#define NC_STATE_VERSION_DEFAULT "21.05"

/* The releases of nixos-containers.nix the library follows, oldest first:
 * the name of release `i` ("21.05", "22.11", "25.11", "26.05"), or NULL
 * when i is past the last. The string is static. */
const char *nc_release_name(size_t i);

/* ---- configuration model ----------------------------------------------- */

/* The model is opaque, so that each release's new options can be added
 * without changing the layout of anything a caller compiled against: a
 * caller reads it through the functions below and the renderers. */

/* The `containers` attribute set of one host, at one release and host
 * stateVersion; freed with nc_config_free(). */
typedef struct nc_config nc_config;
/* One container definition (containers.NAME), with the module's defaults
 * applied; it belongs to its nc_config (or, from nc_container_effective(),
 * to the caller). */
typedef struct nc_container nc_container;

typedef enum nc_mode {
        /* Refuse values that the original would reinterpret. */
        NC_MODE_STRICT = 0,
        /* Reproduce the original byte for byte, quirks included. */
        NC_MODE_COMPAT = 1,
} nc_mode;

/* Loads the `len` bytes at `text`: either the export format
 *   {"format": "nixcontainer-containers/1", "release": R, "stateVersion": V,
 *    "containers": {NAME: definition}}
 * (ref/nix/export-containers.nix writes it from a host's config), or a
 * bare {NAME: definition} object as builtins.toJSON writes the
 * `containers` attribute set. Types are checked and defaults applied as
 * the submodule options of `release` do (nixos-containers.nix,
 * `options.containers`): an option that release does not declare is
 * refused as the module refuses it; in strict mode values that would break
 * the env file or be split by the start script are refused too.
 * The export format may also hold "enableContainers" (the host's
 * boot.enableContainers; default: the release's default).
 * `release` ("25.11") and `state_version` (the host's system.stateVersion,
 * "22.05") override the file's; NULL: the file's, else NC_RELEASE_DEFAULT
 * and NC_STATE_VERSION_DEFAULT. On success *ret_config is the caller's,
 * freed with nc_config_free(). Returns 0; -EINVAL for text that is not
 * JSON (the message gives line and column), an unknown release or format,
 * a stateVersion compareVersions cannot read, or a definition the module
 * or strict mode refuses (the message names containers.NAME.OPTION);
 * -EFBIG beyond 64 MiB; -ENOMEM. */
int nc_config_load_json(const char *text, size_t len, nc_mode mode, const char *release,
                        const char *state_version, nc_config **ret_config, nc_error *error);
/* Reads the file at `path` ("-": standard input) and loads it as
 * nc_config_load_json() does: on success *ret_config is the caller's,
 * freed with nc_config_free(). Returns what that returns (messages about
 * the JSON start with the path); also -EFBIG for a file over 64 MiB and
 * the -errno of open() or read() (-ENOENT, -EACCES, -EISDIR, ...). */
int nc_config_load_file(const char *path, nc_mode mode, const char *release, const char *state_version,
                        nc_config **ret_config, nc_error *error);
/* Flags of nc_config_load_json_flags() and nc_config_load_file_flags(). */
enum {
        /* Strict mode: a container that strict mode refuses (a name
         * systemd-machined would refuse, or a value the module accepts and
         * strict mode refuses: an address, a glob, a time span, ...) does
         * not refuse the whole config. It is loaded, its first refusal kept
         * (nc_container_refusal()), so that only what touches it fails; the
         * module, too, would fail or misbehave with only that container.
         * The module's own refusals (a type error, an unknown option, an
         * assertion) and an empty name still refuse the config. */
        NC_LOAD_KEEP_REFUSED = 1 << 0,
};
/* nc_config_load_json() and nc_config_load_file() with `flags` (NC_LOAD_*;
 * 0: as they load). Return what they return; *ret_config as there. */
int nc_config_load_json_flags(const char *text, size_t len, nc_mode mode, unsigned flags, const char *release,
                              const char *state_version, nc_config **ret_config, nc_error *error);
int nc_config_load_file_flags(const char *path, nc_mode mode, unsigned flags, const char *release,
                              const char *state_version, nc_config **ret_config, nc_error *error);
/* Frees a config and every container in it. */
void nc_config_free(nc_config *config);
/* The release ("25.11") and host stateVersion the config was loaded at;
 * static or owned by the config. */
const char *nc_config_release(const nc_config *config);
const char *nc_config_state_version(const nc_config *config);
/* The number of containers, and container `i` of them (sorted by name, as
 * attrNames are), or NULL out of range; it belongs to the config. */
size_t nc_config_count(const nc_config *config);
const nc_container *nc_config_at(const nc_config *config, size_t i);
/* The container called `name` (non-NULL), or NULL (also for a NULL
 * config, and when boot.enableContainers is false: the host then has no
 * container@NAME unit); it belongs to the config. */
const nc_container *nc_config_find(const nc_config *config, const char *name);
/* The generic container@ template of the config's release (the module's
 * dummyConfig, used by imperative containers): pass it where a function
 * takes a container and the unit is an imperative one. It belongs to the
 * config; its name is NULL. NULL when the host has no container@ unit:
 * boot.enableContainers is false (the export's "enableContainers"; from
 * 25.11 it defaults to false on a host without declarative containers).
 * Passing NULL to a function that takes a container means the template of
 * NC_RELEASE_DEFAULT at NC_STATE_VERSION_DEFAULT. */
const nc_container *nc_config_template(const nc_config *config);
/* containers.NAME's NAME, or NULL for a template; it belongs to the
 * container. */
const char *nc_container_name(const nc_container *container);
/* Why strict mode refuses the container ("containers.web_1: \"web_1\" is
 * not a valid machine name ..."), kept by NC_LOAD_KEEP_REFUSED; NULL when
 * it is not refused (also for NULL). It belongs to the container; a
 * command on a refused container should fail with it. */
const char *nc_container_refusal(const nc_container *container);
/* In --compat, what the container's values do that the library does not
 * reproduce though it accepts them: the first value the start script
 * expands unquoted that holds a glob character (bash would expand it to the
 * names of matching files; --compat passes it as written). NULL: none (also
 * for NULL, and in strict mode, which refuses such values). It belongs to
 * the container. */
const char *nc_container_compat_note(const nc_container *container);

/* The module's containerConfig: a copy of `container` to which enableTun
 * adds /dev/net/tun to allowedDevices ("rw", or "rwm" from 25.11; also for
 * privateUsers "pick" or a number with privateNetwork) and CAP_NET_ADMIN
 * to additionalCapabilities. On success *ret_effective is the caller's,
 * freed with nc_container_free(). Returns 0 or -ENOMEM. */
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
 * for each with a localAddress and no refusal, nc_container_refusal()), returned and owned as by
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
 * or /run/containers/NAME when ephemeral (from 22.11: /var/lib/nixos-containers/NAME
 * on a host whose stateVersion is 22.05 or later, and
 * /run/nixos-containers/NAME when ephemeral, whatever the stateVersion).
 * On success *ret_root is the caller's, freed with free(). Returns 0 or
 * -ENOMEM. */
int nc_unit_root(const nc_container *container, const char *name, char **ret_root);
/* The env file the unit reads (EnvironmentFile=-${configurationDirectory}/%i.conf):
 * /etc/containers/NAME.conf, or /etc/nixos-containers/NAME.conf from 22.11
 * on a host whose stateVersion is 22.05 or later. Returned and owned as by
 * nc_unit_root(). Returns 0 or -ENOMEM. */
int nc_unit_env_file_path(const nc_container *container, const char *name, char **ret_path);

/* What the unit's properties hold where the value is a store path of the
 * host's packages, which the library cannot know: pkgs.iproute2 and
 * config.nix.package in `path`. The env file's store path in
 * restartTriggers (environment.etc."containers/NAME.conf".source) is
 * "@etc/containers/NAME.conf@" (or "@etc/nixos-containers/NAME.conf@",
 * as nc_unit_env_file_path() says). Each is to be replaced by the store
 * path as a whole. */
#define NC_UNIT_IPROUTE2 "@pkgs.iproute2@"
#define NC_UNIT_NIX_PACKAGE "@config.nix.package@"

/* The properties the module sets on systemd.services."container@NAME",
 * as JSON in the shape `jq -S` prints them (keys sorted, two spaces a
 * level, a final newline): the goldens' NAME.service.json. The scripts
 * (preStart, script, postStart) and serviceConfig.ExecReload (a script's
 * store path) are left out. The keys, following nixos-containers.nix:
 * - `unit` (the container@ template): description "Container '%i'",
 *   environment { INSTANCE = "%i"; root = "${stateDirectory}/%i"; },
 *   path [ NC_UNIT_IPROUTE2 ] (from 25.11 also NC_UNIT_NIX_PACKAGE),
 *   enableStrictShellChecks true (25.11 and later only),
 *   restartIfChanged false, unitConfig.RequiresMountsFor
 *   "${stateDirectory}/%i" (a string), serviceConfig (serviceDirectives
 *   dummyConfig: Delegate, DeviceAllow, DevicePolicy, EnvironmentFile,
 *   KillMode, KillSignal, Restart, RestartForceExitStatus,
 *   RuntimeDirectory, Slice, SuccessExitStatus, SyslogIdentifier,
 *   TimeoutStartSec, Type); after, restartTriggers, wantedBy and wants are
 *   [], as NixOS's systemd module defaults them.
 * - a declarative container (`recursiveUpdate unit { ... }`):
 *   serviceDirectives of containerConfig (nc_container_effective():
 *   DeviceAllow "NODE MODIFIER" with /dev/net/tun for enableTun;
 *   RuntimeDirectory [ "${configurationDirectoryName}/%i" ] when
 *   ephemeral), environment.root "/run/containers/%i" when ephemeral
 *   (from 22.11 "/run/nixos-containers/%i"), unitConfig.RequiresMountsFor
 *   a list: the state directory unless ephemeral, then (25.11 and later)
 *   each bindMount's hostPath, or its mountPoint, in attribute order.
 * - with autoStart: wantedBy [ "machines.target" ], wants and after
 *   [ "network.target" ] and, from 25.11, one
 *   "sys-subsystem-net-devices-IF.device" for each of `interfaces` (26.05:
 *   IF escaped as utils.escapeSystemdPath escapes it, "eth\x2dlan"),
 *   restartTriggers [ path, "@etc/containers/NAME.conf@" ],
 *   restartIfChanged true (from 25.11: the option restartIfChanged).
 * Strings keep systemd's specifier "%i" as the module writes it, and are
 * escaped as jq escapes them (\n, \", \u007f, ...).
 * `container` is one of a config's containers, or its template
 * (nc_config_template()) for the container@ unit; NULL: the template of
 * NC_RELEASE_DEFAULT at NC_STATE_VERSION_DEFAULT. `name` is the NAME of
 * the env file in restartTriggers; NULL: the container's own name (the
 * template has none and needs none). On success *ret_json is a
 * NUL-terminated string of *ret_len bytes (the NUL not counted), the
 * caller's, freed with free(). Returns 0 or -ENOMEM. */
int nc_render_unit(const nc_container *container, const char *name, char **ret_json, size_t *ret_len);

typedef struct nc_argv_request {
        const char *nspawn_path;  /* argv[0]; default "systemd-nspawn" */
        /* The container-init (the second-to-last argument); default
         * NC_INIT_NAME. The library does not know where nixcontainer-init is
         * installed: that is decided by `make install`, after the build. A
         * caller names it (the CLI finds it next to itself, nixcontainer(1)). */
        const char *init_path;
        const char *host_system;  /* default "x86_64-linux" */
        /* Content of ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system
         * as `$(< file)` reads it, or NULL when it cannot be read. */
        const char *guest_system;
        nc_mode mode;
} nc_argv_request;

/* The init_path of a request that names none: a bare name, which
 * systemd-nspawn looks up in the container's PATH. */
#define NC_INIT_NAME "nixcontainer-init"

/* The environment the start script execs systemd-nspawn with, given the
 * unit's environment `unit_env` (nc_unit_environment()), all of which the
 * script inherits exported: before 25.11 an `extraFlags` from it holds the
 * flags the script appended to it (`request` as for nc_build_argv(); may
 * be NULL); from 25.11 it is an array, which bash does not export, and
 * SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 is exported. On success *ret_env is
 * the caller's, freed with nc_env_free(). Returns 0; -ENOTSUP as
 * nc_build_argv() for extraVeths names bash would not parse; -ENOMEM. */
int nc_nspawn_environment(const nc_container *container, const nc_env *unit_env, const nc_argv_request *request,
                          nc_env **ret_env, nc_error *error);

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
 * caller's, freed with nc_strv_clear(). Returns 0; -ENODATA when the
 * release's start script, run under nounset (25.11 and later), would stop
 * at a variable the environment lacks (`error` names it; the unit fails
 * to start); -ENOTSUP when bash
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
 * done); -ENODEV for a link that does not exist; -EINVAL for a value
 * `ip` would not parse as an address (iproute2's own message) and for a
 * step the kernel refuses as not supported (EOPNOTSUPP, e.g. an extra
 * veth's hostBridge that is no bridge: as -EOPNOTSUPP it would read as
 * -ENOTSUP, which means nothing was done); or the
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
        /* NC_MODE_STRICT (the default) deletes only links of kind veth;
         * NC_MODE_COMPAT deletes every link with a listed name, as the
         * script's `ip link del dev NAME` does. */
        nc_mode mode;
        /* Called, when set, for each link that has a listed name and was
         * left in place: `reason` says why (strict: not a veth; either mode:
         * the kernel refused the deletion). Both strings live for the call. */
        void (*skipped)(const char *name, const char *reason, void *userdata);
        void *userdata;
} nc_prestart_request;

/* preStart (preStartScript): `machinectl terminate $INSTANCE` (best effort;
 * unless request->skip_machinectl; `request` may be NULL: strict, nothing
 * reported), then delete the stale ve-/vb-$INSTANCE (when an address is set)
 * and every extra veth, ignoring errors as the script's `2> /dev/null ||
 * true` does. Several veths are deleted in one batch that the kernel
 * carries out within one system call: moved into a device group no link
 * uses, the group deleted, each moved back to its own group (a no-op for a
 * veth that is gone). No link is left changed that was not deleted,
 * whatever fails and wherever the process is killed. `netlink` may be
 * NULL: a socket is opened if it can be (no CAP_NET_ADMIN: nothing is
 * deleted). Returns 0, or -ENOMEM before any link was deleted (the machine
 * may have been terminated). */
int nc_prestart(nc_netlink *netlink, const nc_container *container, const nc_env *env,
                const nc_prestart_request *request, nc_error *error);

/* ---- check: configurations that cannot work --------------------------- */

/* What nc_config_check() finds. The names (nc_check_kind_name()) are
 * stable: `nixcontainer check --json` prints them. */
typedef enum nc_check_kind {
        /* "extra-veth-shared": two containers define the same extraVeth
         * (renderExtraVeth's `ip link del dev NAME` in each preStart). */
        NC_CHECK_EXTRA_VETH_SHARED,
        /* "extra-veth-name": an extraVeth named eth0 or lo, or like a veth
         * systemd-nspawn makes: the container's own ve-NAME or vb-NAME, or
         * another container's. */
        NC_CHECK_EXTRA_VETH_NAME,
        /* "extra-veth-in-interfaces": an extraVeth also in `interfaces`
         * (--network-veth-extra= and --network-interface= of one name). */
        NC_CHECK_EXTRA_VETH_IN_INTERFACES,
        /* "address-shared": one address as two localAddress[6] (the
         * containers' or their extraVeths'), or as one's localAddress and
         * another's hostAddress. (One hostAddress for many containers is
         * the module's usual setup, and not reported.) */
        NC_CHECK_ADDRESS_SHARED,
        /* "host-port-shared": a forwardPorts entry's protocol and hostPort
         * forwarded twice (systemd-nspawn's --port). */
        NC_CHECK_HOST_PORT_SHARED,
        /* "route-host-bits": an address with a prefix whose `ip route add`
         * the kernel refuses because its host bits are set (a routed
         * localAddress "10.0.7.2/24" in postStart, a hostAddress in
         * container-init). */
        NC_CHECK_ROUTE_HOST_BITS,
        /* "subnet-mismatch": a hostAddress outside the prefix its
         * localAddress gives, or the other way round (a warning: the
         * module's routes still reach it). */
        NC_CHECK_SUBNET_MISMATCH,
        /* "step-fails": any other step the start is predicted to fail at. */
        NC_CHECK_STEP_FAILS,
} nc_check_kind;

typedef enum nc_check_severity {
        NC_CHECK_ERROR = 0,   /* a start fails, or breaks another container */
        NC_CHECK_WARNING = 1, /* works, but likely not as meant */
} nc_check_severity;

typedef struct nc_check_finding {
        nc_check_kind kind;
        nc_check_severity severity;
        nc_strv containers; /* the NAMEs involved, in the order the message names them */
        nc_strv options;    /* the options involved: "containers.a.extraVeths.x", ... */
        char *message;      /* what is wrong, one line, without the options' list */
        /* The start predicted to fail, or all four NULL: the container
         * whose start fails, the script ("host-setup": postStart;
         * "init-setup": container-init's network part), the step as the
         * script's xtrace shows it, and what iproute2 prints. */
        char *unit;
        char *stage;
        char *step;
        char *step_error;
} nc_check_finding;

typedef struct nc_check_findings {
        nc_check_finding *items;
        size_t n;
        size_t capacity;
} nc_check_findings;

/* Looks for definitions that cannot work together or at all (the kinds
 * above), and predicts the failing step of each start: every container of
 * `config`, in name order (the order a boot is not bound to, but one that
 * shows each conflict), goes through preStart (its links deleted by
 * name), systemd-nspawn's link creation (from nc_build_argv()'s
 * --network-veth, --network-bridge= and --network-veth-extra=),
 * container-init's plan in a namespace of its own and postStart's in the
 * host's, all against a small model of the kernel's rules (links by name,
 * addresses, routes: ref/lib/net-model.h). A container whose argv cannot
 * be built or whose link nspawn could not create is not simulated further.
 * On success *ret_findings (overwritten: pass an empty one) holds the
 * findings, errors and warnings in the order found, the caller's, freed
 * with nc_check_findings_clear(). Returns the number of errors; -EINVAL
 * for a NULL config; -ENOMEM. */
int nc_config_check(const nc_config *config, nc_check_findings *ret_findings, nc_error *error);
/* Frees every finding and leaves an empty list ({ 0 }). */
void nc_check_findings_clear(nc_check_findings *findings);
/* "extra-veth-shared", ..., "error", "warning"; static strings, NULL for
 * a value out of range. */
const char *nc_check_kind_name(nc_check_kind kind);
const char *nc_check_severity_name(nc_check_severity severity);

#ifdef __cplusplus
}
#endif

#endif
