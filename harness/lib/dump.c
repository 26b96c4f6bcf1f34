#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "dump.h"
#include "netns.h"
#include "text.h"

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static const char *str_or(const json_t *object, const char *key, const char *fallback) {
        const json_t *value = json_object_get(object, key);
        return json_is_string(value) ? json_string_value(value) : fallback;
}

static bool has_flag(const json_t *link, const char *flag) {
        const json_t *item;
        size_t i;

        json_array_foreach(json_object_get(link, "flags"), i, item)
                if (json_is_string(item) && strcmp(json_string_value(item), flag) == 0)
                        return true;
        return false;
}

/* The string items of an array, sorted and joined with ',', leaving out `skip`. */
static char *joined(const json_t *array, const char *skip) {
        nc_strv items = { 0 };
        text b = { 0 };
        const json_t *item;
        char *out = NULL;
        size_t i;

        json_array_foreach(array, i, item)
                if (json_is_string(item) && (!skip || strcmp(json_string_value(item), skip) != 0))
                        nc_strv_push(&items, json_string_value(item));
        if (items.n)
                qsort(items.items, items.n, sizeof(char *), compare_strings);
        for (i = 0; i < items.n; i++)
                text_printf(&b, "%s%s", i ? "," : "", items.items[i]);
        nc_strv_clear(&items);
        if (text_length(&b))
                out = text_steal(&b, NULL);
        text_free(&b);
        return out;
}

static json_t *ip_json(int netns_fd, const char *args, char **ret_error) {
        char *out = NULL;
        json_error_t jerr;
        json_t *value;

        if (netns_ip_output(netns_fd, &out, ret_error, "%s", args) < 0)
                return NULL;
        value = json_loads(out, 0, &jerr);
        if (!json_is_array(value)) {
                if (asprintf(ret_error, "ip %s: unexpected output: %s", args, jerr.text) < 0)
                        *ret_error = NULL;
                json_decref(value);
                value = NULL;
        }
        free(out);
        return value;
}

static void dump_links(const json_t *links, nc_strv *lines) {
        const json_t *link;
        size_t i;

        json_array_foreach(links, i, link) {
                const json_t *info = json_object_get(link, "linkinfo");
                char *altnames = joined(json_object_get(link, "altnames"), NULL), *line = NULL;
                const char *master = str_or(link, "master", NULL);
                if (asprintf(&line, "link %s %s kind=%s%s%s%s%s", str_or(link, "ifname", "?"),
                             has_flag(link, "UP") ? "up" : "down",
                             str_or(info, "info_kind", str_or(link, "link_type", "-")),
                             master ? " master=" : "", master ? master : "", altnames ? " altnames=" : "",
                             altnames ? altnames : "") >= 0)
                        nc_strv_push(lines, line);
                free(line);
                free(altnames);
        }
}

/* Addresses, and whether anything is still settling: a link whose
 * operstate (ip's NO-CARRIER) disagrees with its carrier (LOWER_UP), or
 * a tentative address on a link with carrier. */
static void dump_addresses(const json_t *links, nc_strv *lines, text *signature, bool *in_transition) {
        const json_t *link, *address;
        size_t i, j;

        json_array_foreach(links, i, link) {
                const char *dev = str_or(link, "ifname", "?");
                bool up = has_flag(link, "UP"), carrier = has_flag(link, "LOWER_UP");
                char *flags = joined(json_object_get(link, "flags"), NULL);

                text_printf(signature, "state %s %s %s\n", dev, flags ? flags : "", str_or(link, "operstate", ""));
                free(flags);
                if (up && carrier == has_flag(link, "NO-CARRIER"))
                        *in_transition = true;
                json_array_foreach(json_object_get(link, "addr_info"), j, address) {
                        const char *broadcast = str_or(address, "broadcast", NULL), *peer = str_or(address, "address", NULL);
                        bool tentative = json_is_true(json_object_get(address, "tentative"));
                        char *line = NULL;
                        if (asprintf(&line, "addr %s %s %s/%lld scope=%s%s%s%s%s", dev, str_or(address, "family", "?"),
                                     str_or(address, "local", "?"),
                                     (long long) json_integer_value(json_object_get(address, "prefixlen")),
                                     str_or(address, "scope", "?"), broadcast ? " brd=" : "",
                                     broadcast ? broadcast : "", peer ? " peer=" : "", peer ? peer : "") >= 0)
                                nc_strv_push(lines, line);
                        text_printf(signature, "%s%s\n", line ? line : "", tentative ? " tentative" : "");
                        free(line);
                        if (tentative && up && carrier)
                                *in_transition = true;
                }
        }
}

