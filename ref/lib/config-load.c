/* JSON -> nc_config: the container submodule's types and defaults, checked
 * as lib.evalModules checks them, plus strict mode's refusals. Every message
 * names the option as the module would: containers.NAME.OPTION. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc-util.h"
#include "config-internal.h"
#include "error.h"
#include "json-dump.h"
#include "option-table.h"
#include "strict-rules.h"

/* Every size that comes from input has a limit. */
#define MAX_CONFIG_BYTES (64u * 1024u * 1024u)
#define MAX_LOCATION 768

typedef struct loader {
        nc_mode mode;
        const nc_release_info *release;
        bool nixos_prefix; /* the host's stateVersion gives the "nixos-" directories */
        nc_error *error;
        unsigned flags;    /* NC_LOAD_* */
        nc_container *container; /* the one being loaded, for its compat note */
} loader;

/* Where a value sits, as a chain up to "containers"; spelled out
 * (containers.NAME.OPTION[INDEX]...) only when a message needs it. */
typedef struct where {
        const struct where *parent; /* NULL: `name` is the whole text */
        const char *name;           /* an attribute name; NULL: [index] */
        size_t index;
} where;

/* Writes `prefix` + "." + name (quoted as Nix shows it when the name is not
 * a plain identifier) into `out`. */
