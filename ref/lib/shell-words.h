/* The parts of bash that the start script's argv goes through: field
 * splitting of unquoted expansions, and (for --compat) the parsing of
 * option values that the module pastes into the script's text. */
#ifndef NC_SHELL_WORDS_H
#define NC_SHELL_WORDS_H

#include <stdbool.h>

#include "nixcontainer.h"

/* Splits `value` as bash splits an unquoted $VAR with the given IFS:
 * runs of IFS whitespace separate fields and are trimmed at the ends; each
 * other IFS character ends a field, so "a,,b" gives a, "", b and a trailing
 * "a," gives only a. No pathname expansion. Appends to `fields`. */
int nc_shell_split(const char *value, const char *ifs, nc_strv *fields);

#define NC_SHELL_DEFAULT_IFS " \t\n"

enum {
        /* The text is the value of an assignment (x+="..."): no field
         * splitting, and it must stay a single word. */
        NC_SHELL_ASSIGNMENT = 1u << 0,
};

/* Parses `text` as bash would parse it as part of a simple command:
 * quotes, backslashes, $NAME and ${NAME} from `env`, field splitting of
 * unquoted expansions. An unquoted newline or a comment ends the command:
 * *ret_ended is set and parsing stops. Constructs that would make bash do
 * something else (command substitution, redirection, control operators,
 * brace or tilde expansion, unterminated quotes) give -ENOTSUP with a
 * message saying what. Appends the words to `words`. */
int nc_shell_parse_words(const char *text, const nc_env *env, unsigned flags,
                         nc_strv *words, bool *ret_ended, nc_error *error);

#endif
