/* fuzz-config: the JSON loader, nc_config_load_json(), on arbitrary bytes
 * in strict and compat mode. What it accepts is rendered (every env file,
 * the hosts fragment, containerConfig) and freed.
 *
 * Checked besides crashes and leaks:
 *   - a failure comes with a message;
 *   - containers, bindMounts and extraVeths come sorted by name with no
 *     name twice, as attrNames are (nixcontainer.h);
 *   - the mode decides only what is refused: a config that strict mode
 *     accepts, compat mode accepts too and renders byte for byte the same. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz-common.h"

static void check_sorted(const char *what, const char *owner, const char *previous, const char *name) {
        if (previous && strcmp(previous, name) >= 0) {
                fprintf(stderr, "fuzz: %s of ", what);
                fuzz_print_escaped(stderr, owner, strlen(owner));
                fputs(": ", stderr);
                fuzz_print_escaped(stderr, previous, strlen(previous));
                fputs(" then ", stderr);
                fuzz_print_escaped(stderr, name, strlen(name));
                fputc('\n', stderr);
                fuzz_fail("%s are not sorted by name, or a name is there twice", what);
        }
}

/* Through the public accessors: the model is opaque. (The order of
 * bindMounts and extraVeths shows in the rendered texts, which strict and
 * compat must agree on, and ref/test checks it white-box.) */
static void check_model(const nc_config *config) {
        for (size_t i = 0; i < nc_config_count(config); i++) {
                const nc_container *c = nc_config_at(config, i);

                check_sorted("containers", "the config", i ? nc_container_name(nc_config_at(config, i - 1)) : NULL,
                             nc_container_name(c));
                if (nc_config_find(config, nc_container_name(c)) != c)
                        fuzz_fail("nc_config_find() does not find container %zu by its name", i);
        }
        if (nc_config_at(config, nc_config_count(config)) != NULL)
                fuzz_fail("nc_config_at() gives a container past the last");
}

/* The unit's properties must be one JSON object (jansson as the oracle). */
static void check_unit(const nc_container *c, const char *name) {
        json_error_t jerr;
        json_t *parsed;
        char *text;
        size_t len;
        int r = nc_render_unit(c, name, &text, &len);

        if (r < 0)
                fuzz_fail("nc_render_unit(%s) failed: %d", name ? name : "(template)", r);
        parsed = json_loadb(text, len, 0, &jerr);
        if (!json_is_object(parsed))
                fuzz_fail("nc_render_unit(%s) is not a JSON object: %s", name ? name : "(template)", jerr.text);
        json_decref(parsed);
        free(text);
}

/* Renders everything the config gives; the texts are kept in `rendered`
 * (n_containers env files, then the hosts) for comparison. */
static void render_all(const nc_config *config, nc_strv *rendered) {
        char *text;
        size_t len;
        int r;

        for (size_t i = 0; i < nc_config_count(config); i++) {
                const nc_container *c = nc_config_at(config, i);
                nc_container *effective = NULL;

                r = nc_render_env_file(c, &text, &len);
                if (r < 0)
                        fuzz_fail("nc_render_env_file(%s) failed: %d", nc_container_name(c), r);
                if (strlen(text) != len)
                        fuzz_fail("nc_render_env_file(%s): length %zu, but %zu bytes before the NUL",
                                  nc_container_name(c), len, strlen(text));
                if (nc_strv_push(rendered, text) < 0)
                        fuzz_fail("out of memory");
                free(text);
                check_unit(c, nc_container_name(c));
                r = nc_container_effective(c, &effective);
                if (r < 0)
                        fuzz_fail("nc_container_effective(%s) failed: %d", nc_container_name(c), r);
                nc_container_free(effective);
        }
        if (nc_config_template(config))
                check_unit(nc_config_template(config), NULL);
        r = nc_render_hosts(config, &text, &len);
        if (r < 0)
                fuzz_fail("nc_render_hosts() failed: %d", r);
        if (strlen(text) != len)
                fuzz_fail("nc_render_hosts(): length %zu, but %zu bytes before the NUL", len, strlen(text));
        if (nc_strv_push(rendered, text) < 0)
                fuzz_fail("out of memory");
        free(text);
}

static nc_config *load(const uint8_t *data, size_t size, const char *release, nc_mode mode, nc_strv *rendered) {
        nc_error error = { .message = "" };
        nc_config *config = NULL;
        int r = nc_config_load_json((const char *) data, size, mode, release, NULL, &config, &error);

        if (r < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_config_load_json() failed (%d) without a message", r);
                return NULL;
        }
        check_model(config);
        render_all(config, rendered);
        return config;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        nc_strv strict_rendered = { 0 }, compat_rendered = { 0 };
        const char *release = fuzz_take_release(&data, &size);
        nc_config *strict, *compat;

        if (size > FUZZ_MAX_INPUT)
                return 0;
        strict = load(data, size, release, NC_MODE_STRICT, &strict_rendered);
        compat = load(data, size, release, NC_MODE_COMPAT, &compat_rendered);

        if (strict && !compat)
                fuzz_fail("strict mode accepts the config and compat mode refuses it");
        if (strict) {
                if (nc_config_count(strict) != nc_config_count(compat))
                        fuzz_fail("strict mode loads %zu containers, compat mode %zu", nc_config_count(strict),
                                  nc_config_count(compat));
                for (size_t i = 0; i < strict_rendered.n; i++) {
                        const char *what = i < nc_config_count(strict) ? nc_container_name(nc_config_at(strict, i))
                                                                       : "(hosts)";
                        char label[256];

                        snprintf(label, sizeof label, "rendered text of %.200s, strict vs. compat", what);
                        fuzz_expect_string(label, strict_rendered.items[i], compat_rendered.items[i]);
                }
        }

        nc_config_free(strict);
        nc_config_free(compat);
        nc_strv_clear(&strict_rendered);
        nc_strv_clear(&compat_rendered);
        return 0;
}
