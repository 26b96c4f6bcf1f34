/* The releases of nixos-containers.nix the library follows, and what
 * differs between them that is not an option: one row a release
 * (release.c). Which options a release declares lives in the option table
 * (option-table.c, each option's release range). */
#ifndef NC_RELEASE_H
#define NC_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

/* Oldest first; the order is the order of the releases. */
typedef enum nc_release_id {
        NC_RELEASE_21_05, /* the seed module */
        NC_RELEASE_22_11,
        NC_RELEASE_25_11,
        NC_RELEASE_26_05,
        NC_RELEASE_COUNT,
        NC_RELEASE_LATEST = NC_RELEASE_COUNT - 1,
} nc_release_id;

typedef struct nc_release_info {
        nc_release_id id;
        const char *name;         /* "25.11": the module's release */
        const char *module;       /* the copy it follows, relative to shared/: "modules/25.11/nixos-containers.nix" */
        const char *module_sha256;
        /* configurationPrefix = optionalString (versionAtLeast config.system.stateVersion "22.05") "nixos-";
         * false: the module reads no stateVersion and always uses /etc/containers. */
        bool reads_state_version;
        /* environment.root of an ephemeral container: "/run/containers/%i"
         * (21.05) or "/run/nixos-containers/%i" (22.11 and later, whatever
         * the stateVersion). */
        const char *ephemeral_root;
        /* The start script keeps its flags in a bash array (declare -a
         * extraFlags; 24.11, PR 346131) and reads variables as ${VAR-}; before,
         * a string that bash splits and globs. */
        bool flag_array;
        /* ${EXTRA_NSPAWN_FLAGS-} sits just before the container-init (25.11),
         * not right after $extraFlags. */
        bool extra_nspawn_flags_last;
        /* export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 before exec (22.11 copy
         * lacks it; 25.11 and later). */
        bool unified_hierarchy;
        /* The modifier enableTun gives /dev/net/tun: "rw", or "rwm" (PR 357276). */
        const char *tun_modifier;
        /* The unit sets enableStrictShellChecks (errexit, nounset, pipefail). */
        bool strict_shell;
        /* The unit's properties (render-unit.c).
         * path = [ pkgs.iproute2 config.nix.package ]; before, [ pkgs.iproute2 ]. */
        bool unit_path_nix;
        /* unitConfig.RequiresMountsFor lists each bindMount's hostPath (or
         * mountPoint) after the state directory. */
        bool unit_mounts_bind_mounts;
        /* An autoStart unit wants and is after sys-subsystem-net-devices-IF.device
         * for each of `interfaces`: not at all, with IF as it is (25.11), or
         * utils.escapeSystemdPath IF (26.05). */
        enum {
                NC_UNIT_DEVICES_NONE,
                NC_UNIT_DEVICES_RAW,
                NC_UNIT_DEVICES_ESCAPED,
        } unit_interface_devices;
        /* boot.enableContainers defaults to config.containers != { } (25.11);
         * before, to true. Without it there is no unit at all, not even the
         * container@ template. */
        bool containers_enable_boot;
} nc_release_info;

/* The row of `id` (0 .. NC_RELEASE_COUNT-1). */
const nc_release_info *nc_release_info_get(nc_release_id id);
/* The row called `name` ("22.11"), or NULL. */
const nc_release_info *nc_release_info_find(const char *name);

/* Whether a host at system.stateVersion `state_version` gets the "nixos-"
 * directories under `release` (versionAtLeast state_version "22.05").
 * -EINVAL: not a version Nix's compareVersions can read as one. */
int nc_release_nixos_prefix(const nc_release_info *release, const char *state_version, bool *ret_prefix);

#endif
