/* The container submodule's options, as declared in nixos-containers.nix. */
#include <stddef.h>
#include <string.h>

#include "alloc-util.h"
#include "option-table.h"

#define C(field) offsetof(nc_container, field)
#define NET(field) offsetof(nc_network, field)
/* The release range of an option every release declares (since, before). */
#define EVERY_RELEASE 0, 0

/* Addresses go unquoted into the env file (HOST_ADDRESS=...), are expanded
 * unquoted by container-init (`ip addr add $LOCAL_ADDRESS dev eth0`), and
 * pasted into postStart by `ipcall` (`ip addr add ${cfg.hostAddress} ...`). */
#define ADDRESS_RULES (NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_SCRIPT | NC_RULE_GLOB)

static const nc_option network_options[] = {
        { "hostBridge", NC_TYPE_NULL_OR_STR, NET(host_bridge), "null",
          NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_SCRIPT | NC_RULE_GLOB,
          nc_check_ifname, "an interface name",
          "Put the host side of the veth pair into this bridge.", EVERY_RELEASE },
        { "forwardPorts", NC_TYPE_LIST_OF_PORTS, NET(forward_ports), "[]", 0,
          NULL, NULL,
          "Ports forwarded from the host to the container (HOST_PORT).", EVERY_RELEASE },
        { "hostAddress", NC_TYPE_NULL_OR_STR, NET(host_address), "null", ADDRESS_RULES,
          nc_check_address, "IPv4 or IPv6 address, optional /prefix",
          "IPv4 address of the host interface.", EVERY_RELEASE },
        { "hostAddress6", NC_TYPE_NULL_OR_STR, NET(host_address6), "null", ADDRESS_RULES,
          nc_check_address6, "IPv6 address, optional /prefix",
          "IPv6 address of the host interface.", EVERY_RELEASE },
        { "localAddress", NC_TYPE_NULL_OR_STR, NET(local_address), "null", ADDRESS_RULES,
          nc_check_address, "IPv4 or IPv6 address, optional /prefix",
          "IPv4 address of the container interface.", EVERY_RELEASE },
        { "localAddress6", NC_TYPE_NULL_OR_STR, NET(local_address6), "null", ADDRESS_RULES,
          nc_check_address6, "IPv6 address, optional /prefix",
          "IPv6 address of the container interface.", EVERY_RELEASE },
        /* The module's own type refuses anything but a MAC; nothing reads
         * it in extraVeths. */
        { "localMacAddress", NC_TYPE_NULL_OR_MAC, NET(local_mac_address), "null", NC_RULE_ENV_UNQUOTED, NULL,
          "six hex octets split by \":\"",
          "MAC address of the container interface (LOCAL_MAC_ADDRESS).", NC_RELEASE_26_05, 0 },
};

/* The container's own options; networkOptions are merged in (`// networkOptions`)
 * and looked up through nc_network_options. */
