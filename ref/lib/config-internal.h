/* The configuration model behind the opaque nc_config and nc_container of
 * nixcontainer.h, and helpers shared by the loader and the model's own
 * functions. Only the library sees these structs: a field added for a new
 * release changes no caller's layout. */
#ifndef NC_CONFIG_INTERNAL_H
#define NC_CONFIG_INTERNAL_H

#include "nixcontainer.h"
#include "release.h"

typedef struct nc_forward_port {
        char *protocol;          /* default "tcp" */
        long long host_port;
        bool has_container_port; /* containerPort != null */
        long long container_port;
} nc_forward_port;

/* The module's networkOptions, shared by a container and its extraVeths. */
typedef struct nc_network {
        char *host_bridge;    /* NULL = null */
        nc_forward_port *forward_ports;
        size_t n_forward_ports;
        char *host_address;
        char *host_address6;
        char *local_address;
        char *local_address6;
        char *local_mac_address; /* 26.05; NULL = null */
} nc_network;

typedef struct nc_extra_veth {
        char *name;
        nc_network network;
} nc_extra_veth;

typedef struct nc_bind_mount {
        char *name;        /* the attribute name */
        char *mount_point; /* default: the attribute name */
        char *host_path;   /* NULL = null */
        bool is_read_only; /* default true */
} nc_bind_mount;

typedef struct nc_allowed_device {
        char *node;
        char *modifier;
} nc_allowed_device;

struct nc_container {
        char *name; /* NULL: the container@ template (dummyConfig) */
        /* The release whose module defines it, and whether the host's
         * stateVersion gives it the "nixos-" directories
         * (configurationPrefix). */
        const nc_release_info *release;
        bool nixos_prefix;
        char *path;  /* with flake and no path: /nix/var/nix/profiles/per-container/NAME */
        nc_strv additional_capabilities;
        char *nixpkgs; /* accepted, unused; NULL when not given */
        bool ephemeral;
        bool enable_tun;
        bool copy_resolv_conf;      /* 26.05; default true */
        bool private_network;
        char *network_namespace;    /* 25.11; NULL = null */
        char *private_users;        /* 25.11; toString of the value: "no" (default), "identity", "pick", "65536" */
        nc_strv interfaces;
        nc_strv macvlans;
        nc_extra_veth *extra_veths; /* sorted by name, as attrNames are */
        size_t n_extra_veths;
        bool auto_start;
        bool restart_if_changed;    /* 25.11; default true */
        char *timeout_start_sec;    /* default "1min" */
        nc_bind_mount *bind_mounts; /* sorted by attribute name */
        size_t n_bind_mounts;
        nc_allowed_device *allowed_devices;
        size_t n_allowed_devices;
        nc_strv tmpfs;
        nc_strv extra_flags;
        char *flake;                /* 25.11; NULL = null */
        nc_network network;
        bool has_config;       /* `config` was given (it is ignored) */
        bool has_path;         /* `path` was given (not only derived from flake) */
        bool has_special_args; /* `specialArgs` was given (it is ignored) */
        /* Strict mode's first refusal of this definition (its name or a
         * value), kept by
         * NC_LOAD_KEEP_REFUSED instead of refusing the whole config; NULL:
         * none. Only what touches the container fails with it. */
        char *refusal;
        /* --compat's note on a value it reproduces but for one step: the
         * first that bash would expand as a glob pattern; NULL: none. */
        char *compat_note;
};

struct nc_config {
        const nc_release_info *release;
        char *state_version;
        nc_container *containers; /* sorted by name */
        size_t n_containers;
        nc_container template;    /* the container@ template: dummyConfig */
        /* boot.enableContainers: the export's "enableContainers", else the
         * release's default. false: no container@ unit at all. */
        bool enable_containers;
};

/* The release a function follows for `container` (NULL: the default). */
const nc_release_info *nc_container_release(const nc_container *container);

/* Whether privateUsers asks for a user namespace of its own: "pick" or a
 * number above 0 (the start script's NIX_BIND_OPT=":idmap" test, and
 * containerConfig's extra /dev/net/tun). */
bool nc_private_users_map(const char *private_users);

void nc_network_clear(nc_network *network);
void nc_network_clear_ports(nc_network *network);
void nc_container_clear_extra_veths(nc_container *c);
void nc_container_clear_bind_mounts(nc_container *c);
void nc_container_clear_allowed_devices(nc_container *c);
/* Frees what the container owns, not the struct itself. */
void nc_container_clear(nc_container *c);
/* The template's defaults (dummyConfig) for `release`. Returns 0 or -ENOMEM. */
int nc_container_init_defaults(nc_container *c, const nc_release_info *release, bool nixos_prefix);

/* Container names: anything Nix can hold in compat mode; in strict mode a
 * name that can be a file name, a unit instance and a hosts entry. */
int nc_container_name_check(const char *name, nc_mode mode, const char *where, nc_error *error);

/* nc_read_file(), which the config loader and the CLI use. */
#include "read-file.h"

#endif
