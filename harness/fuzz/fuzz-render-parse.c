/* fuzz-render-parse: strict mode's promise, that what it accepts reaches
 * the start script unchanged. The input is a JSON config; when
 * nc_config_load_json() accepts it in NC_MODE_STRICT, each container's env
 * file is rendered and read back with systemd's EnvironmentFile= rules
 * (nc_env_file_parse()), and the values read back must be exactly what the
 * module means by the options, taken here straight from the JSON (not
 * from the loaded model, so that the loader is checked too):
 *
 *   SYSTEM_PATH         path
 *   PRIVATE_NETWORK     "1" iff privateNetwork
 *   HOST_BRIDGE, HOST_ADDRESS, HOST_ADDRESS6, LOCAL_ADDRESS, LOCAL_ADDRESS6
 *                       the option when privateNetwork and not null
 *   HOST_PORT           when privateNetwork and forwardPorts != []:
 *                       concatStringsSep "," (map mkPortStr forwardPorts)
 *   INTERFACES, MACVLANS  toString of the list (joined by " ")
 *   AUTO_START          "1" iff autoStart
 *   EXTRA_NSPAWN_FLAGS  mkBindFlags bindMounts (attribute order) +
 *                       optionalString (extraFlags != []) (" " + concatStringsSep " " extraFlags)
 *
 * and nothing else. A failure here is a counterexample to the strict rules
 * (ref/lib/strict-rules.c, ref/lib/config-load.c). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz-common.h"

#define MAX_EXPECTED 16

typedef struct expected {
        const char *names[MAX_EXPECTED];
        char *values[MAX_EXPECTED];
        size_t n;
} expected;

typedef struct check {
        const char *container;
        const char *env_file; /* the rendered text, shown when a check fails */
        size_t env_file_len;
} check;

_Noreturn static void fail(const check *k, const char *format, const char *detail) {
        fprintf(stderr, "fuzz: containers.%s, env file as rendered: ", k->container);
        fuzz_print_escaped(stderr, k->env_file, k->env_file_len);
        fputc('\n', stderr);
        fuzz_fail(format, k->container, detail);
}

/* A string option as the loader must have taken it; NULL when absent or
 * null. The JSON already passed the loader, so a wrong type is its bug. */
static const char *json_str(const check *k, const json_t *object, const char *key) {
        const json_t *value = json_object_get(object, key);

        if (!value || json_is_null(value))
                return NULL;
        if (!json_is_string(value))
                fail(k, "containers.%s.%s: strict mode accepted a value that is not a string", key);
        if (strlen(json_string_value(value)) != json_string_length(value))
                fail(k, "containers.%s.%s: strict mode accepted a string with a NUL byte", key);
        return json_string_value(value);
}

static bool json_flag(const json_t *object, const char *key, bool default_value) {
        const json_t *value = json_object_get(object, key);
        return value ? json_is_true(value) : default_value;
}

static void add(expected *e, const char *name, char *value) {
        if (!value)
                fuzz_fail("out of memory");
        e->names[e->n] = name;
        e->values[e->n++] = value;
}

static void add_str(expected *e, const char *name, const char *value) {
        if (value)
                add(e, name, strdup(value));
}

/* toString of a list of strings: concatStringsSep " ". */
static void add_joined(const check *k, expected *e, const char *name, const json_t *object, const char *key) {
        const json_t *list = json_object_get(object, key), *item;
        char *text = NULL;
        size_t len = 0, i;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                fuzz_fail("out of memory");
        json_array_foreach(list, i, item) {
                if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item))
                        fail(k, "containers.%s.%s: strict mode accepted an item that is not a string without NUL", key);
                fprintf(f, "%s%s", i ? " " : "", json_string_value(item));
        }
        fclose(f);
        add(e, name, text);
}

/* mkPortStr = p: p.protocol + ":" + toString p.hostPort + ":" +
 *   (if p.containerPort == null then toString p.hostPort else toString p.containerPort); */
