/* The configuration model: ownership, lookup and the module's
 * containerConfig (the enableTun additions). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "config-internal.h"
#include "error.h"
#include "option-table.h"
#include "validate.h"

/* Clears each of the *n_items items (item_size bytes each) of the array
 * at *items, frees it and leaves an empty one. */
static void clear_items(void *items, size_t *n_items, size_t item_size, void (*clear_item)(void *item)) {
        void **array = items;

        for (size_t i = 0; i < *n_items; i++)
                clear_item((char *) *array + i * item_size);
        free(*array);
        *array = NULL;
        *n_items = 0;
}

/* The option types whose C field is a char * (NULL: null). */
static bool is_string_option(const nc_option *o) {
        switch (o->type) {
        case NC_TYPE_PATH: case NC_TYPE_STR: case NC_TYPE_NULL_OR_STR: case NC_TYPE_NULL_OR_PATH:
        case NC_TYPE_PRIVATE_USERS: case NC_TYPE_NULL_OR_MAC:
                return true;
        default:
                return false;
        }
}

/* Frees every string and clears every string list that the option table
 * `table` describes in the struct `s` (the submodules' arrays are the
 * caller's: their counts live beside them). */
static void clear_options(void *s, const nc_option_table *table) {
        for (size_t i = 0; i < table->n_options; i++) {
                const nc_option *o = &table->options[i];
                void *field = (char *) s + o->offset;

                if (is_string_option(o)) {
                        free(*(char **) field);
                        *(char **) field = NULL;
                } else if (o->type == NC_TYPE_LIST_OF_STR)
                        nc_strv_clear(field);
        }
}

static void forward_port_clear(void *item) {
        clear_options(item, &nc_forward_port_options);
}

static void extra_veth_clear(void *item) {
        nc_extra_veth *veth = item;

        free(veth->name);
        nc_network_clear(&veth->network);
}

static void bind_mount_clear(void *item) {
        free(((nc_bind_mount *) item)->name);
        clear_options(item, &nc_bind_mount_options);
}

static void allowed_device_clear(void *item) {
        clear_options(item, &nc_allowed_device_options);
}

void nc_network_clear_ports(nc_network *network) {
        clear_items(&network->forward_ports, &network->n_forward_ports, sizeof *network->forward_ports,
                    forward_port_clear);
}

void nc_network_clear(nc_network *network) {
        nc_network_clear_ports(network);
        clear_options(network, &nc_network_options);
        memset(network, 0, sizeof *network);
}

void nc_container_clear_extra_veths(nc_container *c) {
        clear_items(&c->extra_veths, &c->n_extra_veths, sizeof *c->extra_veths, extra_veth_clear);
}

void nc_container_clear_bind_mounts(nc_container *c) {
        clear_items(&c->bind_mounts, &c->n_bind_mounts, sizeof *c->bind_mounts, bind_mount_clear);
}

void nc_container_clear_allowed_devices(nc_container *c) {
        clear_items(&c->allowed_devices, &c->n_allowed_devices, sizeof *c->allowed_devices, allowed_device_clear);
}

void nc_container_clear(nc_container *c) {
        free(c->name);
        free(c->refusal);
        free(c->compat_note);
        clear_options(c, &nc_container_options);
        nc_container_clear_extra_veths(c);
        nc_container_clear_bind_mounts(c);
        nc_container_clear_allowed_devices(c);
        nc_network_clear(&c->network);
        memset(c, 0, sizeof *c);
}

void nc_container_free(nc_container *container) {
        if (!container)
                return;
        nc_container_clear(container);
        free(container);
}

void nc_config_free(nc_config *config) {
        if (!config)
                return;
        for (size_t i = 0; i < config->n_containers; i++)
                nc_container_clear(&config->containers[i]);
        free(config->containers);
        nc_container_clear(&config->template);
        free(config->state_version);
        free(config);
}

const char *nc_version(void) {
        return NC_VERSION;
}

const char *nc_release_name(size_t i) {
        const nc_release_info *release = i < NC_RELEASE_COUNT ? nc_release_info_get((nc_release_id) i) : NULL;
        return release ? release->name : NULL;
}

const char *nc_config_release(const nc_config *config) {
        return config ? config->release->name : NULL;
}

const char *nc_config_state_version(const nc_config *config) {
        return config ? config->state_version : NULL;
}

size_t nc_config_count(const nc_config *config) {
        return config ? config->n_containers : 0;
}

const nc_container *nc_config_at(const nc_config *config, size_t i) {
        return config && i < config->n_containers ? &config->containers[i] : NULL;
}

const nc_container *nc_config_template(const nc_config *config) {
        return config && config->enable_containers ? &config->template : NULL;
}

const char *nc_container_name(const nc_container *container) {
        return container ? container->name : NULL;
}

