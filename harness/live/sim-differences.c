/* Where the namespace tier's simulation of systemd-nspawn (harness/netns/)
 * is not what the real systemd-nspawn v252 does, as the live tier sees it.
 *
 * The .net goldens come from that simulation. Before comparing, the live
 * tier turns the golden into what the real nspawn leaves, by each entry
 * below, and the report says which entries it used. An entry is a claim
 * the comparison checks: the live run must not have the line it removes.
 * Once the simulation does as nspawn does and the goldens are regenerated
 * (`make golden-net`), an entry removes nothing and can go. */
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "strbuf.h"

/* Fixed in the simulation so far (each with the goldens regenerated):
 *   - lo-ipv6-noprefixroute: nspawn's loopback_setup() adds ::1/128
 *     noprefixroute before lo goes up (harness/netns/netns.c);
 *   - a failing container-init ends the container: no postStart, the
 *     namespace and its veths gone (harness/netns/run-fixture.c);
 *   - a failing nspawn leaves no container namespace (same place). */
const live_sim_difference live_sim_differences[] = {
        { NULL, NULL, NULL, NULL },
};

/* Whether `line` (without its newline) is `text`. */
static bool line_is(const char *line, size_t len, const char *text) {
        return strlen(text) == len && strncmp(line, text, len) == 0;
}

char *live_golden_as_nspawn(const char *golden, nc_strv *applied) {
        nc_strbuf b = { 0 };
        const char *section = "";
        size_t section_len = 0;
        char *out = NULL;

        for (const char *line = golden; line && *line;) {
                size_t len = strcspn(line, "\n");
                bool drop = false;
                if (line[0] == '#') {
                        section = line;
                        section_len = len;
                } else
                        for (size_t i = 0; live_sim_differences[i].id && !drop; i++) {
                                const live_sim_difference *d = &live_sim_differences[i];
                                size_t prefix = strlen(d->section);
                                if (section_len >= prefix && strncmp(section, d->section, prefix) == 0 &&
                                    line_is(line, len, d->line)) {
                                        drop = true;
                                        bool seen = false;
                                        for (size_t j = 0; j < applied->n; j++)
                                                seen = seen || strcmp(applied->items[j], d->id) == 0;
                                        if (!seen)
                                                nc_strv_push(applied, d->id);
                                }
                        }
                if (!drop) {
                        nc_strbuf_append_len(&b, line, len);
                        nc_strbuf_append_char(&b, '\n');
                }
                line += len + (line[len] == '\n');
        }
        nc_strbuf_steal(&b, &out, NULL);
        nc_strbuf_free(&b);
        return out;
}
