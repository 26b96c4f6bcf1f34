/* The container submodule's options, as declared in nixos-containers.nix. */
#include <stddef.h>
#include <string.h>

#include "option-table.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define C(field) offsetof(nc_container, field)
#define NET(field) offsetof(nc_network, field)

/* Addresses go unquoted into the env file (HOST_ADDRESS=...), are expanded
 * unquoted by container-init (`ip addr add $LOCAL_ADDRESS dev eth0`), and
 * pasted into postStart by `ipcall` (`ip addr add ${cfg.hostAddress} ...`). */
#define ADDRESS_RULES (NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_SCRIPT)

static const nc_option network_options[] = {
        { "hostBridge", NC_TYPE_NULL_OR_STR, NET(host_bridge), "null",
          NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_SCRIPT,
          nc_check_ifname, "an interface name",
          "Put the host side of the veth pair into this bridge." },
        { "forwardPorts", NC_TYPE_LIST_OF_PORTS, NET(forward_ports), "[]", 0,
          NULL, NULL,
          "Ports forwarded from the host to the container (HOST_PORT)." },
        { "hostAddress", NC_TYPE_NULL_OR_STR, NET(host_address), "null", ADDRESS_RULES,
          nc_check_address, "IPv4 or IPv6 address, optional /prefix",
          "IPv4 address of the host interface." },
        { "hostAddress6", NC_TYPE_NULL_OR_STR, NET(host_address6), "null", ADDRESS_RULES,
          nc_check_address6, "IPv6 address, optional /prefix",
          "IPv6 address of the host interface." },
        { "localAddress", NC_TYPE_NULL_OR_STR, NET(local_address), "null", ADDRESS_RULES,
          nc_check_address, "IPv4 or IPv6 address, optional /prefix",
          "IPv4 address of the container interface." },
        { "localAddress6", NC_TYPE_NULL_OR_STR, NET(local_address6), "null", ADDRESS_RULES,
          nc_check_address6, "IPv6 address, optional /prefix",
          "IPv6 address of the container interface." },
};

/* The container's own options; networkOptions are merged in (`// networkOptions`)
 * and looked up through nc_network_options. */
static const nc_option container_options[] = {
        { "config", NC_TYPE_ANYTHING, C(has_config), "(none)", 0,
          NULL, NULL,
          "The container's NixOS configuration; ignored (give path)." },
        { "path", NC_TYPE_PATH, C(path), NULL, NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT,
          nc_check_store_path, "an absolute path",
          "The container's system profile (SYSTEM_PATH)." },
        { "additionalCapabilities", NC_TYPE_LIST_OF_STR, C(additional_capabilities), "[]",
          NC_RULE_SCRIPT,
          nc_check_capability, "names cap_from_name knows, or all",
          "Extra capabilities (--capability=)." },
        { "nixpkgs", NC_TYPE_PATH, C(nixpkgs), "pkgs.path", 0,
          NULL, NULL,
          "The nixpkgs used to evaluate config; accepted, unused." },
        { "ephemeral", NC_TYPE_BOOL, C(ephemeral), "false", 0,
          NULL, NULL,
          "Run with --ephemeral under /run/containers." },
        { "enableTun", NC_TYPE_BOOL, C(enable_tun), "false", 0,
          NULL, NULL,
          "Allow /dev/net/tun (rw) and grant CAP_NET_ADMIN." },
        { "privateNetwork", NC_TYPE_BOOL, C(private_network), "false", 0,
          NULL, NULL,
          "Give the container its own network (PRIVATE_NETWORK=1)." },
        { "interfaces", NC_TYPE_LIST_OF_STR, C(interfaces), "[]",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT,
          nc_check_ifname, "interface names",
          "Host interfaces moved into the container (INTERFACES)." },
        { "macvlans", NC_TYPE_LIST_OF_STR, C(macvlans), "[]",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT,
          nc_check_ifname, "interface names",
          "Host interfaces to create macvlans on (MACVLANS)." },
        { "extraVeths", NC_TYPE_ATTRS_OF_VETHS, C(extra_veths), "{}", 0,
          NULL, "names: interface names",
          "Extra veth pairs (--network-veth-extra=)." },
        { "autoStart", NC_TYPE_BOOL, C(auto_start), "false", 0,
          NULL, NULL,
          "Start at boot (AUTO_START=1)." },
        { "timeoutStartSec", NC_TYPE_STR, C(timeout_start_sec), "\"1min\"", NC_RULE_UNIT_LINE,
          nc_check_time_span, "a systemd time span",
          "The unit's TimeoutStartSec=." },
        { "bindMounts", NC_TYPE_ATTRS_OF_BINDS, C(bind_mounts), "{}", 0,
          NULL, NULL,
          "Bind mounts (--bind= / --bind-ro= in EXTRA_NSPAWN_FLAGS)." },
        { "allowedDevices", NC_TYPE_LIST_OF_DEVICES, C(allowed_devices), "[]", 0,
          NULL, NULL,
          "The unit's DeviceAllow= entries." },
        { "tmpfs", NC_TYPE_LIST_OF_STR, C(tmpfs), "[]", NC_RULE_SCRIPT,
          nc_check_tmpfs, "absolute path[:options]",
          "tmpfs mounts (--tmpfs=)." },
        { "extraFlags", NC_TYPE_LIST_OF_STR, C(extra_flags), "[]",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT,
          nc_check_flag, "at most 4096 bytes each",
          "Extra systemd-nspawn flags (EXTRA_NSPAWN_FLAGS)." },
        { "pkgs", NC_TYPE_REMOVED, 0, "(removed)", 0,
          NULL, NULL,
          "Removed; defining it is an error." },
};

