/* The nixcontainer CLI: shared pieces of its commands.
 * Exit status: 0 done; 2 bad input or usage; 1 a runtime failure. */
#ifndef NC_CLI_H
#define NC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "nixcontainer.h"

enum {
        NC_EXIT_OK = 0,
        NC_EXIT_FAILURE = 1,
        NC_EXIT_USAGE = 2,
};

/* The options a command takes besides --help, --release and
 * --state-version, which every command takes. */
typedef struct cli_accepts {
        bool compat;   /* --compat */
        bool config;   /* --config FILE, then required */
        bool nul;      /* -0 */
        bool env_file; /* --env-file FILE */
        bool init;     /* --init PATH */
        bool nspawn;   /* --nspawn PATH */
        bool json;     /* --json */
        bool name;     /* exactly one operand: the container's NAME */
} cli_accepts;

/* A row of the command table (main.c): the synopsis says in words what
 * `accepts` says to the parser (cli-test checks that they agree). */
typedef struct cli_command {
        const char *name;
        const char *synopsis;
        cli_accepts accepts;
        const char *help;
        int (*run)(int argc, char **argv);
} cli_command;

/* Prints "nixcontainer: " + message to stderr. */
void cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Maps a library error to an exit status and prints its message. */
int cli_fail(int r, const nc_error *error);
/* Prints the command's synopsis and help to stdout (for --help) or stderr. */
int cli_usage(const cli_command *command, bool to_stdout);
/* Writes all of `data` to stdout: NC_EXIT_OK, or NC_EXIT_FAILURE with the
 * error printed. */
int cli_write_stdout(const char *data, size_t len);
/* Flushes what printf() wrote: NC_EXIT_OK, or NC_EXIT_FAILURE with the
 * error printed (a full disk, a closed pipe). */
int cli_flush_stdout(void);

int cli_run_env_file(int argc, char **argv);
int cli_run_hosts(int argc, char **argv);
int cli_run_argv(int argc, char **argv);
int cli_run_nspawn_env(int argc, char **argv);
int cli_run_unit(int argc, char **argv);
int cli_run_options(int argc, char **argv);
int cli_run_releases(int argc, char **argv);
int cli_run_check(int argc, char **argv);

const cli_command *cli_find_command(const char *name);

/* The installed nixcontainer-init, found relative to the running CLI
 * (installed-init.c): LIBEXECDIR's, else the build tree's neighbour, else
 * LIBEXECDIR's all the same. On success *ret_path is the caller's, freed
 * with free(). Returns 0, -ENOMEM, or -errno when /proc/self/exe cannot
 * be read. */
int cli_installed_init(char **ret_path);

typedef struct cli_args {
        bool compat;
        bool nul;
        bool json;
        const char *config;
        const char *env_file;
        const char *init;
        const char *nspawn;
        const char *name;
        const char *release;       /* --release: NULL, the config file's */
        const char *state_version; /* --state-version: NULL, the config file's */
} cli_args;

/* Parses the command's options and operands, refusing those its row of
 * the command table does not accept. Returns 0 to go on, with
 * *ret_args set; or 1 when the command is done already (--help printed, or
 * a usage error printed with the usage), with *ret_exit_status set to what
 * it exits with (NC_EXIT_OK, NC_EXIT_USAGE). */
int cli_parse_args(const cli_command *command, int argc, char **argv, cli_args *ret_args, int *ret_exit_status);
/* The unit's environment for args->name (see cli-environment.c); returns
 * 0 or an exit status after printing the error. */
int cli_unit_environment(const cli_args *args, const nc_config *config, nc_env **ret_env);
int cli_run_host_setup(int argc, char **argv);
int cli_run_init_setup(int argc, char **argv);
int cli_run_prestart(int argc, char **argv);

/* What unit starts with: --config loaded, NAME checked, the unit's
 * container (its definition, or the template; an error when the host has
 * no container@ unit). Returns 0 or an exit status (the error printed). */
int cli_load_container(const cli_args *args, nc_config **ret_config, const nc_container **ret_container);

/* What argv and the network commands start with: cli_load_container(),
 * then the unit's environment. Returns 0 or an exit status (the error
 * printed; *ret_config freed). */
int cli_load_unit(const cli_args *args, nc_config **ret_config, nc_env **ret_env);

/* The container called `name` in `config`, or, for an imperative one that
 * the config does not hold, the release's container@ template. */
const nc_container *cli_container(const nc_config *config, const char *name);

/* The content of the guest's `system` file as the start script's
 * "$(< ${SYSTEM_PATH:-...}/system)" gives it (guest-system.c): 0 with the
 * content (NULL: bash reads nothing), or -errno with the path when the
 * file cannot be opened and the script stops there. */
int cli_read_guest_system(const nc_env *env, char **ret_content, char **ret_path);

/* Loads --config in the mode --compat asks for. */
int cli_load_config(const cli_args *args, nc_config **ret_config);
/* 0 when `container` (may be NULL) is not refused; else prints its
 * refusal (nc_container_refusal()) and returns NC_EXIT_USAGE. */
int cli_refused(const nc_container *container);
/* For the commands over every container (hosts, check), after their own
 * output: prints the refusal of each container strict mode refused, and
 * returns `status`, or NC_EXIT_USAGE when `status` is NC_EXIT_OK and one
 * was refused (the others' output stands, as the module fails only it). */
int cli_refused_any(const nc_config *config, int status);
#endif