const nc_release_info *nc_container_release(const nc_container *container) {
        return container && container->release ? container->release : nc_release_info_get(NC_RELEASE_21_05);
}

bool nc_private_users_map(const char *private_users) {
        /* [[ "$PRIVATE_USERS" = "pick" || ("$PRIVATE_USERS" =~ ^[[:digit:]]+$ && "$PRIVATE_USERS" -gt 0) ]] */
        bool digits = private_users && private_users[0], nonzero = false;

        if (!private_users)
                return false;
        if (strcmp(private_users, "pick") == 0)
                return true;
        for (const char *p = private_users; *p; p++) {
                digits = digits && *p >= '0' && *p <= '9';
                nonzero = nonzero || (*p >= '1' && *p <= '9');
        }
        return digits && nonzero;
}

int nc_container_init_defaults(nc_container *c, const nc_release_info *release, bool nixos_prefix) {
        /* The submodule's defaults; dummyConfig for the template. */
        c->release = release;
        c->nixos_prefix = nixos_prefix;
        c->copy_resolv_conf = true;
        c->restart_if_changed = true;
        c->timeout_start_sec = strdup("1min");
        c->private_users = strdup("no");
        return c->timeout_start_sec && c->private_users ? 0 : -ENOMEM;
}

const nc_container *nc_config_find(const nc_config *config, const char *name) {
        for (size_t i = 0; config && config->enable_containers && i < config->n_containers; i++)
                if (strcmp(config->containers[i].name, name) == 0)
                        return &config->containers[i];
        return NULL;
}

const char *nc_container_refusal(const nc_container *container) {
        return container ? container->refusal : NULL;
}

const char *nc_container_compat_note(const nc_container *container) {
        return container ? container->compat_note : NULL;
}

int nc_container_name_check(const char *name, nc_mode mode, const char *where, nc_error *error) {
        char buf[128];
        const char *why;

        if (name[0] == '\0')
                return nc_error_set(error, -EINVAL, "%s: the container name is empty", where);
        if (mode == NC_MODE_COMPAT)
                return 0;
        /* The name becomes a machine (machined), a unit instance, a file
         * name and a hosts entry; machined's rules cover all of them. */
        why = nc_check_machine_name(name, buf, sizeof buf);
        if (why)
                return nc_error_set(error, -EINVAL, "%s: \"%.64s%s\" %s", where, name, strlen(name) > 64 ? "..." : "",
                                    why);
        return 0;
}

