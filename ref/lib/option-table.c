/* The container submodule's options, as declared in nixos-containers.nix. */
#include <stddef.h>
#include <string.h>

#include "alloc-util.h"
#include "option-table.h"

#define C(field) offsetof(nc_container, field)
#define NET(field) offsetof(nc_network, field)

/* Addresses go unquoted into the env file (HOST_ADDRESS=...), are expanded
 * unquoted by container-init (`ip addr add $LOCAL_ADDRESS dev eth0`), and
 * pasted into postStart by `ipcall` (`ip addr add ${cfg.hostAddress} ...`). */
#define ADDRESS_RULES (NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_SCRIPT | NC_RULE_GLOB)

/* A row names only what it sets: a field left out is 0 or NULL (no rules,
 * no check, declared since the seed and by every later release). */
static const nc_option network_options[] = {
        { .name = "hostBridge", .type = NC_TYPE_NULL_OR_STR, .offset = NET(host_bridge), .default_text = "null",
          .rules = NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_SCRIPT | NC_RULE_GLOB, .validate = nc_check_ifname,
          .rule_text = "an interface name", .description = "Put the host side of the veth pair into this bridge." },
        { .name = "forwardPorts", .type = NC_TYPE_LIST_OF_PORTS, .offset = NET(forward_ports), .default_text = "[]",
          .description = "Ports forwarded from the host to the container (HOST_PORT)." },
        { .name = "hostAddress", .type = NC_TYPE_NULL_OR_STR, .offset = NET(host_address), .default_text = "null",
          .rules = ADDRESS_RULES, .validate = nc_check_address,
          .rule_text = "IPv4 or IPv6 address, optional /prefix",
          .description = "IPv4 address of the host interface." },
        { .name = "hostAddress6", .type = NC_TYPE_NULL_OR_STR, .offset = NET(host_address6), .default_text = "null",
          .rules = ADDRESS_RULES, .validate = nc_check_address6, .rule_text = "IPv6 address, optional /prefix",
          .description = "IPv6 address of the host interface." },
        { .name = "localAddress", .type = NC_TYPE_NULL_OR_STR, .offset = NET(local_address), .default_text = "null",
          .rules = ADDRESS_RULES, .validate = nc_check_address,
          .rule_text = "IPv4 or IPv6 address, optional /prefix",
          .description = "IPv4 address of the container interface." },
        { .name = "localAddress6", .type = NC_TYPE_NULL_OR_STR, .offset = NET(local_address6),
          .default_text = "null", .rules = ADDRESS_RULES, .validate = nc_check_address6,
          .rule_text = "IPv6 address, optional /prefix", .description = "IPv6 address of the container interface." },
        /* The module's own type refuses anything but a MAC; nothing reads
         * it in extraVeths. */
        { .name = "localMacAddress", .type = NC_TYPE_NULL_OR_MAC, .offset = NET(local_mac_address),
          .default_text = "null", .rules = NC_RULE_ENV_UNQUOTED, .rule_text = "six hex octets split by \":\"",
          .description = "MAC address of the container interface (LOCAL_MAC_ADDRESS).", .since = NC_RELEASE_26_05 },
};

/* The container's own options; networkOptions are merged in (`// networkOptions`)
 * and looked up through nc_network_options. */
