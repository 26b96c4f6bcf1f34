/* systemd.services."container@NAME": every property the module sets on
 * the unit but its scripts and ExecReload, as JSON in the goldens' shape
 * (`jq -S`: keys sorted, two spaces a level, a final newline).
 *
 * The module builds it in three parts, which the functions below follow:
 * `unit` (the container@ template: description, path, environment,
 * restartIfChanged = false, serviceDirectives dummyConfig, ...),
 * `recursiveUpdate unit { serviceConfig = serviceDirectives containerConfig;
 * unitConfig.RequiresMountsFor = ...; environment.root = ...; }` for a
 * declarative container, and `// { wantedBy ...; restartTriggers ...; }`
 * when it has autoStart. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "alloc-util.h"
#include "config-internal.h"
#include "option-table.h"
#include "strbuf.h"
#include "systemd-escape.h"

/* A pretty-printer for the one shape the unit has: objects of strings,
 * booleans, string arrays and objects. The first failure sticks in `r`
 * and every later call does nothing, so that a renderer reads as the
 * module's attribute set. (Our own: json-dump.c prints a parsed value on
 * one line for messages, and the library links no JSON library.) */
typedef struct json_writer {
        nc_strbuf *b;
        unsigned depth;
        bool empty; /* nothing written yet in the innermost object or array */
        int r;
} json_writer;

static void put(json_writer *w, const char *s) {
        if (w->r >= 0)
                w->r = nc_strbuf_append(w->b, s);
}

/* A new line at the indent of the depth, after a "," between values. */
static void new_line(json_writer *w, bool comma) {
        put(w, comma ? ",\n" : "\n");
        for (unsigned i = 0; i < w->depth && w->r >= 0; i++)
                put(w, "  ");
}

/* Where the next value of the innermost object or array starts. */
static void next_value(json_writer *w) {
        new_line(w, !w->empty);
        w->empty = false;
}

/* The bytes of `s` inside a JSON string, escaped as jq escapes them: the
 * short escapes, other control characters and DEL as \u00xx. */
static void put_escaped(json_writer *w, const char *s) {
        for (; *s && w->r >= 0; s++) {
                unsigned char c = (unsigned char) *s;
                const char *short_escape = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
                                         : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                                         : c == '\t' ? "\\t" : NULL;
                if (short_escape)
                        put(w, short_escape);
                else if (c < 0x20 || c == 0x7f)
                        w->r = nc_strbuf_appendf(w->b, "\\u%04x", c);
                else
                        w->r = nc_strbuf_append_char(w->b, (char) c);
        }
}

/* One string made of the pieces up to a NULL. */
static void put_string(json_writer *w, ...) {
        va_list ap;
        const char *piece;

        put(w, "\"");
        va_start(ap, w);
        while ((piece = va_arg(ap, const char *)))
                put_escaped(w, piece);
        va_end(ap);
        put(w, "\"");
}

static void key(json_writer *w, const char *name) {
        next_value(w);
        put_string(w, name, (const char *) NULL);
        put(w, ": ");
}

static void begin(json_writer *w, const char *open) {
        put(w, open);
        w->depth++;
        w->empty = true;
}

/* jq writes an empty object or array as {} or []. */
static void end(json_writer *w, const char *close) {
        w->depth--;
        if (!w->empty)
                new_line(w, false);
        w->empty = false; /* the value just closed is one of its parent's */
        put(w, close);
}

/* An array item made of the pieces up to a NULL. */
#define item(w, ...) (next_value(w), put_string((w), __VA_ARGS__, (const char *) NULL))
#define string_member(w, name, ...) (key((w), (name)), put_string((w), __VA_ARGS__, (const char *) NULL))

static void bool_member(json_writer *w, const char *name, bool value) {
        key(w, name);
        put(w, value ? "true" : "false");
}

static void strv_member(json_writer *w, const char *name, const nc_strv *items) {
        key(w, name);
        begin(w, "[");
        for (size_t i = 0; i < items->n; i++)
                item(w, items->items[i]);
        end(w, "]");
}

