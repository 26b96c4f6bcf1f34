#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"
#include "unit-helpers.h"

nc_config *load_json(const char *json, nc_mode mode, nc_error *error) {
        nc_config *config = NULL;
        if (nc_config_load_json(json, strlen(json), mode, NULL, NULL, &config, error) < 0)
                return NULL;
        return config;
}

const char *load_error(const char *json, nc_mode mode) {
        static nc_error error;
        nc_config *config;

        memset(&error, 0, sizeof error);
        config = load_json(json, mode, &error);
        if (config) {
                nc_config_free(config);
                return "";
        }
        return error.message;
}

bool contains(const char *haystack, const char *needle) {
        return haystack && strstr(haystack, needle) != NULL;
}

nc_env *env_of(const char *const *assignments) {
        nc_env *env = nc_env_new();
        for (size_t i = 0; env && assignments[i]; i++) {
                const char *eq = strchr(assignments[i], '=');
                char *name = strndup(assignments[i], (size_t) (eq - assignments[i]));
                nc_env_set(env, name, eq + 1);
                free(name);
        }
        return env;
}

char *join_argv(const nc_strv *argv) {
        nc_strbuf b = { 0 };
        char *out;
        for (size_t i = 0; i < argv->n; i++) {
                nc_strbuf_append(&b, i ? "|" : "");
                nc_strbuf_append(&b, argv->items[i]);
        }
        nc_strbuf_steal(&b, &out, NULL);
        return out;
}

void assert_case(bool ok, const char *what, const char *problem, const char *detail) {
        char message[512];

        snprintf(message, sizeof message, "%s: %s \"%s\"", what, problem, detail);
        CU_assertImplementation(ok, __LINE__, message, __FILE__, "", CU_FALSE);
}

void assert_text(const char *what, const char *text, const text_expect *expect) {
        if (expect->starts)
                assert_case(text && strncmp(text, expect->starts, strlen(expect->starts)) == 0, what,
                            "does not start with", expect->starts);
        for (size_t i = 0; i < ELEMENTSOF(expect->present) && expect->present[i]; i++)
                assert_case(contains(text, expect->present[i]), what, "lacks", expect->present[i]);
        for (size_t i = 0; i < ELEMENTSOF(expect->absent) && expect->absent[i]; i++)
                assert_case(!contains(text, expect->absent[i]), what, "has", expect->absent[i]);
}

extern char **environ;

int run_tool(const char *const *argv, char **ret_out) {
        posix_spawn_file_actions_t actions;
        char *out = NULL;
        size_t n = 0, size = 0;
        ssize_t got = 0;
        int pipe_fds[2], status, r;
        pid_t pid;

        if (pipe2(pipe_fds, O_CLOEXEC) < 0)
                return -1;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        r = posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *) argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        if (r != 0) {
                close(pipe_fds[0]);
                return -1;
        }
        do {
                if (n + 4096 > size) {
                        char *bigger = realloc(out, size + 65536);
                        if (!bigger)
                                break;
                        out = bigger;
                        size += 65536;
                }
                got = read(pipe_fds[0], out + n, size - n - 1);
                if (got > 0)
                        n += (size_t) got;
        } while (got > 0);
        close(pipe_fds[0]);
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || !out) {
                free(out);
                return -1;
        }
        out[n] = '\0';
        if (ret_out)
                *ret_out = out;
        else
                free(out);
        return WEXITSTATUS(status);
}

static const char *scratch_dir = "/tmp";

void unit_scratch_set(const char *dir) {
        scratch_dir = dir;
}

char *unit_temp_template(const char *name) {
        char *path = NULL;

        return asprintf(&path, "%s/%s.XXXXXX", scratch_dir, name) < 0 ? NULL : path;
}
