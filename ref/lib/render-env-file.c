/* environment.etc."containers/NAME.conf".text, byte for byte.
 *
 * The module's template (nixos-containers.nix, `environment.etc = ...`)
 * leaves a blank line wherever an optionalString is empty, because each
 * ${...} sits on a line of its own; the renderer writes the same "\n"s. */
#include <errno.h>
#include <stdio.h>

#include "alloc-util.h"
#include "config-internal.h"
#include "option-table.h"
#include "strbuf.h"

/* ${optionalString (cfg.X != null) ''\nKEY=${cfg.X}\n''}\n */
static int optional_line(nc_strbuf *b, const char *key, const char *value) {
        int r = 0;
        if (value)
                r = nc_strbuf_append_many(b, key, "=", value, "\n", (const char *) NULL);
        return r < 0 ? r : nc_strbuf_append_char(b, '\n');
}

/* toString of a list of strings: the items joined by " ". */
static int append_joined(nc_strbuf *b, const nc_strv *items, const char *separator) {
        for (size_t i = 0; i < items->n; i++) {
                int r = nc_strbuf_append(b, i ? separator : "");
                if (r < 0 || (r = nc_strbuf_append(b, items->items[i])) < 0)
                        return r;
        }
        return 0;
}

/* mkPortStr = p: p.protocol + ":" + toString p.hostPort + ":" +
 *   (if p.containerPort == null then toString p.hostPort else toString p.containerPort); */
static int append_host_port(nc_strbuf *b, const nc_network *network) {
        int r = 0;
        for (size_t i = 0; i < network->n_forward_ports && r >= 0; i++) {
                const nc_forward_port *p = &network->forward_ports[i];
                r = nc_strbuf_appendf(b, "%s%s:%lld:%lld", i ? "," : "", p->protocol, p->host_port,
                                      p->has_container_port ? p->container_port : p->host_port);
        }
        return r;
}

/* mkBindFlag = d: (if d.isReadOnly then " --bind-ro=" else " --bind=") +
 *   (if d.hostPath != null then "${d.hostPath}:${d.mountPoint}" else "${d.mountPoint}"); */
static int append_bind_flags(nc_strbuf *b, const nc_container *c) {
        int r = 0;
        for (size_t i = 0; i < c->n_bind_mounts && r >= 0; i++) {
                const nc_bind_mount *d = &c->bind_mounts[i];
                r = nc_strbuf_append(b, d->is_read_only ? " --bind-ro=" : " --bind=");
                if (r >= 0 && d->host_path)
                        r = nc_strbuf_append_many(b, d->host_path, ":", (const char *) NULL);
                if (r >= 0)
                        r = nc_strbuf_append(b, d->mount_point);
        }
        return r;
}

/* The options a release declares decide the lines it writes: each is
 * rendered where the module's template has it, 21.05's lines in place. */
static bool declares(const nc_container *c, const nc_option_table *table, const char *option) {
        return nc_option_find(table, option, nc_container_release(c)->id) != NULL;
}

static int render(nc_strbuf *b, const nc_container *c) {
        const nc_network *net = &c->network;
        bool has_flake = declares(c, &nc_container_options, "flake");
        int r;

        if (!has_flake) {
                /* SYSTEM_PATH=${cfg.path} */
                if ((r = nc_strbuf_append_many(b, "SYSTEM_PATH=", c->path, "\n", (const char *) NULL)) < 0)
                        return r;
        } else {
                /* ${optionalString (cfg.flake == null) ''SYSTEM_PATH=${cfg.path}''}
                 * ${optionalString (cfg.flake != null) ''FLAKE=${cfg.flake}''} */
                if ((r = optional_line(b, "SYSTEM_PATH", c->flake ? NULL : c->path)) < 0 ||
                    (r = optional_line(b, "FLAKE", c->flake)) < 0)
                        return r;
        }
        /* COPY_RESOLV_CONF=${if cfg.copyResolvConf then "1" else "0"} */
        if (declares(c, &nc_container_options, "copyResolvConf") &&
            (r = nc_strbuf_append(b, c->copy_resolv_conf ? "COPY_RESOLV_CONF=1\n" : "COPY_RESOLV_CONF=0\n")) < 0)
                return r;
        if (c->private_network) {
                if ((r = nc_strbuf_append(b, "PRIVATE_NETWORK=1\n")) < 0 ||
                    (r = optional_line(b, "HOST_BRIDGE", net->host_bridge)) < 0)
                        return r;
                if (net->n_forward_ports > 0) {
                        if ((r = nc_strbuf_append(b, "HOST_PORT=")) < 0 || (r = append_host_port(b, net)) < 0 ||
                            (r = nc_strbuf_append_char(b, '\n')) < 0)
                                return r;
                }
                if ((r = nc_strbuf_append_char(b, '\n')) < 0 ||
                    (r = optional_line(b, "HOST_ADDRESS", net->host_address)) < 0 ||
                    (r = optional_line(b, "HOST_ADDRESS6", net->host_address6)) < 0 ||
                    (r = optional_line(b, "LOCAL_ADDRESS", net->local_address)) < 0 ||
                    (r = optional_line(b, "LOCAL_ADDRESS6", net->local_address6)) < 0)
                        return r;
                /* ${optionalString (cfg.localMacAddress != null) ''LOCAL_MAC_ADDRESS=...''} */
                if (declares(c, &nc_network_options, "localMacAddress") &&
                    (r = optional_line(b, "LOCAL_MAC_ADDRESS", net->local_mac_address)) < 0)
                        return r;
        }
        if ((r = nc_strbuf_append_char(b, '\n')) < 0)
                return r;
        /* ${optionalString (cfg.networkNamespace != null) ''NETWORK_NAMESPACE_PATH=...''}
         * PRIVATE_USERS=${toString cfg.privateUsers} */
        if (declares(c, &nc_container_options, "networkNamespace") &&
            (r = optional_line(b, "NETWORK_NAMESPACE_PATH", c->network_namespace)) < 0)
                return r;
        if (declares(c, &nc_container_options, "privateUsers") &&
            (r = nc_strbuf_append_many(b, "PRIVATE_USERS=", c->private_users, "\n", (const char *) NULL)) < 0)
                return r;
        if ((r = nc_strbuf_append(b, "INTERFACES=\"")) < 0 || (r = append_joined(b, &c->interfaces, " ")) < 0 ||
            (r = nc_strbuf_append(b, "\"\nMACVLANS=\"")) < 0 || (r = append_joined(b, &c->macvlans, " ")) < 0 ||
            (r = nc_strbuf_append(b, "\"\n")) < 0)
                return r;
        if (c->auto_start && (r = nc_strbuf_append(b, "AUTO_START=1\n")) < 0)
                return r;
        /* EXTRA_NSPAWN_FLAGS="${mkBindFlags cfg.bindMounts +
         *   optionalString (cfg.extraFlags != []) (" " + concatStringsSep " " cfg.extraFlags)}" */
        if ((r = nc_strbuf_append(b, "\nEXTRA_NSPAWN_FLAGS=\"")) < 0 || (r = append_bind_flags(b, c)) < 0)
                return r;
        if (c->extra_flags.n > 0 &&
            ((r = nc_strbuf_append_char(b, ' ')) < 0 || (r = append_joined(b, &c->extra_flags, " ")) < 0))
                return r;
        return nc_strbuf_append(b, "\"\n");
}

int nc_render_env_file(const nc_container *container, char **ret_text, size_t *ret_len) {
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        int r = render(&b, container);

        return r < 0 ? r : nc_strbuf_steal(&b, ret_text, ret_len);
}