static void add_host_port(const check *k, expected *e, const json_t *ports) {
        const json_t *port;
        char *text = NULL;
        size_t len = 0, i;
        FILE *f;

        if (json_array_size(ports) == 0)
                return;
        f = open_memstream(&text, &len);
        if (!f)
                fuzz_fail("out of memory");
        json_array_foreach(ports, i, port) {
                const char *protocol = json_str(k, port, "protocol");
                const json_t *host = json_object_get(port, "hostPort"), *container = json_object_get(port, "containerPort");

                if (!json_is_integer(host) || (container && !json_is_null(container) && !json_is_integer(container)))
                        fail(k, "containers.%s.%s: strict mode accepted a port that is not an integer", "forwardPorts");
                fprintf(f, "%s%s:%lld:%lld", i ? "," : "", protocol ? protocol : "tcp",
                        (long long) json_integer_value(host),
                        (long long) json_integer_value(container && json_is_integer(container) ? container : host));
        }
        fclose(f);
        add(e, "HOST_PORT", text);
}

static int compare_keys(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* mkBindFlags bindMounts + optionalString (extraFlags != []) (" " + concatStringsSep " " extraFlags) */
static void add_extra_nspawn_flags(const check *k, expected *e, const json_t *definition) {
        const json_t *binds = json_object_get(definition, "bindMounts"), *flags = json_object_get(definition, "extraFlags");
        size_t n_binds = json_object_size(binds), len = 0, i = 0;
        const char **keys = calloc(n_binds ? n_binds : 1, sizeof *keys);
        const char *key;
        const json_t *bind, *flag;
        char *text = NULL;
        FILE *f = open_memstream(&text, &len);

        if (!keys || !f)
                fuzz_fail("out of memory");
        /* attrValues / mapAttrsToList: the attribute names sorted bytewise. */
        json_object_foreach((json_t *) binds, key, bind)
                keys[i++] = key;
        qsort(keys, n_binds, sizeof *keys, compare_keys);
        for (i = 0; i < n_binds; i++) {
                const char *host_path, *mount_point;

                bind = json_object_get(binds, keys[i]);
                host_path = json_str(k, bind, "hostPath");
                mount_point = json_str(k, bind, "mountPoint");
                /* mkBindFlag = d: (if d.isReadOnly then " --bind-ro=" else " --bind=") +
                 *   (if d.hostPath != null then "${d.hostPath}:${d.mountPoint}" else "${d.mountPoint}"); */
                fputs(json_flag(bind, "isReadOnly", true) ? " --bind-ro=" : " --bind=", f);
                if (host_path)
                        fprintf(f, "%s:", host_path);
                fputs(mount_point ? mount_point : keys[i], f); /* mountPoint = mkDefault name */
        }
        json_array_foreach(flags, i, flag) {
                if (!json_is_string(flag) || strlen(json_string_value(flag)) != json_string_length(flag))
                        fail(k, "containers.%s.%s: strict mode accepted an item that is not a string without NUL", "extraFlags");
                fprintf(f, " %s", json_string_value(flag));
        }
        fclose(f);
        free(keys);
        add(e, "EXTRA_NSPAWN_FLAGS", text);
}

static void expect_container(const check *k, const json_t *d, expected *e) {
        const char *path = json_str(k, d, "path");

        if (!path)
                fail(k, "containers.%s: strict mode accepted a container without %s", "path");
        add_str(e, "SYSTEM_PATH", path);
        if (json_flag(d, "privateNetwork", false)) {
                add_str(e, "PRIVATE_NETWORK", "1");
                add_str(e, "HOST_BRIDGE", json_str(k, d, "hostBridge"));
                add_host_port(k, e, json_object_get(d, "forwardPorts"));
                add_str(e, "HOST_ADDRESS", json_str(k, d, "hostAddress"));
                add_str(e, "HOST_ADDRESS6", json_str(k, d, "hostAddress6"));
                add_str(e, "LOCAL_ADDRESS", json_str(k, d, "localAddress"));
                add_str(e, "LOCAL_ADDRESS6", json_str(k, d, "localAddress6"));
        }
        add_joined(k, e, "INTERFACES", d, "interfaces");
        add_joined(k, e, "MACVLANS", d, "macvlans");
        if (json_flag(d, "autoStart", false))
                add_str(e, "AUTO_START", "1");
        add_extra_nspawn_flags(k, e, d);
}

static void check_container(const nc_container *c, const json_t *definition) {
        nc_error error = { .message = "" };
        expected e = { .n = 0 };
        check k = { .container = nc_container_name(c) };
        char *text = NULL;
        nc_env *env;
        int r;

        r = nc_render_env_file(c, &text, &k.env_file_len);
        if (r < 0)
                fuzz_fail("containers.%s: nc_render_env_file() failed: %d", nc_container_name(c), r);
        k.env_file = text;
        env = nc_env_new();
        if (!env)
                fuzz_fail("out of memory");
        r = nc_env_file_parse(env, text, k.env_file_len, &error);
        if (r < 0)
                fail(&k,
                     "containers.%s: strict mode accepted the container, but systemd's EnvironmentFile= "
                     "rules refuse its env file: %s", error.message);

        expect_container(&k, definition, &e);
        for (size_t i = 0; i < e.n; i++) {
                const char *actual = nc_env_get(env, e.names[i]);
                if (!actual || strcmp(actual, e.values[i]) != 0) {
                        char label[512];
                        snprintf(label, sizeof label, "containers.%.200s: %s read back from the env file", nc_container_name(c),
                                 e.names[i]);
                        fprintf(stderr, "fuzz: env file as rendered: ");
                        fuzz_print_escaped(stderr, k.env_file, k.env_file_len);
                        fputc('\n', stderr);
                        fuzz_expect_string(label, e.values[i], actual);
                }
        }
        for (size_t i = 0; i < nc_env_count(env); i++) {
                bool known = false;
                for (size_t j = 0; j < e.n && !known; j++)
                        known = strcmp(nc_env_name_at(env, i), e.names[j]) == 0;
                if (!known)
                        fail(&k, "containers.%s: the env file sets %s, which the options do not give",
                             nc_env_name_at(env, i));
        }

        for (size_t i = 0; i < e.n; i++)
                free(e.values[i]);
        nc_env_free(env);
        free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        nc_error error = { .message = "" };
        nc_config *config = NULL;
        json_error_t jerr;
        json_t *root, *definition;
        const char *name;
        size_t name_len;
        /* The keys expected here are 21.05's env file's. */
        const char *release = "21.05";

        if (size > FUZZ_MAX_INPUT)
                return 0;
        if (nc_config_load_json((const char *) data, size, NC_MODE_STRICT, release, NULL, &config, &error) < 0)
                return 0;

        root = json_loadb((const char *) data, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (!json_is_object(root))
                fuzz_fail("strict mode accepted a config that is not a JSON object");
        if (json_is_string(json_object_get(root, "format"))) {
                /* The export format: the containers are one level down. */
                json_t *containers = json_incref(json_object_get(root, "containers"));
                json_decref(root);
                root = containers;
        }
        if (json_object_size(root) != nc_config_count(config))
                fuzz_fail("the JSON has %zu containers, the loaded config %zu", json_object_size(root),
                          nc_config_count(config));
        json_object_keylen_foreach(root, name, name_len, definition) {
                const nc_container *c = nc_config_find(config, name);

                if (strlen(name) != name_len || !c)
                        fuzz_fail("strict mode accepted container %s, which is not in the loaded config", name);
                check_container(c, definition);
        }

        json_decref(root);
        nc_config_free(config);
        return 0;
}
