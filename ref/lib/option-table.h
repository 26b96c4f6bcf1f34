/* The one table of the module's container options: name, type, default and
 * the strict-mode rule of each. The JSON loader, the README's option list
 * (`nixcontainer options`) and the tests all read it. */
#ifndef NC_OPTION_TABLE_H
#define NC_OPTION_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "config-internal.h"
#include "release.h"
#include "validate.h"

/* The module's option types (lib/types.nix of 2021-06). */
typedef enum nc_type {
        NC_TYPE_PATH,              /* types.path: a string starting with "/" */
        NC_TYPE_STR,               /* types.str */
        NC_TYPE_NULL_OR_STR,       /* types.nullOr types.str */
        NC_TYPE_BOOL,              /* types.bool */
        NC_TYPE_INT,               /* types.int */
        NC_TYPE_NULL_OR_INT,       /* types.nullOr types.int */
        NC_TYPE_LIST_OF_STR,       /* types.listOf types.str */
        NC_TYPE_LIST_OF_PORTS,     /* listOf (submodule forwardPorts) */
        NC_TYPE_LIST_OF_DEVICES,   /* listOf (submodule allowedDeviceOpts) */
        NC_TYPE_ATTRS_OF_VETHS,    /* attrsOf (submodule networkOptions) */
        NC_TYPE_ATTRS_OF_BINDS,    /* attrsOf (submodule bindMountOpts) */
        NC_TYPE_ATTRS_OF_CONTAINERS, /* `containers` itself: attrsOf (submodule ...) */
        NC_TYPE_ANYTHING,          /* config: a NixOS module, ignored here */
        NC_TYPE_REMOVED,           /* pkgs: defining it throws */
        /* Added by later releases. */
        NC_TYPE_PORT,              /* types.port (25.11): an integer 0-65535 */
        NC_TYPE_NULL_OR_PORT,      /* types.nullOr types.port */
        NC_TYPE_NULL_OR_PATH,      /* types.nullOr types.path (networkNamespace) */
        NC_TYPE_PRIVATE_USERS,     /* types.either types.ints.u32 (types.enum [ "no" "identity" "pick" ]) */
        NC_TYPE_NULL_OR_MAC,       /* types.nullOr (types.strMatching "([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}") */
        NC_TYPE_ATTRS_OF_ANYTHING, /* types.attrsOf types.unspecified (specialArgs), ignored here */
} nc_type;

/* Strict-mode rules: where the value ends up decides what would break.
 * Each bit names one place; a value is checked against all of its bits. */
enum {
        /* Written unquoted into the env file (KEY=value). */
        NC_RULE_ENV_UNQUOTED = 1u << 0,
        /* Written inside "..." in the env file. */
        NC_RULE_ENV_QUOTED = 1u << 1,
        /* Expanded unquoted by the start script, so bash splits it. */
        NC_RULE_SPLIT = 1u << 2,
        /* Pasted into a script's text, so bash parses it as code. */
        NC_RULE_SCRIPT = 1u << 3,
        /* Written into a unit file line (TimeoutStartSec=, DeviceAllow=). */
        NC_RULE_UNIT_LINE = 1u << 4,
        /* Split on "," by the start script (HOST_PORT items). */
        NC_RULE_NO_COMMA = 1u << 5,
        /* Expanded unquoted by bash, which also reads it as a glob pattern
         * (pathname expansion, in the start script's working directory /). */
        NC_RULE_GLOB = 1u << 6,
};

typedef struct nc_option {
        const char *name;          /* as in the module: "hostAddress" */
        nc_type type;
        size_t offset;             /* of the field in its C struct */
        const char *default_text;  /* NULL: required */
        unsigned rules;            /* NC_RULE_* for strict mode */
        nc_validator validate;     /* strict mode's check of each value, or NULL */
        const char *rule_text;     /* what the check accepts, for the docs */
        const char *description;
        /* The releases that declare it: from `since` (0: the seed) up to,
         * not including, `before` (0: every later release too). An option
         * whose type changed has a row for each range. */
        nc_release_id since;
        nc_release_id before;
} nc_option;

typedef struct nc_option_table {
        const char *name;          /* "container", "networkOptions", ... */
        const nc_option *options;
        size_t n_options;
} nc_option_table;

extern const nc_option_table nc_container_options;
extern const nc_option_table nc_network_options;
extern const nc_option_table nc_bind_mount_options;
extern const nc_option_table nc_forward_port_options;
extern const nc_option_table nc_allowed_device_options;

/* The row of `name` that `release` declares, or NULL. */
const nc_option *nc_option_find(const nc_option_table *table, const char *name, nc_release_id release);
/* Whether `release` declares the option of row `o`. */
bool nc_option_in_release(const nc_option *o, nc_release_id release);
/* The first and last release that declare an option called `name`
 * (whatever its type); false when none does. */
bool nc_option_release_range(const nc_option_table *table, const char *name, nc_release_id *ret_first,
                             nc_release_id *ret_last);
const char *nc_type_name(nc_type type);

#endif