static const nc_option container_options[] = {
        { .name = "config", .type = NC_TYPE_ANYTHING, .offset = C(has_config), .default_text = "(none)",
          .description = "The container's NixOS configuration; ignored (give path)." },
        { .name = "path", .type = NC_TYPE_PATH, .offset = C(path), .rules = NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT,
          .validate = nc_check_store_path, .rule_text = "an absolute path",
          .description = "The container's system profile (SYSTEM_PATH)." },
        { .name = "additionalCapabilities", .type = NC_TYPE_LIST_OF_STR, .offset = C(additional_capabilities),
          .default_text = "[]", .rules = NC_RULE_SCRIPT, .validate = nc_check_capability,
          .rule_text = "names cap_from_name knows, or all", .description = "Extra capabilities (--capability=)." },
        { .name = "nixpkgs", .type = NC_TYPE_PATH, .offset = C(nixpkgs), .default_text = "pkgs.path",
          .description = "The nixpkgs used to evaluate config; accepted, unused." },
        { .name = "ephemeral", .type = NC_TYPE_BOOL, .offset = C(ephemeral), .default_text = "false",
          .description = "Run with --ephemeral under /run/containers." },
        { .name = "enableTun", .type = NC_TYPE_BOOL, .offset = C(enable_tun), .default_text = "false",
          .description = "Allow /dev/net/tun (rw) and grant CAP_NET_ADMIN." },
        { .name = "privateNetwork", .type = NC_TYPE_BOOL, .offset = C(private_network), .default_text = "false",
          .description = "Give the container its own network (PRIVATE_NETWORK=1)." },
        /* `for iface in $INTERFACES` (25.11: `${INTERFACES-}`), unquoted */
        { .name = "interfaces", .type = NC_TYPE_LIST_OF_STR, .offset = C(interfaces), .default_text = "[]",
          .rules = NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB, .validate = nc_check_ifname,
          .rule_text = "interface names", .description = "Host interfaces moved into the container (INTERFACES)." },
        { .name = "macvlans", .type = NC_TYPE_LIST_OF_STR, .offset = C(macvlans), .default_text = "[]",
          .rules = NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB, .validate = nc_check_ifname,
          .rule_text = "interface names", .description = "Host interfaces to create macvlans on (MACVLANS)." },
        { .name = "extraVeths", .type = NC_TYPE_ATTRS_OF_VETHS, .offset = C(extra_veths), .default_text = "{}",
          .rule_text = "names: interface names", .description = "Extra veth pairs (--network-veth-extra=)." },
        { .name = "autoStart", .type = NC_TYPE_BOOL, .offset = C(auto_start), .default_text = "false",
          .description = "Start at boot (AUTO_START=1)." },
        { .name = "timeoutStartSec", .type = NC_TYPE_STR, .offset = C(timeout_start_sec), .default_text = "\"1min\"",
          .rules = NC_RULE_UNIT_LINE, .validate = nc_check_time_span, .rule_text = "a systemd time span",
          .description = "The unit's TimeoutStartSec=." },
        { .name = "bindMounts", .type = NC_TYPE_ATTRS_OF_BINDS, .offset = C(bind_mounts), .default_text = "{}",
          .description = "Bind mounts (--bind= / --bind-ro= in EXTRA_NSPAWN_FLAGS)." },
        { .name = "allowedDevices", .type = NC_TYPE_LIST_OF_DEVICES, .offset = C(allowed_devices),
          .default_text = "[]", .description = "The unit's DeviceAllow= entries." },
        { .name = "tmpfs", .type = NC_TYPE_LIST_OF_STR, .offset = C(tmpfs), .default_text = "[]",
          .rules = NC_RULE_SCRIPT | NC_RULE_GLOB, .validate = nc_check_tmpfs, .rule_text = "absolute path[:options]",
          .description = "tmpfs mounts (--tmpfs=)." },
        /* `$EXTRA_NSPAWN_FLAGS \` (25.11: `${EXTRA_NSPAWN_FLAGS-}`), unquoted */
        { .name = "extraFlags", .type = NC_TYPE_LIST_OF_STR, .offset = C(extra_flags), .default_text = "[]",
          .rules = NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB, .validate = nc_check_flag,
          .rule_text = "at most 4096 bytes each", .description = "Extra systemd-nspawn flags (EXTRA_NSPAWN_FLAGS)." },
        { .name = "pkgs", .type = NC_TYPE_REMOVED, .default_text = "(removed)",
          .description = "Removed; defining it is an error." },
        { .name = "specialArgs", .type = NC_TYPE_ATTRS_OF_ANYTHING, .offset = C(has_special_args),
          .default_text = "{}", .description = "Arguments for the container's own evaluation; ignored here.",
          .since = NC_RELEASE_25_11 },
        { .name = "restartIfChanged", .type = NC_TYPE_BOOL, .offset = C(restart_if_changed), .default_text = "true",
          .description = "Restart the unit on a switch when its definition changed.", .since = NC_RELEASE_25_11 },
        /* --network-namespace-path="$NETWORK_NAMESPACE_PATH": quoted in the
         * script, unquoted in the env file. */
        { .name = "networkNamespace", .type = NC_TYPE_NULL_OR_PATH, .offset = C(network_namespace),
          .default_text = "null", .rules = NC_RULE_ENV_UNQUOTED, .validate = nc_check_absolute_path,
          .rule_text = "an absolute path",
          .description = "Run in this network namespace (--network-namespace-path=).", .since = NC_RELEASE_25_11 },
        { .name = "privateUsers", .type = NC_TYPE_PRIVATE_USERS, .offset = C(private_users),
          .default_text = "\"no\"", .rule_text = "no, identity, pick or 0-4294967295",
          .description = "User namespacing (--private-users=).", .since = NC_RELEASE_25_11 },
        { .name = "flake", .type = NC_TYPE_NULL_OR_STR, .offset = C(flake), .default_text = "null",
          .rules = NC_RULE_ENV_UNQUOTED, .validate = nc_check_flag, .rule_text = "at most 4096 bytes",
          .description = "A flake URI instead of path (FLAKE).", .since = NC_RELEASE_25_11 },
        { .name = "copyResolvConf", .type = NC_TYPE_BOOL, .offset = C(copy_resolv_conf), .default_text = "true",
          .description = "Copy the host's /etc/resolv.conf (COPY_RESOLV_CONF).", .since = NC_RELEASE_26_05 },
};