static void location_attr(char *out, const char *prefix, const char *name) {
        bool plain = (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_';
        for (const char *p = name; *p && plain; p++)
                plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                        *p == '_' || *p == '-' || *p == '\'';
        if (plain)
                snprintf(out, MAX_LOCATION, "%.500s.%.200s", prefix, name);
        else {
                /* Quoted as Nix shows it, control bytes escaped: a message
                 * stays on one line whatever the name holds. */
                char escaped[220];
                size_t j = 0;
                for (const char *p = name; *p && j + 5 < sizeof escaped; p++) {
                        unsigned char c = (unsigned char) *p;
                        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
                                j += (size_t) snprintf(escaped + j, sizeof escaped - j,
                                                       c == '"' ? "\\\"" : c == '\\' ? "\\\\" : "\\x%02x", c);
                        else
                                escaped[j++] = (char) c;
                }
                escaped[j] = '\0';
                snprintf(out, MAX_LOCATION, "%.500s.\"%s\"", prefix, escaped);
        }
}

static void location_index(char *out, const char *prefix, size_t i) {
        snprintf(out, MAX_LOCATION, "%.700s[%zu]", prefix, i);
}

/* Writes where `at` is into `out` (MAX_LOCATION bytes) and returns `out`. */
static const char *spell(const where *at, char *out) {
        char parent[MAX_LOCATION];

        if (!at->parent) {
                snprintf(out, MAX_LOCATION, "%s", at->name);
                return out;
        }
        spell(at->parent, parent);
        if (at->name)
                location_attr(out, parent, at->name);
        else
                location_index(out, parent, at->index);
        return out;
}

/* A short rendering of a JSON value for messages. */
static void describe(const nc_json *value, char *out, size_t size) {
        char dump[64];

        /* An ignored option's value (config, specialArgs) is checked as
         * JSON but not kept: only its type can be named. */
        if (nc_json_skipped(value))
                snprintf(out, size, "%s", value->type == NC_JSON_STRING ? "a string" : value->type == NC_JSON_ARRAY
                                                                                  ? "a list" : "an attribute set");
        else if (nc_json_dump(value, dump, sizeof dump) > 60)
                snprintf(out, size, "%.57s...", dump);
        else
                snprintf(out, size, "%s", dump);
}

static int type_error(loader *l, const where *at, const nc_json *value, nc_type type) {
        char location[MAX_LOCATION], shown[80];
        describe(value, shown, sizeof shown);
        return nc_error_set(l->error, -EINVAL, "%s: %s is not of type %s", spell(at, location), shown,
                            nc_type_name(type));
}

/* The value as a message shows it: quoted, cut, control bytes escaped. */
static void show_value(const char *value, char *out, size_t size) {
        size_t j = 0;

        out[j++] = '"';
        for (const char *p = value; *p && j + 8 < size; p++) {
                unsigned char c = (unsigned char) *p;
                if (p - value >= 60) {
                        memcpy(out + j, "...", 3);
                        j += 3;
                        break;
                }
                if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
                        j += (size_t) snprintf(out + j, size - j, c == '"' ? "\\\"" : c == '\\' ? "\\\\" : "\\x%02x", c);
                else
                        out[j++] = (char) c;
        }
        out[j++] = '"';
        out[j] = '\0';
}

/* --compat does no pathname expansion: the first value of a container that
 * bash would expand (NC_RULE_GLOB) is named in the container's note. */
static int compat_note(loader *l, const where *at, const char *value, size_t len, unsigned rules) {
        char location[MAX_LOCATION], shown[96];

        if (!(rules & NC_RULE_GLOB) || !l->container || l->container->compat_note ||
            !nc_strict_violation(value, len, NC_RULE_GLOB))
                return 0;
        show_value(value, shown, sizeof shown);
        if (asprintf(&l->container->compat_note,
                     "%s: %s is passed as written: --compat does no pathname expansion, where bash would expand "
                     "it to the names of matching files", spell(at, location), shown) < 0) {
                l->container->compat_note = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* Strict mode's refusal of a value the module accepts. With
 * NC_LOAD_KEEP_REFUSED it blocks only its container, as a refused name
 * does (the module would start the others): the first refusal is kept as
 * the container's (nc_container_refusal()) and loading goes on with the
 * value as --compat keeps it. Without the flag it refuses the config. */
static int strict_refusal(loader *l, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int strict_refusal(loader *l, const char *format, ...) {
        nc_error refusal;
        va_list ap;

        va_start(ap, format);
        vsnprintf(refusal.message, sizeof refusal.message, format, ap);
        va_end(ap);
        if (!(l->flags & NC_LOAD_KEEP_REFUSED) || !l->container)
                return nc_error_set(l->error, -EINVAL, "%s", refusal.message);
        if (!l->container->refusal && !(l->container->refusal = strdup(refusal.message)))
                return -ENOMEM;
        return 0;
}

static int check_string(loader *l, const where *at, const char *value, size_t len, unsigned rules,
                        nc_validator validate) {
        char location[MAX_LOCATION], shown[96], buf[256];
        const char *why;

        /* Nix strings cannot hold NUL, so not even --compat can reproduce one. */
        if (memchr(value, '\0', len))
                return nc_error_set(l->error, -EINVAL, "%s: contains a NUL byte, which Nix strings cannot hold",
                                    spell(at, location));
        if (l->mode == NC_MODE_COMPAT)
                return compat_note(l, at, value, len, rules);
        why = nc_strict_violation(value, len, rules);
        if (why)
                return strict_refusal(l, "%s: %s (use --compat to reproduce the original)", spell(at, location), why);
        why = validate ? validate(value, buf, sizeof buf) : NULL;
        if (why) {
                show_value(value, shown, sizeof shown);
                return strict_refusal(l, "%s: %s %s", spell(at, location), shown, why);
        }
        return 0;
}

static int load_str(loader *l, const where *at, const nc_json *value, bool nullable, unsigned rules,
                    nc_validator validate, char **field) {
        char *copy;
        int r;

        if (nullable && value->type == NC_JSON_NULL) {
                *field = NULL;
                return 0;
        }
        if (value->type != NC_JSON_STRING)
                return type_error(l, at, value, nullable ? NC_TYPE_NULL_OR_STR : NC_TYPE_STR);
        r = check_string(l, at, value->u.string, value->n, rules, validate);
        if (r < 0)
                return r;
        copy = nc_memdup_nul(value->u.string, value->n);
        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static int load_path(loader *l, const where *at, const nc_json *value, unsigned rules, nc_validator validate,
                     char **field) {
        /* types.path: isCoercibleToString x && substring 0 1 (toString x) == "/".
         * Only a string can pass and still be interpolated into the env file. */
        if (value->type != NC_JSON_STRING || value->u.string[0] != '/')
                return type_error(l, at, value, NC_TYPE_PATH);
        return load_str(l, at, value, false, rules, validate, field);
}

static int load_bool(loader *l, const where *at, const nc_json *value, bool *field) {
        if (value->type != NC_JSON_BOOL)
                return type_error(l, at, value, NC_TYPE_BOOL);
        *field = value->u.boolean;
        return 0;
}

static int load_int(loader *l, const where *at, const nc_json *value, nc_type type, bool *ret_present,
                    long long *field) {
        bool nullable = type == NC_TYPE_NULL_OR_INT || type == NC_TYPE_NULL_OR_PORT;

        if (nullable && value->type == NC_JSON_NULL) {
                *ret_present = false;
                return 0;
        }
        /* types.int is builtins.isInt: 80.0 is a float and is refused. */
        if (value->type != NC_JSON_INTEGER)
                return type_error(l, at, value, type);
        *field = value->u.integer;
        if (ret_present)
                *ret_present = true;
        return 0;
}

static int load_str_list(loader *l, const where *at, const nc_json *value, unsigned rules, nc_validator validate,
                         nc_strv *field) {
        int r;

        if (value->type != NC_JSON_ARRAY)
                return type_error(l, at, value, NC_TYPE_LIST_OF_STR);
        nc_strv_clear(field);
        for (size_t i = 0; i < value->n; i++) {
                const nc_json *item = &value->u.items[i];
                where item_at = { .parent = at, .index = i };

                if (item->type != NC_JSON_STRING)
                        return type_error(l, &item_at, item, NC_TYPE_STR);
                r = check_string(l, &item_at, item->u.string, item->n, rules, validate);
                if (r < 0)
                        return r;
                r = nc_strv_push_len(field, item->u.string, item->n);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* `table` (and, for a container, `also`) say which releases declare it. */
static int unknown_option(loader *l, const where *at, const char *key, const nc_option_table *table,
                          const nc_option_table *also) {
        char location[MAX_LOCATION], which[64];
        where option = { .parent = at, .name = key };
        nc_release_id first, last;

        if (!nc_option_release_range(table, key, &first, &last) &&
            !(also && nc_option_release_range(also, key, &first, &last)))
                return nc_error_set(l->error, -EINVAL, "%s: the option does not exist", spell(&option, location));
        if (first == last)
                snprintf(which, sizeof which, "only release %s declares it", nc_release_info_get(first)->name);
        else if (last == NC_RELEASE_LATEST)
                snprintf(which, sizeof which, "releases from %s on declare it", nc_release_info_get(first)->name);
        else
                snprintf(which, sizeof which, "releases %s to %s declare it", nc_release_info_get(first)->name,
                         nc_release_info_get(last)->name);
        return nc_error_set(l->error, -EINVAL, "%s: the option does not exist in release %s (%s; see --release)",
                            spell(&option, location), l->release->name, which);
}

static int missing_option(loader *l, const where *at, const char *key) {
        char location[MAX_LOCATION];
        where option = { .parent = at, .name = key };
        return nc_error_set(l->error, -EINVAL, "%s: the option is used but not defined", spell(&option, location));
}

/* types.port (25.11 and later) is the module's own refusal of a number
 * outside 0-65535; then strict mode refuses 0 and, before 25.11, what
 * types.int let through. */
static int check_port(loader *l, const where *at, const nc_json *value, nc_type type, long long port, bool present) {
        char location[MAX_LOCATION];

        if (present && (type == NC_TYPE_PORT || type == NC_TYPE_NULL_OR_PORT) && (port < 0 || port > 65535))
                return type_error(l, at, value, type);
        if (l->mode == NC_MODE_COMPAT || !present || nc_port_is_valid(port))
                return 0;
        return strict_refusal(l, "%s: %lld is not a port (1-65535)", spell(at, location), port);
}

/* The items of a listOf (submodule ...) or attrsOf (submodule ...) value:
 * a fresh array *items of item_size bytes an item, one a list item (an
 * attribute, in attrNames order), each loaded by `load_one`. *n_items
 * counts the items begun, so that clearing the owner after a failure frees
 * what the failed one had loaded. */
typedef int (*item_loader)(loader *l, const where *at, const nc_json *value, void *into);
typedef int (*attr_loader)(loader *l, const where *at, const char *name, const nc_json *value, void *into);

static int new_items(size_t n, size_t item_size, void **ret_items) {
        void *items = calloc(n ? n : 1, item_size);

        if (!items)
                return -ENOMEM;
        *ret_items = items;
        return 0;
}

static int load_list_of(loader *l, const where *at, const nc_json *value, nc_type type, void **items,
                        size_t item_size, size_t *n_items, item_loader load_one) {
        int r;

        if (value->type != NC_JSON_ARRAY)
                return type_error(l, at, value, type);
        r = new_items(value->n, item_size, items);

        for (size_t i = 0; r >= 0 && i < value->n; i++) {
                where item_at = { .parent = at, .index = i };

                *n_items = i + 1;
                r = load_one(l, &item_at, &value->u.items[i], (char *) *items + i * item_size);
        }
        return r;
}

static int sorted_members(const nc_json *object, const nc_json_member ***ret_members);

static int load_attrs_of(loader *l, const where *at, const nc_json *value, nc_type type, void **items,
                         size_t item_size, size_t *n_items, attr_loader load_one) {
        _cleanup_free_ const nc_json_member **members = NULL;
        int r;

        if (value->type != NC_JSON_OBJECT)
                return type_error(l, at, value, type);
        r = sorted_members(value, &members);
        if (r >= 0)
                r = new_items(value->n, item_size, items);
        for (size_t i = 0; r >= 0 && i < value->n; i++) {
                where member_at = { .parent = at, .name = members[i]->key };

                *n_items = i + 1;
                r = load_one(l, &member_at, members[i]->key, &members[i]->value, (char *) *items + i * item_size);
        }
        return r;
}

/* What loads one option of a submodule into its C struct `into`. */
typedef int (*option_loader)(loader *l, const where *at, const nc_option *o, const nc_json *value, void *into);

/* Each attribute of the submodule value `value` (`type` names it in
 * messages) is an option of `table`, loaded by `load_option` into `into`. */
static int load_submodule(loader *l, const where *at, const nc_json *value, nc_type type,
                          const nc_option_table *table, option_loader load_option, void *into) {
        if (value->type != NC_JSON_OBJECT)
                return type_error(l, at, value, type);
        for (size_t i = 0; i < value->n; i++) {
                const char *key = value->u.members[i].key;
                const nc_option *o = nc_option_find(table, key, l->release->id);
                where option_at = { .parent = at, .name = key };
                int r;

                if (!o)
                        return unknown_option(l, at, key, table, NULL);
                if ((r = load_option(l, &option_at, o, &value->u.members[i].value, into)) < 0)
                        return r;
        }
        return 0;
}

/* A string option, at o->offset in `into`. */
static int load_str_option(loader *l, const where *at, const nc_option *o, const nc_json *value, void *into) {
        return load_str(l, at, value, o->type == NC_TYPE_NULL_OR_STR, o->rules, o->validate,
                        (char **) ((char *) into + o->offset));
}

static int load_forward_port_option(loader *l, const where *at, const nc_option *o, const nc_json *value,
                                    void *into) {
        nc_forward_port *port = into;
        int r;

        switch (o->type) {
        case NC_TYPE_INT: /* hostPort */
        case NC_TYPE_PORT:
                r = load_int(l, at, value, o->type, NULL, &port->host_port);
                return r < 0 ? r : check_port(l, at, value, o->type, port->host_port, true);
        case NC_TYPE_NULL_OR_INT: /* containerPort */
        case NC_TYPE_NULL_OR_PORT:
                r = load_int(l, at, value, o->type, &port->has_container_port, &port->container_port);
                return r < 0 ? r : check_port(l, at, value, o->type, port->container_port, port->has_container_port);
        default: /* protocol */
                return load_str_option(l, at, o, value, into);
        }
}

static int load_forward_port(loader *l, const where *at, const nc_json *value, void *into) {
        nc_forward_port *port = into;
        int r = load_submodule(l, at, value, NC_TYPE_LIST_OF_PORTS, &nc_forward_port_options,
                               load_forward_port_option, port);

        if (r < 0)
                return r;
        if (!nc_json_object_get(value, "hostPort"))
                return missing_option(l, at, "hostPort");
        if (!port->protocol && !(port->protocol = strdup("tcp")))
                return -ENOMEM;
        return 0;
}

static int load_forward_ports(loader *l, const where *at, const nc_json *value, nc_network *network) {
        nc_network_clear_ports(network);
        return load_list_of(l, at, value, NC_TYPE_LIST_OF_PORTS, (void **) &network->forward_ports,
                            sizeof *network->forward_ports, &network->n_forward_ports, load_forward_port);
}

/* One networkOptions entry into the nc_network `into`; used for the
 * container and for extraVeths. */
/* types.strMatching "([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}": the whole string. */
static bool is_mac_address(const char *s, size_t len) {
        if (len != 17)
                return false;
        for (size_t i = 0; i < len; i++)
                if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char) s[i]))
                        return false;
        return true;
}

static int load_network_option(loader *l, const where *at, const nc_option *o, const nc_json *value, void *into) {
        if (o->type == NC_TYPE_LIST_OF_PORTS)
                return load_forward_ports(l, at, value, into);
        if (o->type == NC_TYPE_NULL_OR_MAC) {
                if (value->type != NC_JSON_NULL &&
                    (value->type != NC_JSON_STRING || !is_mac_address(value->u.string, value->n)))
                        return type_error(l, at, value, o->type);
                return load_str(l, at, value, true, o->rules, o->validate, (char **) ((char *) into + o->offset));
        }
        return load_str_option(l, at, o, value, into);
}

static int load_extra_veth(loader *l, const where *at, const char *name, const nc_json *value, void *into) {
        nc_extra_veth *veth = into;
        int r;

        veth->name = strdup(name);
        if (!veth->name)
                return -ENOMEM;
        /* The name is pasted into postStart and container-init
         * (`ip link set dev ${name} up`) and into the start script. */
        r = check_string(l, at, name, strlen(name), NC_RULE_SCRIPT | NC_RULE_SPLIT | NC_RULE_GLOB, nc_check_ifname);
        if (r < 0)
                return r;
        /* In extraVeths every value is pasted into the scripts' text. */
        return load_submodule(l, at, value, NC_TYPE_ATTRS_OF_VETHS, &nc_network_options, load_network_option,
                              &veth->network);
}

static int load_bind_mount_option(loader *l, const where *at, const nc_option *o, const nc_json *value, void *into) {
        nc_bind_mount *bind = into;

        if (o->type == NC_TYPE_BOOL)
                return load_bool(l, at, value, &bind->is_read_only);
        return load_str_option(l, at, o, value, into);
}

static int load_bind_mount(loader *l, const where *at, const char *name, const nc_json *value, void *into) {
        nc_bind_mount *bind = into;
        int r;

        bind->is_read_only = true;
        bind->name = strdup(name);
        if (!bind->name)
                return -ENOMEM;
        r = load_submodule(l, at, value, NC_TYPE_ATTRS_OF_BINDS, &nc_bind_mount_options, load_bind_mount_option, bind);
        if (r < 0)
                return r;
        if (!bind->mount_point) {
                /* config.mountPoint = mkDefault name; */
                where option_at = { .parent = at, .name = "mountPoint" };
                const nc_option *mount_point = nc_option_find(&nc_bind_mount_options, "mountPoint", l->release->id);
                r = check_string(l, &option_at, name, strlen(name), mount_point->rules, mount_point->validate);
                if (r < 0)
                        return r;
                bind->mount_point = strdup(name);
                if (!bind->mount_point)
                        return -ENOMEM;
        }
        return 0;
}

static int load_allowed_device(loader *l, const where *at, const nc_json *value, void *into) {
        nc_allowed_device *device = into;
        int r = load_submodule(l, at, value, NC_TYPE_LIST_OF_DEVICES, &nc_allowed_device_options, load_str_option,
                               device);

        if (r < 0)
                return r;
        if (!device->node)
                return missing_option(l, at, "node");
        if (!device->modifier)
                return missing_option(l, at, "modifier");
        return 0;
}

static int compare_members(const void *a, const void *b) {
        return strcmp((*(const nc_json_member *const *) a)->key, (*(const nc_json_member *const *) b)->key);
}

/* The members of a JSON object sorted bytewise by key, the order of Nix's
 * attrNames. */
static int sorted_members(const nc_json *object, const nc_json_member ***ret_members) {
        const nc_json_member **members = calloc(object->n ? object->n : 1, sizeof *members);

        if (!members)
                return -ENOMEM;
        for (size_t i = 0; i < object->n; i++)
                members[i] = &object->u.members[i];
        qsort(members, object->n, sizeof *members, compare_members);
        *ret_members = members;
        return 0;
}

/* privateUsers: types.either types.ints.u32 (types.enum [ "no" "identity" "pick" ]),
 * kept as `toString` writes it into the env file. */
static int load_private_users(loader *l, const where *at, const nc_json *value, char **field) {
        char number[24], *copy;

        if (value->type == NC_JSON_INTEGER && value->u.integer >= 0 && value->u.integer <= 4294967295LL)
                snprintf(number, sizeof number, "%lld", value->u.integer);
        else if (value->type == NC_JSON_STRING && value->n == strlen(value->u.string) &&
                 (strcmp(value->u.string, "no") == 0 || strcmp(value->u.string, "identity") == 0 ||
                  strcmp(value->u.string, "pick") == 0))
                snprintf(number, sizeof number, "%s", value->u.string);
        else
                return type_error(l, at, value, NC_TYPE_PRIVATE_USERS);
        copy = strdup(number);
        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static int load_container_option(loader *l, const where *at, const nc_option *o, const nc_json *value,
                                 nc_container *c) {
        void *field = (char *) c + o->offset;
        char location[MAX_LOCATION];

        switch (o->type) {
        case NC_TYPE_PATH:
                return load_path(l, at, value, o->rules, o->validate, field);
        case NC_TYPE_STR:
        case NC_TYPE_NULL_OR_STR:
                return load_str(l, at, value, o->type == NC_TYPE_NULL_OR_STR, o->rules, o->validate, field);
        case NC_TYPE_BOOL:
                return load_bool(l, at, value, field);
        case NC_TYPE_LIST_OF_STR:
                return load_str_list(l, at, value, o->rules, o->validate, field);
        /* A value given twice replaces the first (the JSON has no key twice). */
        case NC_TYPE_ATTRS_OF_VETHS:
                nc_container_clear_extra_veths(c);
                return load_attrs_of(l, at, value, o->type, (void **) &c->extra_veths, sizeof *c->extra_veths,
                                     &c->n_extra_veths, load_extra_veth);
        case NC_TYPE_ATTRS_OF_BINDS:
                nc_container_clear_bind_mounts(c);
                return load_attrs_of(l, at, value, o->type, (void **) &c->bind_mounts, sizeof *c->bind_mounts,
                                     &c->n_bind_mounts, load_bind_mount);
        case NC_TYPE_LIST_OF_DEVICES:
                nc_container_clear_allowed_devices(c);
                return load_list_of(l, at, value, o->type, (void **) &c->allowed_devices, sizeof *c->allowed_devices,
                                    &c->n_allowed_devices, load_allowed_device);
        case NC_TYPE_ANYTHING:
                /* The module evaluates `config` into `path`; without nixpkgs we
                 * cannot, and the module ignores it when path is given. */
                c->has_config = true;
                return 0;
        case NC_TYPE_NULL_OR_PATH:
                if (value->type == NC_JSON_NULL) {
                        free(*(char **) field);
                        *(char **) field = NULL;
                        return 0;
                }
                return load_path(l, at, value, o->rules, o->validate, field);
        case NC_TYPE_PRIVATE_USERS:
                return load_private_users(l, at, value, field);
        case NC_TYPE_ATTRS_OF_ANYTHING:
                /* specialArgs: passed to the container's own evaluation,
                 * nothing on the host side reads it. */
                if (value->type != NC_JSON_OBJECT)
                        return type_error(l, at, value, o->type);
                *(bool *) field = true;
                return 0;
        case NC_TYPE_REMOVED:
                /* checkAssertion in the module's submodule config. */
                return nc_error_set(l->error, -EINVAL,
                                    "%s: the option definition no longer has any effect; please remove it "
                                    "(use containers.%s.nixpkgs or containers.%s.config.nixpkgs.pkgs)",
                                    spell(at, location), c->name, c->name);
        default:
                return nc_error_set(l->error, -EINVAL, "%s: unsupported option type", spell(at, location));
        }
}

/* What the module checks across options once a definition is merged. */
static int check_container(loader *l, const where *at, nc_container *c) {
        char location[MAX_LOCATION];

        if (c->flake && c->has_config)
                /* checkAssertion: options.config.isDefined && (options.flake.value != null) */
                return nc_error_set(l->error, -EINVAL,
                                    "%s.flake: the options 'containers.%s.path' and 'containers.%s.flake' cannot both "
                                    "be set", spell(at, location), c->name, c->name);
        if (c->flake && !c->path) {
                /* path = mkIf (config.flake != null) "/nix/var/nix/profiles/per-container/${name}"; */
                if (asprintf(&c->path, "/nix/var/nix/profiles/per-container/%s", c->name) < 0) {
                        c->path = NULL;
                        return -ENOMEM;
                }
        }
        if (!c->path)
                return c->has_config
                        ? nc_error_set(l->error, -EINVAL,
                                       "%s.path: the option is used but not defined (a container given only by "
                                       "`config` needs nixpkgs to build; give the built system as path)",
                                       spell(at, location))
                        : missing_option(l, at, "path");
        if (c->network_namespace && (c->private_network || c->interfaces.n > 0))
                /* assertions: cfg.networkNamespace != null && (cfg.privateNetwork || cfg.interfaces != [ ]) */
                return nc_error_set(l->error, -EINVAL,
                                    "%s.networkNamespace: is mutually exclusive to containers.%s.privateNetwork and "
                                    "containers.%s.interfaces", spell(at, location), c->name, c->name);
        return 0;
}

static int load_container(loader *l, const where *container_at, const char *name, const nc_json *value, void *into) {
        nc_container *c = into;
        where at = *container_at; /* containers.NAME */
        char location[MAX_LOCATION];
        int r;

        r = nc_container_init_defaults(c, l->release, l->nixos_prefix);
        l->container = c;
        c->name = strdup(name);
        if (r < 0 || !c->name)
                return -ENOMEM;
        /* Checked without a message first: only a refusal spells out where.
         * With NC_LOAD_KEEP_REFUSED a name machined would refuse blocks
         * only this container (the module fails to start only it): the
         * refusal is kept, and the definition is still checked. An empty
         * name is refused in both modes and always refuses the config. */
        if (nc_container_name_check(name, l->mode, "", NULL) < 0) {
                nc_error refusal = { { 0 } };
                r = nc_container_name_check(name, l->mode, spell(&at, location), &refusal);
                if (!(l->flags & NC_LOAD_KEEP_REFUSED) || name[0] == '\0')
                        return nc_error_set(l->error, r, "%s", refusal.message);
                c->refusal = strdup(refusal.message);
                if (!c->refusal)
                        return -ENOMEM;
        }
        if (value->type != NC_JSON_OBJECT)
                return nc_error_set(l->error, -EINVAL, "%s: is not of type submodule (a container definition)",
                                    spell(&at, location));

        for (size_t i = 0; i < value->n; i++) {
                const char *key = value->u.members[i].key;
                const nc_json *item = &value->u.members[i].value;
                const nc_option *o = nc_option_find(&nc_container_options, key, l->release->id);
                where option_at = { .parent = &at, .name = key };

                if (o) {
                        r = load_container_option(l, &option_at, o, item, c);
                        if (r >= 0 && strcmp(key, "path") == 0)
                                c->has_path = true;
                } else if ((o = nc_option_find(&nc_network_options, key, l->release->id)))
                        r = load_network_option(l, &option_at, o, item, &c->network);
                else
                        r = unknown_option(l, &at, key, &nc_container_options, &nc_network_options);
                if (r < 0)
                        return r;
        }
        return check_container(l, &at, c);
}

/* The export format's envelope (ref/nix/export-containers.nix):
 * {"format": "nixcontainer-containers/1", "release", "stateVersion", "containers"}.
 * A bare {NAME: definition} object has no "format" member that is a
 * string (a definition is an object). Sets *ret_containers to the
 * containers object and fills in the release and stateVersion the file
 * gives (NULL when it does not). */
#define NC_EXPORT_FORMAT "nixcontainer-containers/1"
static int read_envelope(const nc_json *root, const nc_json **ret_containers, const char **ret_release,
                         const char **ret_state_version, int *ret_enable, nc_error *error) {
        const nc_json *format = nc_json_object_get(root, "format");

        *ret_containers = root;
        *ret_release = *ret_state_version = NULL;
        *ret_enable = -1;
        if (!format || format->type != NC_JSON_STRING)
                return 0;
        if (strcmp(format->u.string, NC_EXPORT_FORMAT) != 0)
                return nc_error_set(error, -EINVAL, "format: \"%.64s\" is not a format this library reads (%s)",
                                    format->u.string, NC_EXPORT_FORMAT);
        for (size_t i = 0; i < root->n; i++) {
                const char *key = root->u.members[i].key;
                const nc_json *value = &root->u.members[i].value;

                if (strcmp(key, "format") == 0)
                        continue;
                if (strcmp(key, "containers") == 0) {
                        if (value->type != NC_JSON_OBJECT)
                                return nc_error_set(error, -EINVAL, "containers: must be an object {NAME: definition}");
                        *ret_containers = value;
                } else if (strcmp(key, "enableContainers") == 0) {
                        /* config.boot.enableContainers */
                        if (value->type != NC_JSON_BOOL)
                                return nc_error_set(error, -EINVAL, "enableContainers: must be a boolean");
                        *ret_enable = value->u.boolean;
                } else if (strcmp(key, "release") == 0 || strcmp(key, "stateVersion") == 0) {
                        if (value->type != NC_JSON_STRING || value->n != strlen(value->u.string))
                                return nc_error_set(error, -EINVAL, "%s: must be a string", key);
                        *(key[0] == 'r' ? ret_release : ret_state_version) = value->u.string;
                } else
                        return nc_error_set(error, -EINVAL, "%.64s: not a member of the %s format", key,
                                            NC_EXPORT_FORMAT);
        }
        if (*ret_containers == root)
                return nc_error_set(error, -EINVAL, "containers: missing from the %s file", NC_EXPORT_FORMAT);
        return 0;
}

/* ---- what the loader never reads -------------------------------------- */

/* A container's `config` (a whole NixOS configuration) and `specialArgs`
 * are ignored: the parser checks them as JSON but keeps nothing of them
 * (nc_json_parse_skipping()), so that their size costs no memory. */
static bool is_ignored_option(const char *key) {
        return strcmp(key, "config") == 0 || strcmp(key, "specialArgs") == 0;
}

/* Whether the text's top-level object has a member "format" whose value
 * is a string: a quick scan, without decoding, that tells where the
 * containers are (the real parse checks the text). A spelling it misses
 * ("form\u0061t") only keeps what could have been skipped. */
static bool looks_like_envelope(const char *text, size_t len) {
        const char *p = text, *end = text + len;
        unsigned depth = 0;
        bool in_key;

#define SKIP_SPACE() while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++
        SKIP_SPACE();
        if (p == end || *p++ != '{')
                return false;
        for (in_key = true; p < end;) {
                SKIP_SPACE();
                if (p == end)
                        return false;
                if (*p == '"') {
                        const char *start = ++p;
                        while (p < end && *p != '"')
                                p += *p == '\\' ? 2 : 1;
                        if (p >= end)
                                return false;
                        p++;
                        if (depth == 0 && in_key) {
                                bool format = p - start - 1 == 6 && memcmp(start, "format", 6) == 0;
                                SKIP_SPACE();
                                if (p == end || *p++ != ':')
                                        return false;
                                SKIP_SPACE();
                                if (format)
                                        return p < end && *p == '"';
                                in_key = false;
                        }
                        continue;
                }
                if (*p == '{' || *p == '[')
                        depth++;
                else if (*p == '}' || *p == ']') {
                        if (depth == 0)
                                return false;
                        depth--;
                } else if (*p == ',' && depth == 0)
                        in_key = true;
                p++;
        }
#undef SKIP_SPACE
        return false;
}

/* containers.NAME.config: at depth 2 of a bare config, at depth 3 under
 * "containers" of the export format. */
static bool skip_ignored(const char *const *keys, unsigned depth, void *userdata) {
        bool envelope = *(const bool *) userdata;

        if (envelope)
                return depth == 3 && strcmp(keys[0], "containers") == 0 && is_ignored_option(keys[2]);
        return depth == 2 && is_ignored_option(keys[1]);
}

static int release_error(const char *name, nc_error *error) {
        char known[128] = "";
        size_t n = 0;

        for (size_t i = 0; nc_release_name(i); i++)
                n += (size_t) snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", nc_release_name(i));
        return nc_error_set(error, -EINVAL, "release \"%.32s\": not a release this library follows (%s)", name, known);
}

int nc_config_load_json(const char *text, size_t len, nc_mode mode, const char *release, const char *state_version,
                        nc_config **ret_config, nc_error *error) {
        return nc_config_load_json_flags(text, len, mode, 0, release, state_version, ret_config, error);
}

int nc_config_load_json_flags(const char *text, size_t len, nc_mode mode, unsigned flags, const char *release,
                              const char *state_version, nc_config **ret_config, nc_error *error) {
        loader l = { .mode = mode, .error = error, .flags = flags };
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_(nc_json_freep) nc_json_doc *doc = NULL;
        const char *file_release, *file_state_version;
        bool envelope;
        int enable;
        nc_json_error syntax;
        const nc_json *root, *containers_json;
        int r;

        if (len > MAX_CONFIG_BYTES)
                return nc_error_set(error, -EFBIG, "the configuration is larger than %u bytes", MAX_CONFIG_BYTES);
        envelope = looks_like_envelope(text, len);
        r = nc_json_parse_skipping(text, len, skip_ignored, &envelope, &doc, &syntax);
        if (r == -ENOMEM)
                return nc_error_set(error, r, "out of memory while loading the configuration");
        if (r < 0)
                return nc_error_set(error, r, "line %zu, column %zu: %s", syntax.line, syntax.column, syntax.text);
        root = nc_json_root(doc);
        if (root->type != NC_JSON_OBJECT)
                return nc_error_set(error, -EINVAL, "containers: the configuration must be a JSON object {NAME: definition}");
        r = read_envelope(root, &containers_json, &file_release, &file_state_version, &enable, error);
        if (r < 0)
                return r;
        release = release ? release : file_release ? file_release : NC_RELEASE_DEFAULT;
        state_version = state_version ? state_version : file_state_version ? file_state_version
                                                                           : NC_STATE_VERSION_DEFAULT;
        l.release = nc_release_info_find(release);
        if (!l.release)
                return release_error(release, error);
        if (nc_release_nixos_prefix(l.release, state_version, &l.nixos_prefix) < 0)
                return nc_error_set(error, -EINVAL, "stateVersion \"%.32s\": not a version", state_version);

        config = calloc(1, sizeof *config);
        if (!config || !(config->state_version = strdup(state_version)))
                return nc_error_set(error, -ENOMEM, "out of memory while loading the configuration");
        config->release = l.release;
        r = nc_container_init_defaults(&config->template, l.release, l.nixos_prefix);
        if (r >= 0) {
                where containers = { .name = "containers" };
                r = load_attrs_of(&l, &containers, containers_json, NC_TYPE_ATTRS_OF_CONTAINERS,
                                  (void **) &config->containers, sizeof *config->containers, &config->n_containers,
                                  load_container);
        }
        if (r == -ENOMEM)
                return nc_error_set(error, r, "out of memory while loading the configuration");
        if (r < 0)
                return r;
        /* boot.enableContainers = mkOption { default = config.containers != { }; } (25.11) */
        config->enable_containers = enable >= 0 ? enable : !l.release->containers_enable_boot || config->n_containers > 0;
        *ret_config = TAKE_PTR(config);
        return 0;
}

int nc_config_load_file(const char *path, nc_mode mode, const char *release, const char *state_version,
                        nc_config **ret_config, nc_error *error) {
        return nc_config_load_file_flags(path, mode, 0, release, state_version, ret_config, error);
}

int nc_config_load_file_flags(const char *path, nc_mode mode, unsigned flags, const char *release,
                              const char *state_version, nc_config **ret_config, nc_error *error) {
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        /* "-": standard input, as `--config -` reads it. */
        r = strcmp(path, "-") == 0 ? nc_read_fd(STDIN_FILENO, MAX_CONFIG_BYTES, &text, &len)
                                   : nc_read_file(path, MAX_CONFIG_BYTES, &text, &len);
        if (r < 0)
                return nc_error_set(error, r, "%s: %s", path, r == -EFBIG ? "file too large" : strerror(-r));
        r = nc_config_load_json_flags(text, len, mode, flags, release, state_version, ret_config, error);
        if (r < 0 && r != -ENOMEM) {
                /* Prefix the file name so that JSON syntax errors say where. */
                char message[NC_ERROR_MAX];
                snprintf(message, sizeof message, "%s", error ? error->message : "");
                if (error && strncmp(message, "line ", 5) == 0)
                        nc_error_set(error, r, "%s: %s", path, message);
        }
        return r;
}