static const nc_option container_options[] = {
        { "config", NC_TYPE_ANYTHING, C(has_config), "(none)", 0,
          NULL, NULL,
          "The container's NixOS configuration; ignored (give path).", EVERY_RELEASE },
        { "path", NC_TYPE_PATH, C(path), NULL, NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT,
          nc_check_store_path, "an absolute path",
          "The container's system profile (SYSTEM_PATH).", EVERY_RELEASE },
        { "additionalCapabilities", NC_TYPE_LIST_OF_STR, C(additional_capabilities), "[]",
          NC_RULE_SCRIPT,
          nc_check_capability, "names cap_from_name knows, or all",
          "Extra capabilities (--capability=).", EVERY_RELEASE },
        { "nixpkgs", NC_TYPE_PATH, C(nixpkgs), "pkgs.path", 0,
          NULL, NULL,
          "The nixpkgs used to evaluate config; accepted, unused.", EVERY_RELEASE },
        { "ephemeral", NC_TYPE_BOOL, C(ephemeral), "false", 0,
          NULL, NULL,
          "Run with --ephemeral under /run/containers.", EVERY_RELEASE },
        { "enableTun", NC_TYPE_BOOL, C(enable_tun), "false", 0,
          NULL, NULL,
          "Allow /dev/net/tun (rw) and grant CAP_NET_ADMIN.", EVERY_RELEASE },
        { "privateNetwork", NC_TYPE_BOOL, C(private_network), "false", 0,
          NULL, NULL,
          "Give the container its own network (PRIVATE_NETWORK=1).", EVERY_RELEASE },
        /* `for iface in $INTERFACES` (25.11: `${INTERFACES-}`), unquoted */
        { "interfaces", NC_TYPE_LIST_OF_STR, C(interfaces), "[]",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB,
          nc_check_ifname, "interface names",
          "Host interfaces moved into the container (INTERFACES).", EVERY_RELEASE },
        { "macvlans", NC_TYPE_LIST_OF_STR, C(macvlans), "[]",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB,
          nc_check_ifname, "interface names",
          "Host interfaces to create macvlans on (MACVLANS).", EVERY_RELEASE },
        { "extraVeths", NC_TYPE_ATTRS_OF_VETHS, C(extra_veths), "{}", 0,
          NULL, "names: interface names",
          "Extra veth pairs (--network-veth-extra=).", EVERY_RELEASE },
        { "autoStart", NC_TYPE_BOOL, C(auto_start), "false", 0,
          NULL, NULL,
          "Start at boot (AUTO_START=1).", EVERY_RELEASE },
        { "timeoutStartSec", NC_TYPE_STR, C(timeout_start_sec), "\"1min\"", NC_RULE_UNIT_LINE,
          nc_check_time_span, "a systemd time span",
          "The unit's TimeoutStartSec=.", EVERY_RELEASE },
        { "bindMounts", NC_TYPE_ATTRS_OF_BINDS, C(bind_mounts), "{}", 0,
          NULL, NULL,
          "Bind mounts (--bind= / --bind-ro= in EXTRA_NSPAWN_FLAGS).", EVERY_RELEASE },
        { "allowedDevices", NC_TYPE_LIST_OF_DEVICES, C(allowed_devices), "[]", 0,
          NULL, NULL,
          "The unit's DeviceAllow= entries.", EVERY_RELEASE },
        { "tmpfs", NC_TYPE_LIST_OF_STR, C(tmpfs), "[]", NC_RULE_SCRIPT | NC_RULE_GLOB,
          nc_check_tmpfs, "absolute path[:options]",
          "tmpfs mounts (--tmpfs=).", EVERY_RELEASE },
        /* `$EXTRA_NSPAWN_FLAGS \` (25.11: `${EXTRA_NSPAWN_FLAGS-}`), unquoted */
        { "extraFlags", NC_TYPE_LIST_OF_STR, C(extra_flags), "[]",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB,
          nc_check_flag, "at most 4096 bytes each",
          "Extra systemd-nspawn flags (EXTRA_NSPAWN_FLAGS).", EVERY_RELEASE },
        { "pkgs", NC_TYPE_REMOVED, 0, "(removed)", 0,
          NULL, NULL,
          "Removed; defining it is an error.", EVERY_RELEASE },
        { "specialArgs", NC_TYPE_ATTRS_OF_ANYTHING, C(has_special_args), "{}", 0,
          NULL, NULL,
          "Arguments for the container's own evaluation; ignored here.", NC_RELEASE_25_11, 0 },
        { "restartIfChanged", NC_TYPE_BOOL, C(restart_if_changed), "true", 0,
          NULL, NULL,
          "Restart the unit on a switch when its definition changed.", NC_RELEASE_25_11, 0 },
        /* --network-namespace-path="$NETWORK_NAMESPACE_PATH": quoted in the
         * script, unquoted in the env file. */
        { "networkNamespace", NC_TYPE_NULL_OR_PATH, C(network_namespace), "null",
          NC_RULE_ENV_UNQUOTED, nc_check_absolute_path, "an absolute path",
          "Run in this network namespace (--network-namespace-path=).", NC_RELEASE_25_11, 0 },
        { "privateUsers", NC_TYPE_PRIVATE_USERS, C(private_users), "\"no\"", 0,
          NULL, "no, identity, pick or 0-4294967295",
          "User namespacing (--private-users=).", NC_RELEASE_25_11, 0 },
        { "flake", NC_TYPE_NULL_OR_STR, C(flake), "null", NC_RULE_ENV_UNQUOTED, nc_check_flag,
          "at most 4096 bytes",
          "A flake URI instead of path (FLAKE).", NC_RELEASE_25_11, 0 },
        { "copyResolvConf", NC_TYPE_BOOL, C(copy_resolv_conf), "true", 0,
          NULL, NULL,
          "Copy the host's /etc/resolv.conf (COPY_RESOLV_CONF).", NC_RELEASE_26_05, 0 },
};

static const nc_option bind_mount_options[] = {
        { "mountPoint", NC_TYPE_STR, offsetof(nc_bind_mount, mount_point), "the attribute name",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB, nc_check_absolute_path, "an absolute path",
          "Mount point in the container.", EVERY_RELEASE },
        { "hostPath", NC_TYPE_NULL_OR_STR, offsetof(nc_bind_mount, host_path), "null",
          NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB, nc_check_absolute_path, "an absolute path",
          "Host path (null: same as mountPoint).", EVERY_RELEASE },
        { "isReadOnly", NC_TYPE_BOOL, offsetof(nc_bind_mount, is_read_only), "true", 0,
          NULL, NULL,
          "--bind-ro= rather than --bind=.", EVERY_RELEASE },
};

