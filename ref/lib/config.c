/* The configuration model: ownership, lookup and the module's
 * containerConfig (the enableTun additions). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "config-internal.h"
#include "error.h"
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

static void forward_port_clear(void *item) {
        free(((nc_forward_port *) item)->protocol);
}

static void extra_veth_clear(void *item) {
        nc_extra_veth *veth = item;

        free(veth->name);
        nc_network_clear(&veth->network);
}

static void bind_mount_clear(void *item) {
        nc_bind_mount *bind = item;

        free(bind->name);
        free(bind->mount_point);
        free(bind->host_path);
}

static void allowed_device_clear(void *item) {
        nc_allowed_device *device = item;

        free(device->node);
        free(device->modifier);
}

void nc_network_clear_ports(nc_network *network) {
        clear_items(&network->forward_ports, &network->n_forward_ports, sizeof *network->forward_ports,
                    forward_port_clear);
}

void nc_network_clear(nc_network *network) {
        nc_network_clear_ports(network);
        free(network->host_bridge);
        free(network->host_address);
        free(network->host_address6);
        free(network->local_address);
        free(network->local_address6);
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
        free(c->path);
        free(c->nixpkgs);
        free(c->timeout_start_sec);
        nc_strv_clear(&c->additional_capabilities);
        nc_strv_clear(&c->interfaces);
        nc_strv_clear(&c->macvlans);
        nc_strv_clear(&c->tmpfs);
        nc_strv_clear(&c->extra_flags);
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
        free(config);
}

const nc_container *nc_config_find(const nc_config *config, const char *name) {
        for (size_t i = 0; config && i < config->n_containers; i++)
                if (strcmp(config->containers[i].name, name) == 0)
                        return &config->containers[i];
        return NULL;
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

static char *dup_or_null(const char *s, int *r) {
        char *copy;
        if (!s)
                return NULL;
        copy = strdup(s);
        if (!copy)
                *r = -ENOMEM;
        return copy;
}

static int copy_network(nc_network *to, const nc_network *from) {
        int r = 0;

        to->host_bridge = dup_or_null(from->host_bridge, &r);
        to->host_address = dup_or_null(from->host_address, &r);
        to->host_address6 = dup_or_null(from->host_address6, &r);
        to->local_address = dup_or_null(from->local_address, &r);
        to->local_address6 = dup_or_null(from->local_address6, &r);
        if (from->n_forward_ports) {
                to->forward_ports = calloc(from->n_forward_ports, sizeof *to->forward_ports);
                if (!to->forward_ports)
                        return -ENOMEM;
                for (size_t i = 0; i < from->n_forward_ports; i++) {
                        to->forward_ports[i] = from->forward_ports[i];
                        to->forward_ports[i].protocol = dup_or_null(from->forward_ports[i].protocol, &r);
                        to->n_forward_ports = i + 1;
                }
        }
        return r;
}

static int copy_container(nc_container *to, const nc_container *from) {
        int r = 0;

        to->name = dup_or_null(from->name, &r);
        to->path = dup_or_null(from->path, &r);
        to->nixpkgs = dup_or_null(from->nixpkgs, &r);
        to->timeout_start_sec = dup_or_null(from->timeout_start_sec, &r);
        to->ephemeral = from->ephemeral;
        to->enable_tun = from->enable_tun;
        to->private_network = from->private_network;
        to->auto_start = from->auto_start;
        to->has_config = from->has_config;
        if (r < 0)
                return r;
        if ((r = copy_strv(&to->additional_capabilities, &from->additional_capabilities)) < 0 ||
            (r = copy_strv(&to->interfaces, &from->interfaces)) < 0 ||
            (r = copy_strv(&to->macvlans, &from->macvlans)) < 0 ||
            (r = copy_strv(&to->tmpfs, &from->tmpfs)) < 0 ||
            (r = copy_strv(&to->extra_flags, &from->extra_flags)) < 0 ||
            (r = copy_network(&to->network, &from->network)) < 0)
                return r;
        to->extra_veths = calloc(from->n_extra_veths + 1, sizeof *to->extra_veths);
        to->bind_mounts = calloc(from->n_bind_mounts + 1, sizeof *to->bind_mounts);
        to->allowed_devices = calloc(from->n_allowed_devices + 2, sizeof *to->allowed_devices);
        if (!to->extra_veths || !to->bind_mounts || !to->allowed_devices)
                return -ENOMEM;
        for (size_t i = 0; i < from->n_extra_veths; i++) {
                to->n_extra_veths = i + 1;
                to->extra_veths[i].name = dup_or_null(from->extra_veths[i].name, &r);
                if (r < 0 || (r = copy_network(&to->extra_veths[i].network, &from->extra_veths[i].network)) < 0)
                        return r;
        }
        for (size_t i = 0; i < from->n_bind_mounts; i++) {
                to->n_bind_mounts = i + 1;
                to->bind_mounts[i].name = dup_or_null(from->bind_mounts[i].name, &r);
                to->bind_mounts[i].mount_point = dup_or_null(from->bind_mounts[i].mount_point, &r);
                to->bind_mounts[i].host_path = dup_or_null(from->bind_mounts[i].host_path, &r);
                to->bind_mounts[i].is_read_only = from->bind_mounts[i].is_read_only;
        }
        for (size_t i = 0; i < from->n_allowed_devices; i++) {
                to->n_allowed_devices = i + 1;
                to->allowed_devices[i].node = dup_or_null(from->allowed_devices[i].node, &r);
                to->allowed_devices[i].modifier = dup_or_null(from->allowed_devices[i].modifier, &r);
        }
        return r;
}

int nc_container_effective(const nc_container *container, nc_container **ret_effective) {
        _cleanup_(nc_container_freep) nc_container *c = calloc(1, sizeof *c);
        int r;

        if (!c)
                return -ENOMEM;
        r = copy_container(c, container);
        /* containerConfig = cfg // (if cfg.enableTun then {
         *   allowedDevices = cfg.allowedDevices ++ [ { node = "/dev/net/tun"; modifier = "rw"; } ];
         *   additionalCapabilities = cfg.additionalCapabilities ++ [ "CAP_NET_ADMIN" ]; } else {}); */
        if (r >= 0 && c->enable_tun) {
                nc_allowed_device *tun = &c->allowed_devices[c->n_allowed_devices];
                tun->node = strdup("/dev/net/tun");
                tun->modifier = strdup("rw");
                c->n_allowed_devices++;
                r = tun->node && tun->modifier ? nc_strv_push(&c->additional_capabilities, "CAP_NET_ADMIN") : -ENOMEM;
        }
        if (r < 0)
                return r;
        *ret_effective = TAKE_PTR(c);
        return 0;
}