static const nc_option bind_mount_options[] = {
        { .name = "mountPoint", .type = NC_TYPE_STR, .offset = offsetof(nc_bind_mount, mount_point),
          .default_text = "the attribute name", .rules = NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB,
          .validate = nc_check_absolute_path, .rule_text = "an absolute path",
          .description = "Mount point in the container." },
        { .name = "hostPath", .type = NC_TYPE_NULL_OR_STR, .offset = offsetof(nc_bind_mount, host_path),
          .default_text = "null", .rules = NC_RULE_ENV_QUOTED | NC_RULE_SPLIT | NC_RULE_GLOB,
          .validate = nc_check_absolute_path, .rule_text = "an absolute path",
          .description = "Host path (null: same as mountPoint)." },
        { .name = "isReadOnly", .type = NC_TYPE_BOOL, .offset = offsetof(nc_bind_mount, is_read_only),
          .default_text = "true", .description = "--bind-ro= rather than --bind=." },
};

static const nc_option forward_port_options[] = {
        { .name = "protocol", .type = NC_TYPE_STR, .offset = offsetof(nc_forward_port, protocol),
          .default_text = "\"tcp\"", .rules = NC_RULE_ENV_UNQUOTED | NC_RULE_SPLIT | NC_RULE_NO_COMMA | NC_RULE_GLOB,
          .validate = nc_check_protocol, .rule_text = "tcp or udp", .description = "tcp or udp." },
        { .name = "hostPort", .type = NC_TYPE_INT, .offset = offsetof(nc_forward_port, host_port),
          .rule_text = "1-65535", .description = "Port on the host.", .before = NC_RELEASE_25_11 },
        { .name = "hostPort", .type = NC_TYPE_PORT, .offset = offsetof(nc_forward_port, host_port),
          .rule_text = "1-65535", .description = "Port on the host.", .since = NC_RELEASE_25_11 },
        { .name = "containerPort", .type = NC_TYPE_NULL_OR_INT, .offset = offsetof(nc_forward_port, container_port),
          .default_text = "null", .rule_text = "1-65535", .description = "Port in the container (null: hostPort).",
          .before = NC_RELEASE_25_11 },
        { .name = "containerPort", .type = NC_TYPE_NULL_OR_PORT, .offset = offsetof(nc_forward_port, container_port),
          .default_text = "null", .rule_text = "1-65535", .description = "Port in the container (null: hostPort).",
          .since = NC_RELEASE_25_11 },
};

static const nc_option allowed_device_options[] = {
        { .name = "node", .type = NC_TYPE_STR, .offset = offsetof(nc_allowed_device, node),
          .rules = NC_RULE_UNIT_LINE | NC_RULE_SPLIT, .validate = nc_check_device_node,
          .rule_text = "/dev path, char-GROUP or block-GROUP", .description = "Device node path." },
        { .name = "modifier", .type = NC_TYPE_STR, .offset = offsetof(nc_allowed_device, modifier),
          .rules = NC_RULE_UNIT_LINE | NC_RULE_SPLIT, .validate = nc_check_modifier, .rule_text = "r, w and m only",
          .description = "Access: r, w, m." },
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
