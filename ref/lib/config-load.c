/* JSON -> nc_config: the container submodule's types and defaults, checked
 * as lib.evalModules checks them, plus strict mode's refusals. Every message
 * names the option as the module would: containers.NAME.OPTION. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config-internal.h"
#include "error.h"
#include "option-table.h"
#include "strict-rules.h"

/* Every size that comes from input has a limit. */
#define MAX_CONFIG_BYTES (64u * 1024u * 1024u)
#define MAX_LOCATION 768

typedef struct loader {
        nc_mode mode;
        nc_error *error;
} loader;

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

/* A short rendering of a JSON value for messages. */
static void describe(const json_t *value, char *out, size_t size) {
        char *dump = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!dump) {
                snprintf(out, size, "(a value)");
                return;
        }
        if (strlen(dump) > 60)
                snprintf(out, size, "%.57s...", dump);
        else
                snprintf(out, size, "%s", dump);
        free(dump);
}

static int type_error(loader *l, const char *where, const json_t *value, nc_type type) {
        char shown[80];
        describe(value, shown, sizeof shown);
        return nc_error_set(l->error, -EINVAL, "%s: %s is not of type %s", where, shown, nc_type_name(type));
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

static int check_string(loader *l, const char *where, const char *value, size_t len, unsigned rules,
                        nc_validator validate) {
        char shown[96], buf[160];
        const char *why;

        /* Nix strings cannot hold NUL, so not even --compat can reproduce one. */
        if (memchr(value, '\0', len))
                return nc_error_set(l->error, -EINVAL, "%s: contains a NUL byte, which Nix strings cannot hold", where);
        if (l->mode == NC_MODE_COMPAT)
                return 0;
        why = nc_strict_violation(value, len, rules);
        if (why)
                return nc_error_set(l->error, -EINVAL, "%s: %s (use --compat to reproduce the original)", where, why);
        why = validate ? validate(value, buf, sizeof buf) : NULL;
        if (why) {
                show_value(value, shown, sizeof shown);
                return nc_error_set(l->error, -EINVAL, "%s: %s %s", where, shown, why);
        }
        return 0;
}

static int load_str(loader *l, const char *where, const json_t *value, bool nullable, unsigned rules,
                    nc_validator validate, char **field) {
        char *copy;
        int r;

        if (nullable && json_is_null(value)) {
                *field = NULL;
                return 0;
        }
        if (!json_is_string(value))
                return type_error(l, where, value, nullable ? NC_TYPE_NULL_OR_STR : NC_TYPE_STR);
        r = check_string(l, where, json_string_value(value), json_string_length(value), rules, validate);
        if (r < 0)
                return r;
        copy = strdup(json_string_value(value));
        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static int load_path(loader *l, const char *where, const json_t *value, unsigned rules, nc_validator validate,
                     char **field) {
        /* types.path: isCoercibleToString x && substring 0 1 (toString x) == "/".
         * Only a string can pass and still be interpolated into the env file. */
        if (!json_is_string(value) || json_string_value(value)[0] != '/')
                return type_error(l, where, value, NC_TYPE_PATH);
        return load_str(l, where, value, false, rules, validate, field);
}

static int load_bool(loader *l, const char *where, const json_t *value, bool *field) {
        if (!json_is_boolean(value))
                return type_error(l, where, value, NC_TYPE_BOOL);
        *field = json_is_true(value);
        return 0;
}

static int load_int(loader *l, const char *where, const json_t *value, bool nullable, bool *ret_present,
                    long long *field) {
        if (nullable && json_is_null(value)) {
                *ret_present = false;
                return 0;
        }
        /* types.int is builtins.isInt: 80.0 is a float and is refused. */
        if (!json_is_integer(value))
                return type_error(l, where, value, nullable ? NC_TYPE_NULL_OR_INT : NC_TYPE_INT);
        *field = json_integer_value(value);
        if (ret_present)
                *ret_present = true;
        return 0;
}

static int load_str_list(loader *l, const char *where, const json_t *value, unsigned rules, nc_validator validate,
                         nc_strv *field) {
        char item_where[MAX_LOCATION];
        size_t i;
        json_t *item;
        int r;

        if (!json_is_array(value))
                return type_error(l, where, value, NC_TYPE_LIST_OF_STR);
        nc_strv_clear(field);
        json_array_foreach(value, i, item) {
                location_index(item_where, where, i);
                if (!json_is_string(item))
                        return type_error(l, item_where, item, NC_TYPE_STR);
                r = check_string(l, item_where, json_string_value(item), json_string_length(item), rules, validate);
                if (r < 0)
                        return r;
                r = nc_strv_push(field, json_string_value(item));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int unknown_option(loader *l, const char *where, const char *key) {
        char option[MAX_LOCATION];
        location_attr(option, where, key);
        return nc_error_set(l->error, -EINVAL, "%s: the option does not exist", option);
}

static int missing_option(loader *l, const char *where, const char *key) {
        char option[MAX_LOCATION];
        location_attr(option, where, key);
        return nc_error_set(l->error, -EINVAL, "%s: the option is used but not defined", option);
}

static int check_port(loader *l, const char *where, long long port, bool present) {
        if (l->mode == NC_MODE_COMPAT || !present || nc_port_is_valid(port))
                return 0;
        return nc_error_set(l->error, -EINVAL, "%s: %lld is not a port (1-65535)", where, port);
}

static int load_forward_port(loader *l, const char *where, const json_t *value, nc_forward_port *port) {
        char option_where[MAX_LOCATION];
        const char *key;
        json_t *item;
        bool has_host_port = false;
        int r;

        if (!json_is_object(value))
                return type_error(l, where, value, NC_TYPE_LIST_OF_PORTS);
        json_object_foreach((json_t *) value, key, item) {
                const nc_option *o = nc_option_find(&nc_forward_port_options, key);
                if (!o)
                        return unknown_option(l, where, key);
                location_attr(option_where, where, key);
                if (strcmp(key, "protocol") == 0)
                        r = load_str(l, option_where, item, false, o->rules, o->validate, &port->protocol);
                else if (strcmp(key, "hostPort") == 0) {
                        r = load_int(l, option_where, item, false, NULL, &port->host_port);
                        if (r >= 0)
                                r = check_port(l, option_where, port->host_port, true);
                        has_host_port = true;
                } else {
                        r = load_int(l, option_where, item, true, &port->has_container_port, &port->container_port);
                        if (r >= 0)
                                r = check_port(l, option_where, port->container_port, port->has_container_port);
                }
                if (r < 0)
                        return r;
        }
        if (!has_host_port)
                return missing_option(l, where, "hostPort");
        if (!port->protocol) {
                port->protocol = strdup("tcp");
                if (!port->protocol)
                        return -ENOMEM;
        }
        return 0;
}

static int load_forward_ports(loader *l, const char *where, const json_t *value, nc_network *network) {
        char item_where[MAX_LOCATION];
        size_t i, n;
        json_t *item;
        int r;

        if (!json_is_array(value))
                return type_error(l, where, value, NC_TYPE_LIST_OF_PORTS);
        n = json_array_size(value);
        nc_network_clear_ports(network);
        if (n == 0)
                return 0;
        network->forward_ports = calloc(n, sizeof *network->forward_ports);
        if (!network->forward_ports)
                return -ENOMEM;
        json_array_foreach(value, i, item) {
                location_index(item_where, where, i);
                network->n_forward_ports = i + 1;
                r = load_forward_port(l, item_where, item, &network->forward_ports[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One networkOptions entry; used for the container and for extraVeths. */
static int load_network_option(loader *l, const char *where, const nc_option *o, const json_t *value,
                               nc_network *network) {
        if (o->type == NC_TYPE_LIST_OF_PORTS)
                return load_forward_ports(l, where, value, network);
        return load_str(l, where, value, true, o->rules, o->validate, (char **) ((char *) network + o->offset));
}

static int load_extra_veth(loader *l, const char *where, const char *name, const json_t *value,
                           nc_extra_veth *veth) {
        char option_where[MAX_LOCATION];
        const char *key;
        json_t *item;
        int r;

        veth->name = strdup(name);
        if (!veth->name)
                return -ENOMEM;
        /* The name is pasted into postStart and container-init
         * (`ip link set dev ${name} up`) and into the start script. */
        r = check_string(l, where, name, strlen(name), NC_RULE_SCRIPT | NC_RULE_SPLIT, nc_check_ifname);
        if (r < 0)
                return r;
        if (!json_is_object(value))
                return type_error(l, where, value, NC_TYPE_ATTRS_OF_VETHS);
        json_object_foreach((json_t *) value, key, item) {
                const nc_option *o = nc_option_find(&nc_network_options, key);
                if (!o)
                        return unknown_option(l, where, key);
                location_attr(option_where, where, key);
                /* In extraVeths every value is pasted into the scripts' text. */
                r = load_network_option(l, option_where, o, item, &veth->network);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int load_bind_mount(loader *l, const char *where, const char *name, const json_t *value,
                           nc_bind_mount *bind) {
        char option_where[MAX_LOCATION];
        const char *key;
        json_t *item;
        int r;

        bind->is_read_only = true;
        bind->name = strdup(name);
        if (!bind->name)
                return -ENOMEM;
        if (!json_is_object(value))
                return type_error(l, where, value, NC_TYPE_ATTRS_OF_BINDS);
        json_object_foreach((json_t *) value, key, item) {
                const nc_option *o = nc_option_find(&nc_bind_mount_options, key);
                if (!o)
                        return unknown_option(l, where, key);
                location_attr(option_where, where, key);
                if (o->type == NC_TYPE_BOOL)
                        r = load_bool(l, option_where, item, &bind->is_read_only);
                else
                        r = load_str(l, option_where, item, o->type == NC_TYPE_NULL_OR_STR, o->rules, o->validate,
                                     (char **) ((char *) bind + o->offset));
                if (r < 0)
                        return r;
        }
        if (!bind->mount_point) {
                /* config.mountPoint = mkDefault name; */
                location_attr(option_where, where, "mountPoint");
                const nc_option *mount_point = nc_option_find(&nc_bind_mount_options, "mountPoint");
                r = check_string(l, option_where, name, strlen(name), mount_point->rules, mount_point->validate);
                if (r < 0)
                        return r;
                bind->mount_point = strdup(name);
                if (!bind->mount_point)
                        return -ENOMEM;
        }
        return 0;
}

static int load_allowed_device(loader *l, const char *where, const json_t *value, nc_allowed_device *device) {
        char option_where[MAX_LOCATION];
        const char *key;
        json_t *item;
        int r;

        if (!json_is_object(value))
                return type_error(l, where, value, NC_TYPE_LIST_OF_DEVICES);
        json_object_foreach((json_t *) value, key, item) {
                const nc_option *o = nc_option_find(&nc_allowed_device_options, key);
                if (!o)
                        return unknown_option(l, where, key);
                location_attr(option_where, where, key);
                r = load_str(l, option_where, item, false, o->rules, o->validate, (char **) ((char *) device + o->offset));
                if (r < 0)
                        return r;
        }
        if (!device->node)
                return missing_option(l, where, "node");
        if (!device->modifier)
                return missing_option(l, where, "modifier");
        return 0;
}

static int compare_keys(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The keys of a JSON object sorted bytewise, the order of Nix's attrNames. */
static int sorted_keys(const json_t *object, const char ***ret_keys, size_t *ret_n) {
        size_t n = json_object_size(object), i = 0;
        const char **keys;
        const char *key;
        json_t *value;

        keys = calloc(n ? n : 1, sizeof *keys);
        if (!keys)
                return -ENOMEM;
        json_object_foreach((json_t *) object, key, value)
                keys[i++] = key;
        qsort(keys, n, sizeof *keys, compare_keys);
        *ret_keys = keys;
        *ret_n = n;
        return 0;
}

static int load_extra_veths(loader *l, const char *where, const json_t *value, nc_container *c) {
        char veth_where[MAX_LOCATION];
        const char **keys = NULL;
        size_t n;
        int r;

        if (!json_is_object(value))
                return type_error(l, where, value, NC_TYPE_ATTRS_OF_VETHS);
        r = sorted_keys(value, &keys, &n);
        if (r < 0)
                return r;
        nc_container_clear_extra_veths(c);
        c->extra_veths = calloc(n ? n : 1, sizeof *c->extra_veths);
        if (!c->extra_veths) {
                free(keys);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                location_attr(veth_where, where, keys[i]);
                c->n_extra_veths = i + 1;
                r = load_extra_veth(l, veth_where, keys[i], json_object_get(value, keys[i]), &c->extra_veths[i]);
        }
        free(keys);
        return r;
}

static int load_bind_mounts(loader *l, const char *where, const json_t *value, nc_container *c) {
        char bind_where[MAX_LOCATION];
        const char **keys = NULL;
        size_t n;
        int r;

        if (!json_is_object(value))
                return type_error(l, where, value, NC_TYPE_ATTRS_OF_BINDS);
        r = sorted_keys(value, &keys, &n);
        if (r < 0)
                return r;
        nc_container_clear_bind_mounts(c);
        c->bind_mounts = calloc(n ? n : 1, sizeof *c->bind_mounts);
        if (!c->bind_mounts) {
                free(keys);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                location_attr(bind_where, where, keys[i]);
                c->n_bind_mounts = i + 1;
                r = load_bind_mount(l, bind_where, keys[i], json_object_get(value, keys[i]), &c->bind_mounts[i]);
        }
        free(keys);
        return r;
}

static int load_allowed_devices(loader *l, const char *where, const json_t *value, nc_container *c) {
        char item_where[MAX_LOCATION];
        size_t i, n;
        json_t *item;
        int r;

        if (!json_is_array(value))
                return type_error(l, where, value, NC_TYPE_LIST_OF_DEVICES);
        n = json_array_size(value);
        nc_container_clear_allowed_devices(c);
        c->allowed_devices = calloc(n ? n : 1, sizeof *c->allowed_devices);
        if (!c->allowed_devices)
                return -ENOMEM;
        json_array_foreach(value, i, item) {
                location_index(item_where, where, i);
                c->n_allowed_devices = i + 1;
                r = load_allowed_device(l, item_where, item, &c->allowed_devices[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int load_container_option(loader *l, const char *where, const nc_option *o, const json_t *value,
                                 nc_container *c) {
        void *field = (char *) c + o->offset;

        switch (o->type) {
        case NC_TYPE_PATH:
                return load_path(l, where, value, o->rules, o->validate, field);
        case NC_TYPE_STR:
        case NC_TYPE_NULL_OR_STR:
                return load_str(l, where, value, o->type == NC_TYPE_NULL_OR_STR, o->rules, o->validate, field);
        case NC_TYPE_BOOL:
                return load_bool(l, where, value, field);
        case NC_TYPE_LIST_OF_STR:
                return load_str_list(l, where, value, o->rules, o->validate, field);
        case NC_TYPE_ATTRS_OF_VETHS:
                return load_extra_veths(l, where, value, c);
        case NC_TYPE_ATTRS_OF_BINDS:
                return load_bind_mounts(l, where, value, c);
        case NC_TYPE_LIST_OF_DEVICES:
                return load_allowed_devices(l, where, value, c);
        case NC_TYPE_ANYTHING:
                /* The module evaluates `config` into `path`; without nixpkgs we
                 * cannot, and the module ignores it when path is given. */
                c->has_config = true;
                return 0;
        case NC_TYPE_REMOVED:
                /* checkAssertion in the module's submodule config. */
                return nc_error_set(l->error, -EINVAL,
                                    "%s: the option definition no longer has any effect; please remove it "
                                    "(use containers.%s.nixpkgs or containers.%s.config.nixpkgs.pkgs)",
                                    where, c->name, c->name);
        default:
                return nc_error_set(l->error, -EINVAL, "%s: unsupported option type", where);
        }
}

static int load_container(loader *l, const char *name, const json_t *value, nc_container *c) {
        char where[MAX_LOCATION], option_where[MAX_LOCATION];
        const char *key;
        json_t *item;
        int r;

        c->name = strdup(name);
        c->timeout_start_sec = strdup("1min");
        if (!c->name || !c->timeout_start_sec)
                return -ENOMEM;
        location_attr(where, "containers", name);
        r = nc_container_name_check(name, l->mode, where, l->error);
        if (r < 0)
                return r;
        if (!json_is_object(value))
                return nc_error_set(l->error, -EINVAL, "%s: is not of type submodule (a container definition)", where);

        json_object_foreach((json_t *) value, key, item) {
                const nc_option *o = nc_option_find(&nc_container_options, key);
                location_attr(option_where, where, key);
                if (o)
                        r = load_container_option(l, option_where, o, item, c);
                else if ((o = nc_option_find(&nc_network_options, key)))
                        r = load_network_option(l, option_where, o, item, &c->network);
                else
                        r = unknown_option(l, where, key);
                if (r < 0)
                        return r;
        }
        if (!c->path)
                return c->has_config
                        ? nc_error_set(l->error, -EINVAL,
                                       "%s.path: the option is used but not defined (a container given only by "
                                       "`config` needs nixpkgs to build; give the built system as path)", where)
                        : missing_option(l, where, "path");
        return 0;
}

int nc_config_load_json(const char *text, size_t len, nc_mode mode, nc_config **ret_config, nc_error *error) {
        loader l = { .mode = mode, .error = error };
        const char **names = NULL;
        json_error_t jerr;
        nc_config *config;
        json_t *root;
        size_t n;
        int r;

        if (len > MAX_CONFIG_BYTES)
                return nc_error_set(error, -EFBIG, "the configuration is larger than %u bytes", MAX_CONFIG_BYTES);
        root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (!root)
                return nc_error_set(error, -EINVAL, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        if (!json_is_object(root)) {
                json_decref(root);
                return nc_error_set(error, -EINVAL, "containers: the configuration must be a JSON object {NAME: definition}");
        }
        config = calloc(1, sizeof *config);
        r = config ? sorted_keys(root, &names, &n) : -ENOMEM;
        if (r >= 0) {
                config->containers = calloc(n ? n : 1, sizeof *config->containers);
                if (!config->containers)
                        r = -ENOMEM;
        }
        for (size_t i = 0; r >= 0 && i < n; i++) {
                config->n_containers = i + 1;
                r = load_container(&l, names[i], json_object_get(root, names[i]), &config->containers[i]);
        }
        free(names);
        json_decref(root);
        if (r < 0) {
                if (r == -ENOMEM)
                        nc_error_set(error, r, "out of memory while loading the configuration");
                nc_config_free(config);
                return r;
        }
        *ret_config = config;
        return 0;
}

int nc_config_load_file(const char *path, nc_mode mode, nc_config **ret_config, nc_error *error) {
        char *text;
        size_t len;
        int r;

        r = nc_read_file(path, MAX_CONFIG_BYTES, &text, &len);
        if (r < 0)
                return nc_error_set(error, r, "%s: %s", path, r == -EFBIG ? "file too large" : strerror(-r));
        r = nc_config_load_json(text, len, mode, ret_config, error);
        free(text);
        if (r < 0 && r != -ENOMEM) {
                /* Prefix the file name so that JSON syntax errors say where. */
                char message[NC_ERROR_MAX];
                snprintf(message, sizeof message, "%s", error ? error->message : "");
                if (error && strncmp(message, "line ", 5) == 0)
                        nc_error_set(error, r, "%s: %s", path, message);
        }
        return r;
}