static int copy_strv(nc_strv *to, const nc_strv *from) {
        for (size_t i = 0; i < from->n; i++) {
                int r = nc_strv_push(to, from->items[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Sets the string field at `offset` of the struct `to` to a copy of the
 * same field of `from` (NULL stays NULL); after an earlier failure (r < 0)
 * it sets NULL. Returns r, or -ENOMEM. */
static int copy_string_at(void *to, const void *from, size_t offset, int r) {
        const char *s = *(char *const *) ((const char *) from + offset);
        char **field = (char **) ((char *) to + offset);

        *field = s && r >= 0 ? strdup(s) : NULL;
        return s && !*field ? -ENOMEM : r;
}

/* Copies every string field the option table `table` describes, and the
 * attribute name at `name_offset` (NO_NAME: none), as copy_string_at()
 * does: on -ENOMEM the fields not copied are NULL, so that clearing `to`
 * frees exactly what it owns. */
#define NO_NAME SIZE_MAX
static int copy_strings(void *to, const void *from, const nc_option_table *table, size_t name_offset) {
        int r = name_offset == NO_NAME ? 0 : copy_string_at(to, from, name_offset, 0);

        for (size_t i = 0; i < table->n_options; i++)
                if (is_string_option(&table->options[i]))
                        r = copy_string_at(to, from, table->options[i].offset, r);
        return r;
}

/* A new array in *to of the `n` items of `from` (item_size bytes each),
 * with room for `spare` more, each copied by `copy_item`; *n_to counts the
 * items begun, so that clearing the owner after a failure frees them. */
static int copy_items(void *to, size_t *n_to, const void *from, size_t n, size_t item_size, size_t spare,
                      int (*copy_item)(void *to_item, const void *from_item)) {
        void **array = to;
        int r = 0;

        *array = calloc(n + spare ? n + spare : 1, item_size);
        if (!*array)
                return -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                *n_to = i + 1;
                r = copy_item((char *) *array + i * item_size, (const char *) from + i * item_size);
        }
        return r;
}

static int copy_forward_port(void *to, const void *from) {
        *(nc_forward_port *) to = *(const nc_forward_port *) from;
        return copy_strings(to, from, &nc_forward_port_options, NO_NAME);
}

static int copy_network(nc_network *to, const nc_network *from) {
        int r = copy_strings(to, from, &nc_network_options, NO_NAME);

        return r < 0 ? r : copy_items(&to->forward_ports, &to->n_forward_ports, from->forward_ports,
                                      from->n_forward_ports, sizeof *from->forward_ports, 0, copy_forward_port);
}

static int copy_extra_veth(void *to, const void *from) {
        int r = copy_string_at(to, from, offsetof(nc_extra_veth, name), 0);

        return r < 0 ? r : copy_network(&((nc_extra_veth *) to)->network, &((const nc_extra_veth *) from)->network);
}

static int copy_bind_mount(void *to, const void *from) {
        *(nc_bind_mount *) to = *(const nc_bind_mount *) from;
        return copy_strings(to, from, &nc_bind_mount_options, offsetof(nc_bind_mount, name));
}

static int copy_allowed_device(void *to, const void *from) {
        return copy_strings(to, from, &nc_allowed_device_options, NO_NAME);
}

static int copy_container(nc_container *to, const nc_container *from) {
        int r;

        /* The scalars first, then a fresh copy of each string and array. */
        *to = *from;
        memset(&to->additional_capabilities, 0, sizeof to->additional_capabilities);
        memset(&to->interfaces, 0, sizeof to->interfaces);
        memset(&to->macvlans, 0, sizeof to->macvlans);
        memset(&to->tmpfs, 0, sizeof to->tmpfs);
        memset(&to->extra_flags, 0, sizeof to->extra_flags);
        memset(&to->network, 0, sizeof to->network);
        to->extra_veths = NULL, to->n_extra_veths = 0;
        to->bind_mounts = NULL, to->n_bind_mounts = 0;
        to->allowed_devices = NULL, to->n_allowed_devices = 0;
        to->refusal = to->compat_note = NULL;
        r = copy_strings(to, from, &nc_container_options, offsetof(nc_container, name));
        if (r >= 0 && from->refusal && !(to->refusal = strdup(from->refusal)))
                r = -ENOMEM;
        if (r >= 0 && from->compat_note && !(to->compat_note = strdup(from->compat_note)))
                r = -ENOMEM;
        if (r < 0 || (r = copy_strv(&to->additional_capabilities, &from->additional_capabilities)) < 0 ||
            (r = copy_strv(&to->interfaces, &from->interfaces)) < 0 ||
            (r = copy_strv(&to->macvlans, &from->macvlans)) < 0 || (r = copy_strv(&to->tmpfs, &from->tmpfs)) < 0 ||
            (r = copy_strv(&to->extra_flags, &from->extra_flags)) < 0 ||
            (r = copy_network(&to->network, &from->network)) < 0)
                return r;
        /* Room for what enableTun adds (nc_container_effective()). */
        if ((r = copy_items(&to->extra_veths, &to->n_extra_veths, from->extra_veths, from->n_extra_veths,
                            sizeof *from->extra_veths, 1, copy_extra_veth)) < 0 ||
            (r = copy_items(&to->bind_mounts, &to->n_bind_mounts, from->bind_mounts, from->n_bind_mounts,
                            sizeof *from->bind_mounts, 1, copy_bind_mount)) < 0)
                return r;
        return copy_items(&to->allowed_devices, &to->n_allowed_devices, from->allowed_devices,
                          from->n_allowed_devices, sizeof *from->allowed_devices, 2, copy_allowed_device);
}

int nc_container_effective(const nc_container *container, nc_container **ret_effective) {
        _cleanup_(nc_container_freep) nc_container *c = calloc(1, sizeof *c);
        int r;

        if (!c)
                return -ENOMEM;
        r = copy_container(c, container);
        /* containerConfig = cfg // (if cfg.enableTun then {
         *   allowedDevices = cfg.allowedDevices ++ [ { node = "/dev/net/tun"; modifier = "rw"; } ];
         *   additionalCapabilities = cfg.additionalCapabilities ++ [ "CAP_NET_ADMIN" ]; } else {});
         * "rwm" from 25.11, which also adds the device (not the capability)
         * when !cfg.enableTun && cfg.privateNetwork && (cfg.privateUsers == "pick" ||
         *   (builtins.isInt cfg.privateUsers && cfg.privateUsers > 0)). */
        if (r >= 0 && (c->enable_tun || (c->private_network && nc_private_users_map(c->private_users)))) {
                nc_allowed_device *tun = &c->allowed_devices[c->n_allowed_devices];
                tun->node = strdup("/dev/net/tun");
                tun->modifier = strdup(nc_container_release(c)->tun_modifier);
                c->n_allowed_devices++;
                r = tun->node && tun->modifier ? 0 : -ENOMEM;
        }
        if (r >= 0 && c->enable_tun)
                r = nc_strv_push(&c->additional_capabilities, "CAP_NET_ADMIN");
        if (r < 0)
                return r;
        *ret_effective = TAKE_PTR(c);
        return 0;
}