/* configurationPrefix = optionalString (versionAtLeast config.system.stateVersion "22.05") "nixos-";
 * configurationDirectoryName = "${configurationPrefix}containers"; */
static const char *prefix(const nc_container *c) {
        return c->nixos_prefix ? "nixos-" : "";
}

/* "${stateDirectory}/%i", stateDirectory = "/var/lib/${configurationPrefix}containers", as string pieces */
#define STATE_DIRECTORY_I(c) "/var/lib/", prefix(c), "containers/%i"

static bool declares(const nc_container *c, const char *option) {
        return nc_option_find(&nc_container_options, option, nc_container_release(c)->id) != NULL;
}

/* after and wants of an autoStart unit:
 *   [ "network.target" ] ++ (map (i: "sys-subsystem-net-devices-${utils.escapeSystemdPath i}.device") cfg.interfaces)
 * (25.11: ${i} as it is; before: [ "network.target" ] alone). */
static int dependencies(const nc_container *c, nc_strv *ret) {
        int devices = nc_container_release(c)->unit_interface_devices;
        int r = nc_strv_push(ret, "network.target");

        for (size_t i = 0; r >= 0 && devices != NC_UNIT_DEVICES_NONE && i < c->interfaces.n; i++) {
                _cleanup_free_ char *escaped = NULL;
                const char *device = c->interfaces.items[i];

                if (devices == NC_UNIT_DEVICES_ESCAPED) {
                        r = nc_escape_systemd_path(device, &escaped);
                        device = escaped;
                }
                if (r >= 0)
                        r = nc_strv_push_concat(ret, "sys-subsystem-net-devices-", device, ".device",
                                                (const char *) NULL);
        }
        return r;
}

/* serviceDirectives cfg, but ExecReload (a script's store path). */
static void service_config(json_writer *w, const nc_container *cfg) {
        key(w, "serviceConfig");
        begin(w, "{");
        bool_member(w, "Delegate", true);
        /* DeviceAllow = map (d: "${d.node} ${d.modifier}") cfg.allowedDevices; */
        key(w, "DeviceAllow");
        begin(w, "[");
        for (size_t i = 0; i < cfg->n_allowed_devices; i++)
                item(w, cfg->allowed_devices[i].node, " ", cfg->allowed_devices[i].modifier);
        end(w, "]");
        string_member(w, "DevicePolicy", "closed");
        /* EnvironmentFile = "-${configurationDirectory}/%i.conf"; */
        string_member(w, "EnvironmentFile", "-/etc/", prefix(cfg), "containers/%i.conf");
        string_member(w, "KillMode", "mixed");
        string_member(w, "KillSignal", "TERM");
        string_member(w, "Restart", "on-failure");
        string_member(w, "RestartForceExitStatus", "133");
        /* RuntimeDirectory = lib.optional cfg.ephemeral "${configurationDirectoryName}/%i"; */
        key(w, "RuntimeDirectory");
        begin(w, "[");
        if (cfg->ephemeral)
                item(w, prefix(cfg), "containers/%i");
        end(w, "]");
        string_member(w, "Slice", "machine.slice");
        string_member(w, "SuccessExitStatus", "133");
        string_member(w, "SyslogIdentifier", "container %i");
        string_member(w, "TimeoutStartSec", cfg->timeout_start_sec);
        string_member(w, "Type", "notify");
        end(w, "}");
}

/* `cfg` is containerConfig (nc_container_effective()), or the template's
 * dummyConfig; `name` names the env file of restartTriggers. */
