#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *format, ...) {
        va_list ap;

        fputs("nixcontainer: ", stderr);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputc('\n', stderr);
}

int cli_fail(int r, const nc_error *error) {
        const char *message = error && error->message[0] ? error->message : strerror(-r);

        cli_error("%s", message);
        /* Bad input (a value, a file's content) is 2; the rest is a runtime failure. */
        return r == -EINVAL || r == -ENOTSUP || r == -EFBIG ? NC_EXIT_USAGE : NC_EXIT_FAILURE;
}

int cli_usage(const cli_command *command, bool to_stdout) {
        FILE *out = to_stdout ? stdout : stderr;

        fprintf(out, "usage: nixcontainer %s\n\n%s", command->synopsis, command->help);
        fprintf(out, "\nEvery command also takes:\n"
                     "  --release R          the module release to follow (nixcontainer releases);\n"
                     "                       default: the config file's \"release\", else %s\n"
                     "  --state-version V    the host's system.stateVersion; default: the config\n"
                     "                       file's \"stateVersion\", else %s\n"
                     "(--config - reads the config from standard input.)\n",
                NC_RELEASE_DEFAULT, NC_STATE_VERSION_DEFAULT);
        /* --help's text is output like any other: a failed write is exit 1. */
        return to_stdout ? cli_flush_stdout() : NC_EXIT_USAGE;
}

int cli_write_stdout(const char *data, size_t len) {
        while (len > 0) {
                ssize_t n = write(STDOUT_FILENO, data, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        cli_error("writing to stdout: %s", strerror(errno));
                        return NC_EXIT_FAILURE;
                }
                data += n;
                len -= (size_t) n;
        }
        return NC_EXIT_OK;
}

int cli_flush_stdout(void) {
        if (fflush(stdout) == 0 && !ferror(stdout))
                return NC_EXIT_OK;
        cli_error("writing to stdout: %s", strerror(errno ? errno : EIO));
        return NC_EXIT_FAILURE;
}