static const nc_option forward_port_options[] = {
        { "protocol", NC_TYPE_STR, offsetof(nc_forward_port, protocol), "\"tcp\"",
          NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_NO_COMMA | NC_RULE_GLOB, nc_check_protocol, "tcp or udp",
          "tcp or udp.", EVERY_RELEASE },
        { "hostPort", NC_TYPE_INT, offsetof(nc_forward_port, host_port), NULL, 0,
          NULL, "1-65535",
          "Port on the host.", 0, NC_RELEASE_25_11 },
        { "hostPort", NC_TYPE_PORT, offsetof(nc_forward_port, host_port), NULL, 0,
          NULL, "1-65535",
          "Port on the host.", NC_RELEASE_25_11, 0 },
        { "containerPort", NC_TYPE_NULL_OR_INT, offsetof(nc_forward_port, container_port), "null", 0,
          NULL, "1-65535",
          "Port in the container (null: hostPort).", 0, NC_RELEASE_25_11 },
        { "containerPort", NC_TYPE_NULL_OR_PORT, offsetof(nc_forward_port, container_port), "null", 0,
          NULL, "1-65535",
          "Port in the container (null: hostPort).", NC_RELEASE_25_11, 0 },
};

static const nc_option allowed_device_options[] = {
        { "node", NC_TYPE_STR, offsetof(nc_allowed_device, node), NULL,
          NC_RULE_UNIT_LINE | NC_RULE_SPLIT, nc_check_device_node, "/dev path, char-GROUP or block-GROUP",
          "Device node path.", EVERY_RELEASE },
        { "modifier", NC_TYPE_STR, offsetof(nc_allowed_device, modifier), NULL,
          NC_RULE_UNIT_LINE | NC_RULE_SPLIT, nc_check_modifier, "r, w and m only",
          "Access: r, w, m.", EVERY_RELEASE },
};

const nc_option_table nc_container_options = { "container", container_options, ELEMENTSOF(container_options) };
const nc_option_table nc_network_options = { "networkOptions", network_options, ELEMENTSOF(network_options) };
const nc_option_table nc_bind_mount_options = { "bindMounts", bind_mount_options, ELEMENTSOF(bind_mount_options) };
const nc_option_table nc_forward_port_options = { "forwardPorts", forward_port_options, ELEMENTSOF(forward_port_options) };
const nc_option_table nc_allowed_device_options = { "allowedDevices", allowed_device_options, ELEMENTSOF(allowed_device_options) };

bool nc_option_in_release(const nc_option *o, nc_release_id release) {
        return release >= o->since && (o->before == 0 || release < o->before);
}

const nc_option *nc_option_find(const nc_option_table *table, const char *name, nc_release_id release) {
        /* A few dozen names at most: a scan, the first byte compared inline. */
        for (size_t i = 0; i < table->n_options; i++)
                if (table->options[i].name[0] == name[0] && strcmp(table->options[i].name, name) == 0 &&
                    nc_option_in_release(&table->options[i], release))
                        return &table->options[i];
        return NULL;
}

bool nc_option_release_range(const nc_option_table *table, const char *name, nc_release_id *ret_first,
                             nc_release_id *ret_last) {
        bool found = false;

        for (int id = 0; id < NC_RELEASE_COUNT; id++)
                if (nc_option_find(table, name, (nc_release_id) id)) {
                        if (!found)
                                *ret_first = (nc_release_id) id;
                        *ret_last = (nc_release_id) id;
                        found = true;
                }
        return found;
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
        case NC_TYPE_PORT: return "16 bit unsigned integer; between 0 and 65535 (both inclusive)";
        case NC_TYPE_NULL_OR_PORT: return "null or 16 bit unsigned integer; between 0 and 65535 (both inclusive)";
        case NC_TYPE_NULL_OR_PATH: return "null or path";
        case NC_TYPE_PRIVATE_USERS:
                return "32 bit unsigned integer; between 0 and 4294967295 (both inclusive) or one of \"no\", "
                       "\"identity\", \"pick\"";
        case NC_TYPE_NULL_OR_MAC: return "null or string matching the pattern ([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}";
        case NC_TYPE_ATTRS_OF_ANYTHING: return "attribute set of unspecified value";
        }
        return "unknown";
}