static int render(json_writer *w, const nc_container *cfg, const char *name) {
        const nc_release_info *release = nc_container_release(cfg);
        bool declarative = cfg->name != NULL, auto_start = declarative && cfg->auto_start;
        _cleanup_(nc_strv_clear) nc_strv deps = { 0 };
        int r;

        if (auto_start && (r = dependencies(cfg, &deps)) < 0)
                return r;
        begin(w, "{");
        /* after = [ "network.target" ] ++ ...; (autoStart) */
        strv_member(w, "after", &deps);
        string_member(w, "description", "Container '%i'");
        if (release->strict_shell)
                bool_member(w, "enableStrictShellChecks", true);
        /* environment = { root = "${stateDirectory}/%i"; INSTANCE = "%i"; };
         * environment.root = if containerConfig.ephemeral then "/run/nixos-containers/%i"
         *                    else "${stateDirectory}/%i"; */
        key(w, "environment");
        begin(w, "{");
        string_member(w, "INSTANCE", "%i");
        if (cfg->ephemeral)
                string_member(w, "root", release->ephemeral_root, "%i");
        else
                string_member(w, "root", STATE_DIRECTORY_I(cfg));
        end(w, "}");
        /* path = [ pkgs.iproute2 config.nix.package ]; (before 25.11: [ pkgs.iproute2 ]) */
        key(w, "path");
        begin(w, "[");
        item(w, NC_UNIT_IPROUTE2);
        if (release->unit_path_nix)
                item(w, NC_UNIT_NIX_PACKAGE);
        end(w, "]");
        /* restartIfChanged = false; in `unit`; with autoStart
         * restartIfChanged = containerConfig.restartIfChanged; (before 25.11: true) */
        bool_member(w, "restartIfChanged",
                    auto_start && (!declares(cfg, "restartIfChanged") || cfg->restart_if_changed));
        /* restartTriggers = [ containerConfig.path
         *   config.environment.etc."${configurationDirectoryName}/${name}.conf".source ]; */
        key(w, "restartTriggers");
        begin(w, "[");
        if (auto_start) {
                item(w, cfg->path);
                item(w, "@etc/", prefix(cfg), "containers/", name, ".conf@");
        }
        end(w, "]");
        service_config(w, cfg);
        key(w, "unitConfig");
        begin(w, "{");
        if (!declarative)
                /* unitConfig.RequiresMountsFor = "${stateDirectory}/%i"; (a string) */
                string_member(w, "RequiresMountsFor", STATE_DIRECTORY_I(cfg));
        else {
                /* unitConfig.RequiresMountsFor = lib.optional (!containerConfig.ephemeral) "${stateDirectory}/%i"
                 *   ++ map (d: if d.hostPath != null then d.hostPath else d.mountPoint) (attrValues cfg.bindMounts); */
                key(w, "RequiresMountsFor");
                begin(w, "[");
                if (!cfg->ephemeral)
                        item(w, STATE_DIRECTORY_I(cfg));
                for (size_t i = 0; release->unit_mounts_bind_mounts && i < cfg->n_bind_mounts; i++)
                        item(w, cfg->bind_mounts[i].host_path ? cfg->bind_mounts[i].host_path
                                                              : cfg->bind_mounts[i].mount_point);
                end(w, "]");
        }
        end(w, "}");
        /* wantedBy = [ "machines.target" ]; wants = [ "network.target" ] ++ ...; (autoStart) */
        key(w, "wantedBy");
        begin(w, "[");
        if (auto_start)
                item(w, "machines.target");
        end(w, "]");
        strv_member(w, "wants", &deps);
        end(w, "}");
        put(w, "\n");
        return w->r;
}

int nc_render_unit(const nc_container *container, const char *name, char **ret_json, size_t *ret_len) {
        _cleanup_(nc_container_freep) nc_container *effective = NULL;
        _cleanup_(nc_container_clear) nc_container default_template = { 0 };
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        json_writer w = { .b = &b };
        int r;

        if (!container) {
                /* The container@ template of the default release and stateVersion. */
                r = nc_container_init_defaults(&default_template, nc_container_release(NULL), false);
                if (r < 0)
                        return r;
                container = &default_template;
        } else if (container->name) {
                /* containerConfig: the enableTun additions. The template is
                 * dummyConfig as it is. */
                if ((r = nc_container_effective(container, &effective)) < 0)
                        return r;
                container = effective;
                if (!name)
                        name = container->name;
        }
        r = render(&w, container, name);
        return r < 0 ? r : nc_strbuf_steal(&b, ret_json, ret_len);
}
