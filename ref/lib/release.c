/* One row a release of nixos-containers.nix: what changed between them
 * besides the options (those carry their own release range in
 * option-table.c). Adding a release: its module in shared/modules/, a row
 * here, the option rows it adds, `make golden`. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "release.h"

static const nc_release_info releases[NC_RELEASE_COUNT] = {
        [NC_RELEASE_21_05] = {
                .id = NC_RELEASE_21_05, .name = "21.05",
                .module = "seed/nixos-containers.nix",
                .module_sha256 = "4843935b905b3efec575003d5be591f0448c9813ae2396d36900ea7a06f1f4cc",
                .reads_state_version = false, .ephemeral_root = "/run/containers/",
                .tun_modifier = "rw",
        },
        [NC_RELEASE_22_11] = {
                .id = NC_RELEASE_22_11, .name = "22.11",
                .module = "modules/22.11/nixos-containers.nix",
                .module_sha256 = "4c1f14926713c9c6bf5c9dd1cce89200175b61fe17e16d38d9d5c2f6e7b2a4a5",
                .reads_state_version = true, .ephemeral_root = "/run/nixos-containers/",
                .tun_modifier = "rw",
        },
        [NC_RELEASE_25_11] = {
                .id = NC_RELEASE_25_11, .name = "25.11",
                .module = "modules/25.11/nixos-containers.nix",
                .module_sha256 = "dc43cb394a67b8dfd45e0c57b8c06e53077254cf253d4aecf80f3e3ee5e9776a",
                .reads_state_version = true, .ephemeral_root = "/run/nixos-containers/",
                .flag_array = true, .extra_nspawn_flags_last = true, .unified_hierarchy = true,
                .tun_modifier = "rwm", .strict_shell = true, .containers_enable_boot = true,
                .unit_path_nix = true, .unit_mounts_bind_mounts = true,
                .unit_interface_devices = NC_UNIT_DEVICES_RAW,
        },
        [NC_RELEASE_26_05] = {
                .id = NC_RELEASE_26_05, .name = "26.05",
                .module = "modules/26.05/nixos-containers.nix",
                .module_sha256 = "3b957d78caa30454c824d7dbb0318052e0243e3bf43bb4753d0f0ebc53608829",
                .reads_state_version = true, .ephemeral_root = "/run/nixos-containers/",
                .flag_array = true, .extra_nspawn_flags_last = true, .unified_hierarchy = true,
                .tun_modifier = "rwm", .strict_shell = true, .containers_enable_boot = true,
                .unit_path_nix = true, .unit_mounts_bind_mounts = true,
                .unit_interface_devices = NC_UNIT_DEVICES_ESCAPED,
        },
};

const nc_release_info *nc_release_info_get(nc_release_id id) {
        return (unsigned) id < NC_RELEASE_COUNT ? &releases[id] : NULL;
}

const nc_release_info *nc_release_info_find(const char *name) {
        for (size_t i = 0; name && i < ELEMENTSOF(releases); i++)
                if (strcmp(releases[i].name, name) == 0)
                        return &releases[i];
        return NULL;
}

/* Nix's builtins.compareVersions (src/libexpr/names.cc): components are
 * runs of digits or of other characters, split at "." and "-". */
static const char *next_component(const char *p, const char **ret_start, size_t *ret_len) {
        const char *s;

        while (*p == '.' || *p == '-')
                p++;
        s = p;
        if (isdigit((unsigned char) *p))
                while (isdigit((unsigned char) *p))
                        p++;
        else
                while (*p && *p != '.' && *p != '-' && !isdigit((unsigned char) *p))
                        p++;
        *ret_start = s;
        *ret_len = (size_t) (p - s);
        return p;
}

static bool is_number(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!isdigit((unsigned char) s[i]))
                        return false;
        return n > 0;
}

static bool is_word(const char *s, size_t n, const char *word) {
        return n == strlen(word) && memcmp(s, word, n) == 0;
}

/* componentsLT of names.cc. Numbers are compared by value, without
 * converting (a stateVersion may have any number of digits). */
static bool component_less(const char *a, size_t na, const char *b, size_t nb) {
        bool a_number = is_number(a, na), b_number = is_number(b, nb);

        if (a_number && b_number) {
                while (na > 1 && *a == '0')
                        a++, na--;
                while (nb > 1 && *b == '0')
                        b++, nb--;
                return na != nb ? na < nb : memcmp(a, b, na) < 0;
        }
        if (na == 0 && b_number)
                return true;
        if (is_word(a, na, "pre") && !is_word(b, nb, "pre"))
                return true;
        if (is_word(b, nb, "pre"))
                return false;
        /* "2.3a" < "2.3.1" */
        if (b_number)
                return true;
        if (a_number)
                return false;
        {
                int c = memcmp(a, b, na < nb ? na : nb);
                return c != 0 ? c < 0 : na < nb;
        }
}

/* compareVersions a b: -1, 0 or 1. */
static int compare_versions(const char *a, const char *b) {
        while (*a || *b) {
                const char *ca, *cb;
                size_t na, nb;

                a = next_component(a, &ca, &na);
                b = next_component(b, &cb, &nb);
                if (component_less(ca, na, cb, nb))
                        return -1;
                if (component_less(cb, nb, ca, na))
                        return 1;
        }
        return 0;
}

int nc_release_nixos_prefix(const nc_release_info *release, const char *state_version, bool *ret_prefix) {
        if (!state_version || !state_version[0])
                return -EINVAL;
        /* configurationPrefix = optionalString (versionAtLeast config.system.stateVersion "22.05") "nixos-"; */
        *ret_prefix = release->reads_state_version && compare_versions(state_version, "22.05") >= 0;
        return 0;
}
