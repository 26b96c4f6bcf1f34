/* fuzz-cli-args: the CLI's argument parser (ref/cli/cli-args.c), on the
 * argv of any command.
 *
 * The input is ACCEPTED ARG NUL ARG NUL ...: the first byte is the set of
 * options the command takes (its cli_accepts, one bit a field: compat,
 * config, nul, env_file, init, nspawn, name, json), the rest the arguments
 * after the command's name (at most 64), each up to a NUL.
 *
 * Checked besides crashes and leaks: a stop (--help, a usage error) exits
 * 0 or 2; a parse that goes on has NAME when the command takes one and
 * --config when it takes it, every value being one of the arguments, and
 * only the options the command takes. The usage text goes to /dev/null. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz-common.h"

#define MAX_ARGS 64

static bool is_argument(const char *value, char **argv, int argc) {
        for (int i = 0; i < argc; i++)
                if (value >= argv[i] && value <= argv[i] + strlen(argv[i]))
                        return true;
        return false;
}

/* The command's row from the input's first byte (the bits in the order of
 * the fields, as the corpus was written). */
static cli_accepts accepts_of(uint8_t bits) {
        return (cli_accepts) {
                .compat = bits & 1u << 0,
                .config = bits & 1u << 1,
                .nul = bits & 1u << 2,
                .env_file = bits & 1u << 3,
                .init = bits & 1u << 4,
                .nspawn = bits & 1u << 5,
                .name = bits & 1u << 6,
                .json = bits & 1u << 7,
        };
}

/* `value` (of option `what`, which the command takes when `taken`) is
 * NULL or points into the arguments, and is set only when taken. */
static void check_value(const char *what, const char *value, bool taken, char **argv, int argc) {
        if (value && !taken)
                fuzz_fail("%s set although the command does not take it", what);
        if (value && !is_argument(value, argv, argc))
                fuzz_fail("%s does not point into the arguments", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static int null_fd = -1;
        cli_command command = { "fuzz", "fuzz [OPTIONS] NAME", { 0 }, "The fuzzed command.\n", NULL };
        const cli_accepts *accepted = &command.accepts;
        char *copy, *argv[MAX_ARGS + 2];
        int argc = 0, saved, r, status = -1;
        cli_args args;

        if (size < 1 || size > FUZZ_MAX_INPUT)
                return 0;
        command.accepts = accepts_of(data[0]);
        copy = malloc(size);
        if (!copy)
                fuzz_fail("out of memory");
        memcpy(copy, data + 1, size - 1);
        copy[size - 1] = '\0';
        argv[argc++] = "fuzz";
        for (char *p = copy; p < copy + size - 1 && argc <= MAX_ARGS; p += strlen(p) + 1)
                argv[argc++] = p;
        argv[argc] = NULL;

        if (null_fd < 0 && (null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
                fuzz_fail("cannot open /dev/null");
        fflush(stdout);
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        int saved_out = dup(STDOUT_FILENO);
        if (saved < 0 || saved_out < 0 || dup2(null_fd, STDERR_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0)
                fuzz_fail("cannot redirect the usage text");
        r = cli_parse_args(&command, argc, argv, &args, &status);
        fflush(stdout);
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        dup2(saved_out, STDOUT_FILENO);
        close(saved);
        close(saved_out);

        if (r == 1) {
                if (status != NC_EXIT_OK && status != NC_EXIT_USAGE)
                        fuzz_fail("a stop with exit status %d", status);
        } else if (r == 0) {
                if (accepted->name && !args.name)
                        fuzz_fail("no NAME although the command takes one");
                if (accepted->config && !args.config)
                        fuzz_fail("no --config although the command requires it");
                if ((args.compat && !accepted->compat) || (args.nul && !accepted->nul) ||
                    (args.json && !accepted->json))
                        fuzz_fail("a flag set although the command does not take it");
                check_value("NAME", args.name, accepted->name, argv, argc);
                check_value("--config", args.config, accepted->config, argv, argc);
                check_value("--env-file", args.env_file, accepted->env_file, argv, argc);
                check_value("--init", args.init, accepted->init, argv, argc);
                check_value("--nspawn", args.nspawn, accepted->nspawn, argv, argc);
                check_value("--release", args.release, true, argv, argc);
                check_value("--state-version", args.state_version, true, argv, argc);
        } else
                fuzz_fail("cli_parse_args returned %d", r);
        free(copy);
        return 0;
}