static void dump_routes(const json_t *routes, const char *family, nc_strv *lines) {
        const json_t *route;
        size_t i;

        json_array_foreach(routes, i, route) {
                const char *gateway = str_or(route, "gateway", NULL), *prefsrc = str_or(route, "prefsrc", NULL),
                           *pref = str_or(route, "pref", NULL);
                char *flags = joined(json_object_get(route, "flags"), NULL), *line = NULL;
                if (asprintf(&line, "route %s table=%s type=%s %s%s%s dev=%s scope=%s proto=%s metric=%lld%s%s%s%s%s%s",
                             family, str_or(route, "table", "main"), str_or(route, "type", "unicast"),
                             str_or(route, "dst", "?"), gateway ? " via=" : "", gateway ? gateway : "",
                             str_or(route, "dev", "-"), str_or(route, "scope", "global"),
                             str_or(route, "protocol", "boot"),
                             (long long) json_integer_value(json_object_get(route, "metric")),
                             prefsrc ? " src=" : "", prefsrc ? prefsrc : "", pref ? " pref=" : "", pref ? pref : "",
                             flags ? " flags=" : "", flags ? flags : "") >= 0)
                        nc_strv_push(lines, line);
                free(line);
                free(flags);
        }
}

static void append_sorted(text *b, nc_strv *lines) {
        if (lines->n)
                qsort(lines->items, lines->n, sizeof(char *), compare_strings);
        for (size_t i = 0; i < lines->n; i++)
                text_printf(b, "%s\n", lines->items[i]);
        nc_strv_clear(lines);
}

int dump_netns(int netns_fd, char **ret_text, char **ret_signature, bool *ret_in_transition, char **ret_error) {
        json_t *links = ip_json(netns_fd, "-j -d link show", ret_error), *addresses = NULL, *routes4 = NULL,
               *routes6 = NULL;
        text dump = { 0 }, signature = { 0 };
        nc_strv lines = { 0 };
        bool in_transition = false;
        int r = -EIO;

        if (links)
                addresses = ip_json(netns_fd, "-j addr show", ret_error);
        if (addresses)
                routes4 = ip_json(netns_fd, "-4 -j route show table all", ret_error);
        if (routes4)
                routes6 = ip_json(netns_fd, "-6 -j route show table all", ret_error);
        if (routes6) {
                dump_links(links, &lines);
                append_sorted(&dump, &lines);
                dump_addresses(addresses, &lines, &signature, &in_transition);
                append_sorted(&dump, &lines);
                dump_routes(routes4, "inet", &lines);
                dump_routes(routes6, "inet6", &lines);
                append_sorted(&dump, &lines);
                *ret_text = text_steal(&dump, NULL);
                text_puts(&signature, *ret_text ? *ret_text : "");
                *ret_signature = text_steal(&signature, NULL);
                *ret_in_transition = in_transition;
                r = *ret_text && *ret_signature ? 0 : -ENOMEM;
                if (r < 0) {
                        free(*ret_text);
                        free(*ret_signature);
                }
        }
        text_free(&dump);
        text_free(&signature);
        json_decref(links);
        json_decref(addresses);
        json_decref(routes4);
        json_decref(routes6);
        return r;
}

#define SETTLE_SAMPLES 3
#define SETTLE_INTERVAL_NS (30 * 1000 * 1000)
#define SETTLE_MAX_ROUNDS 330

int dump_settled(const int *netns_fds, size_t n, char **ret_texts, unsigned *ret_samples, bool *ret_settled,
                 char **ret_error) {
        char *previous = NULL;
        size_t agreeing = 0;
        int r = 0;

        for (size_t i = 0; i < n; i++)
                ret_texts[i] = NULL;
        *ret_settled = false;
        *ret_samples = 0;
        for (int round = 0; round < SETTLE_MAX_ROUNDS && !*ret_settled; round++) {
                text all = { 0 };
                bool in_transition = false;
                char *joined_signature = NULL;

                if (round > 0)
                        nanosleep(&(struct timespec) { 0, SETTLE_INTERVAL_NS }, NULL);
                for (size_t i = 0; i < n; i++) {
                        char *signature = NULL;
                        bool busy = false;
                        free(ret_texts[i]);
                        ret_texts[i] = NULL;
                        r = dump_netns(netns_fds[i], &ret_texts[i], &signature, &busy, ret_error);
                        if (r < 0)
                                break;
                        in_transition = in_transition || busy;
                        text_printf(&all, "#%zu\n%s", i, signature);
                        free(signature);
                }
                if (r < 0) {
                        text_free(&all);
                        break;
                }
                joined_signature = text_steal(&all, NULL);
                (*ret_samples)++;
                agreeing = previous && joined_signature && strcmp(previous, joined_signature) == 0 ? agreeing + 1 : 1;
                free(previous);
                previous = joined_signature;
                *ret_settled = !in_transition && agreeing >= SETTLE_SAMPLES;
        }
        free(previous);
        if (r < 0)
                for (size_t i = 0; i < n; i++) {
                        free(ret_texts[i]);
                        ret_texts[i] = NULL;
                }
        return r;
}
