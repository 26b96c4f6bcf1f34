/* The .net file: see net-file.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "net-file.h"
#include "text.h"

static int write_one(const char *outdir, const net_file_container *c, const char *host, const char *container,
                     bool (*keep_container_line)(const char *line, size_t len)) {
        text t = { 0 };

        text_printf(&t, "# host\n%s", host);
        if (container) {
                const char *line;
                size_t n;
                text_printf(&t, "# container %s\n", c->name);
                for (const char *at = container; text_next_line(&at, &line, &n);)
                        if (!keep_container_line || keep_container_line(line, n))
                                text_append_line(&t, line, n);
        }
        text_puts(&t, "# steps\n");
        for (size_t j = 0; j < c->steps->n; j++)
                text_printf(&t, "%s\n", c->steps->items[j]);
        return text_write_file(&t, 0644, "%s/%s.net", outdir, c->name);
}

int net_files_write(const char *id, const char *outdir, const net_file_container *containers, size_t n,
                    bool (*keep_container_line)(const char *line, size_t len), bool *ret_settled) {
        int *fds = calloc(n + 1, sizeof(int));
        char **texts = calloc(n + 1, sizeof(char *)), *error = NULL;
        size_t count = 1, *index = calloc(n + 1, sizeof(size_t));
        bool settled = false;
        unsigned samples = 0;
        int r = 0;

        if (!fds || !texts || !index) {
                r = -ENOMEM;
                goto out;
        }
        fds[0] = -1; /* the host: the caller's own namespace */
        for (size_t i = 0; i < n; i++)
                if (containers[i].netns_fd >= 0) {
                        index[i] = count;
                        fds[count++] = containers[i].netns_fd;
                }
        r = dump_settled(fds, count, texts, &samples, &settled, &error);
        if (r < 0) {
                fprintf(stderr, "%s: dump: %s\n", id, error ? error : strerror(-r));
                goto out;
        }
        fprintf(stderr, "--- dump: %u sample(s)%s\n", samples,
                settled ? "" : "; the namespaces did not settle, the last sample is used");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = write_one(outdir, &containers[i], texts[0], containers[i].netns_fd >= 0 ? texts[index[i]] : NULL,
                              keep_container_line);
        if (r >= 0)
                *ret_settled = settled;
out:
        for (size_t i = 0; texts && i < count; i++)
                free(texts[i]);
        free(texts);
        free(fds);
        free(index);
        free(error);
        return r;
}

void net_sections_free(net_sections *s) {
        free(s->host);
        free(s->container);
        free(s->steps);
        *s = (net_sections) { 0 };
}

void net_sections_parse(const char *s, net_sections *ret) {
        text parts[3] = { { 0 } };
        const char *line;
        size_t len;
        bool seen[3] = { false, false, false };
        int at = -1;

        *ret = (net_sections) { 0 };
        for (const char *cursor = s; text_next_line(&cursor, &line, &len);) {
                if (strncmp(line, "# host", 6) == 0)
                        at = 0;
                else if (strncmp(line, "# container ", 12) == 0)
                        at = 1;
                else if (strncmp(line, "# steps", 7) == 0)
                        at = 2;
                else if (at >= 0)
                        text_append_line(&parts[at], line, len);
                if (at >= 0)
                        seen[at] = true;
        }
        if (seen[0])
                ret->host = text_steal(&parts[0], NULL);
        if (seen[1])
                ret->container = text_steal(&parts[1], NULL);
        if (seen[2])
                ret->steps = text_steal(&parts[2], NULL);
        for (int i = 0; i < 3; i++)
                text_free(&parts[i]);
}