static const nc_option bind_mount_options[] = {
        { "mountPoint", NC_TYPE_STR, offsetof(nc_bind_mount, mount_point), "the attribute name",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT, nc_check_absolute_path, "an absolute path",
          "Mount point in the container." },
        { "hostPath", NC_TYPE_NULL_OR_STR, offsetof(nc_bind_mount, host_path), "null",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT, nc_check_absolute_path, "an absolute path",
          "Host path (null: same as mountPoint)." },
        { "isReadOnly", NC_TYPE_BOOL, offsetof(nc_bind_mount, is_read_only), "true", 0,
          NULL, NULL,
          "--bind-ro= rather than --bind=." },
};

static const nc_option forward_port_options[] = {
        { "protocol", NC_TYPE_STR, offsetof(nc_forward_port, protocol), "\"tcp\"",
          NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_NO_COMMA, nc_check_protocol, "tcp or udp",
          "tcp or udp." },
        { "hostPort", NC_TYPE_INT, offsetof(nc_forward_port, host_port), NULL, 0,
          NULL, "1-65535",
          "Port on the host." },
        { "containerPort", NC_TYPE_NULL_OR_INT, offsetof(nc_forward_port, container_port), "null", 0,
          NULL, "1-65535",
          "Port in the container (null: hostPort)." },
};

static const nc_option allowed_device_options[] = {
        { "node", NC_TYPE_STR, offsetof(nc_allowed_device, node), NULL,
          NC_RULE_UNIT_LINE | NC_RULE_SPLIT, nc_check_device_node, "/dev path, char-GROUP or block-GROUP",
          "Device node path." },
        { "modifier", NC_TYPE_STR, offsetof(nc_allowed_device, modifier), NULL,
          NC_RULE_UNIT_LINE | NC_RULE_SPLIT, nc_check_modifier, "r, w and m only",
          "Access: r, w, m." },
};

const nc_option_table nc_container_options = { "container", container_options, N(container_options) };
const nc_option_table nc_network_options = { "networkOptions", network_options, N(network_options) };
const nc_option_table nc_bind_mount_options = { "bindMounts", bind_mount_options, N(bind_mount_options) };
const nc_option_table nc_forward_port_options = { "forwardPorts", forward_port_options, N(forward_port_options) };
const nc_option_table nc_allowed_device_options = { "allowedDevices", allowed_device_options, N(allowed_device_options) };

const nc_option *nc_option_find(const nc_option_table *table, const char *name) {
        /* A few dozen names at most: a scan, the first byte compared inline. */
        for (size_t i = 0; i < table->n_options; i++)
                if (table->options[i].name[0] == name[0] && strcmp(table->options[i].name, name) == 0)
                        return &table->options[i];
        return NULL;
}

const char *nc_type_name(nc_type type) {
        /* The descriptions lib/types.nix gives in its type errors. */
        switch (type) {
        case NC_TYPE_PATH: return "path";
        case NC_TYPE_STR: return "string";
        case NC_TYPE_NULL_OR_STR: return "null or string";
        case NC_TYPE_BOOL: return "boolean";
        case NC_TYPE_INT: return "signed integer";
        case NC_TYPE_NULL_OR_INT: return "null or signed integer";
        case NC_TYPE_LIST_OF_STR: return "list of strings";
        case NC_TYPE_LIST_OF_PORTS: return "list of submodules";
        case NC_TYPE_LIST_OF_DEVICES: return "list of submodules";
        case NC_TYPE_ATTRS_OF_VETHS: return "attribute set of submodules";
        case NC_TYPE_ATTRS_OF_BINDS: return "attribute set of submodules";
        case NC_TYPE_ATTRS_OF_CONTAINERS: return "attribute set of submodules";
        case NC_TYPE_ANYTHING: return "Toplevel NixOS config";
        case NC_TYPE_REMOVED: return "removed option";
        }
        return "unknown";
}
