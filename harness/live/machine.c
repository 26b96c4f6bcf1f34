/* What a run of the live tier could leave on the machine, and whether it
 * did: links in the machine's network namespace, /run/netns, mounts, cgroups
 * and processes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live.h"
#include "netns.h"
#include "strv.h"
#include "text.h"

static int list_dir(const char *path, nc_strv *out) {
        DIR *dir = opendir(path);
        struct dirent *entry;
        int r = 0;

        if (!dir)
                return 0;
        while (r >= 0 && (entry = readdir(dir)))
                if (entry->d_name[0] != '.')
                        r = nc_strv_push(out, entry->d_name);
        closedir(dir);
        return r;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static bool has_prefix_of(const char *path, const char *const *prefixes) {
        for (size_t i = 0; prefixes[i]; i++) {
                size_t len = strlen(prefixes[i]);
                if (strncmp(path, prefixes[i], len) == 0 && (path[len] == '\0' || path[len] == '/'))
                        return true;
        }
        return false;
}

void live_machine_take(live_machine *s) {
        static const char *const run_paths[] = { "/nix", "/var/lib", "/run", "/srv", "/sys", "/tmp", NULL };
        char *out = NULL, *error = NULL, line[4096], own[64];
        live_cgroup probe = { 0 };
        FILE *in;

        *s = (live_machine) { 0 };
        if (netns_ip_output(-1, &out, &error, "-o link show") >= 0)
                for (char *save = NULL, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                        char name[64];
                        if (sscanf(l, "%*d: %63[^:@]", name) == 1)
                                nc_strv_push(&s->links, name);
                }
        free(out);
        free(error);
        error = NULL;
        list_dir("/run/netns", &s->netns);
        in = fopen("/proc/self/mountinfo", "re");
        while (in && fgets(line, sizeof line, in)) {
                char point[4096];
                if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && has_prefix_of(point, run_paths))
                        nc_strv_push(&s->mounts, point);
        }
        if (in)
                fclose(in);
        /* This process's cgroups: a probe cgroup says where they are. */
        snprintf(own, sizeof own, "nixcontainer-live.%d.", (int) getpid());
        if (live_cgroup_create("nixcontainer-live.probe", &probe, &error) >= 0) {
                for (size_t i = 0; i < probe.dirs.n; i++) {
                        char *parent = strdup(probe.dirs.items[i]);
                        nc_strv names = { 0 };
                        if (!parent)
                                continue;
                        *strrchr(parent, '/') = '\0';
                        list_dir(parent, &names);
                        for (size_t j = 0; j < names.n; j++) {
                                char *dir = NULL;
                                const char *name = names.items[j];
                                if ((strncmp(name, own, strlen(own)) == 0 || strcmp(name, "payload") == 0 ||
                                     strcmp(name, "supervisor") == 0) &&
                                    asprintf(&dir, "%s/%s", parent, names.items[j]) >= 0)
                                        nc_strv_push(&s->cgroups, dir);
                                free(dir);
                        }
                        nc_strv_clear(&names);
                        free(parent);
                }
                unsigned ignored;
                free(error);
                error = NULL;
                live_cgroup_destroy(&probe, &ignored, &error);
        }
        free(error);
        nc_strv *lists[] = { &s->links, &s->netns, &s->mounts, &s->cgroups };
        for (size_t i = 0; i < 4; i++)
                if (lists[i]->n)
                        qsort(lists[i]->items, lists[i]->n, sizeof(char *), compare_strings);
}

void live_machine_free(live_machine *s) {
        nc_strv_clear(&s->links);
        nc_strv_clear(&s->netns);
        nc_strv_clear(&s->mounts);
        nc_strv_clear(&s->cgroups);
}

/* "+NAME" for each added, "-NAME" for each gone, from sorted lists. */
char *live_machine_difference(const nc_strv *before, const nc_strv *after, bool (*counts)(const char *)) {
        text b = { 0 };
        char *out = NULL;

        for (size_t i = 0; i < after->n; i++)
                if (!strv_contains(before, after->items[i]) && (!counts || counts(after->items[i])))
                        text_printf(&b, "%s+%s", text_length(&b) ? " " : "", after->items[i]);
        for (size_t i = 0; i < before->n; i++)
                if (!strv_contains(after, before->items[i]))
                        text_printf(&b, "%s-%s", text_length(&b) ? " " : "", before->items[i]);
        if (text_length(&b))
                out = text_steal(&b, NULL);
        text_free(&b);
        return out;
}

/* This process's children, and processes it has become the parent of. */
size_t live_children_left(void) {
        DIR *dir = opendir("/proc");
        struct dirent *entry;
        size_t n = 0;

        while (dir && (entry = readdir(dir))) {
                char path[300], buffer[512], *close_paren;
                int ppid = 0;
                FILE *in;
                if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
                in = fopen(path, "re");
                if (!in)
                        continue;
                if (fgets(buffer, sizeof buffer, in) && (close_paren = strrchr(buffer, ')')) &&
                    sscanf(close_paren + 2, "%*c %d", &ppid) == 1 && ppid == (int) getpid())
                        n++;
                fclose(in);
        }
        if (dir)
                closedir(dir);
        return n;
}
