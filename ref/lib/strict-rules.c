#include <stdbool.h>
#include <string.h>

#include "option-table.h"
#include "strict-rules.h"
#include "utf8.h"

/* What a byte can break, one bit per kind, so that a value is scanned
 * once however many rules apply to it. */
enum {
        BREAKS_LINE = 1 << 0,       /* \n \r: a line of the generated file */
        ENDS_COMMAND = 1 << 1,      /* \n: the command in the script */
        ENDS_QUOTED = 1 << 2,       /* " \: a double-quoted env-file value */
        ENDS_UNQUOTED = 1 << 3,     /* " ' \: an unquoted env-file value */
        SHELL_SYNTAX = 1 << 4,      /* bytes that bash treats as syntax in a script's text */
        SPLITS_WORDS = 1 << 5,      /* whitespace: the start script splits there */
        SPLITS_ITEMS = 1 << 6,      /* , */
        GLOBS = 1 << 7,             /* * ? [: bash's pathname expansion */
};

#define SHELL(c) [c] = SHELL_SYNTAX
static const unsigned char byte_breaks[256] = {
        SHELL('&'), SHELL(';'), SHELL('|'), SHELL('<'), SHELL('>'), SHELL('('), SHELL(')'), SHELL('{'),
        SHELL('}'), SHELL('#'), SHELL(']'), SHELL('~'), SHELL('!'), SHELL('$'), SHELL('`'),
        ['*'] = SHELL_SYNTAX | GLOBS, ['?'] = SHELL_SYNTAX | GLOBS, ['['] = SHELL_SYNTAX | GLOBS,
        ['"'] = ENDS_QUOTED | ENDS_UNQUOTED | SHELL_SYNTAX,
        ['\''] = ENDS_UNQUOTED | SHELL_SYNTAX,
        ['\\'] = ENDS_QUOTED | ENDS_UNQUOTED | SHELL_SYNTAX,
        ['\n'] = BREAKS_LINE | ENDS_COMMAND | SPLITS_WORDS,
        ['\r'] = BREAKS_LINE | SPLITS_WORDS,
        [' '] = SPLITS_WORDS, ['\t'] = SPLITS_WORDS, ['\v'] = SPLITS_WORDS, ['\f'] = SPLITS_WORDS,
        [','] = SPLITS_ITEMS,
};
#undef SHELL

const char *nc_strict_violation(const char *value, size_t len, unsigned rules) {
        unsigned found = 0;

        if (memchr(value, '\0', len))
                return "contains a NUL byte";
        /* JSON allows the noncharacters; systemd refuses the whole env
         * file for one, and then the unit starts without it. */
        if ((rules & (NC_RULE_ENV_UNQUOTED | NC_RULE_ENV_QUOTED)) && !nc_utf8_is_valid(value, len))
                return "contains a Unicode noncharacter, which systemd's EnvironmentFile= refuses";
        for (size_t i = 0; i < len; i++)
                found |= byte_breaks[(unsigned char) value[i]];
        if ((rules & (NC_RULE_ENV_UNQUOTED | NC_RULE_ENV_QUOTED | NC_RULE_UNIT_LINE)) && (found & BREAKS_LINE))
                return "contains a line break, which would add a line to the generated file";
        /* EXTRA_NSPAWN_FLAGS="..." etc.: systemd ends the value at `"` and
         * eats a backslash (src/basic/env-file.c, DOUBLE_QUOTE_VALUE). */
        if ((rules & NC_RULE_ENV_QUOTED) && (found & ENDS_QUOTED))
                return "contains a double quote or backslash, which breaks the quoting of the env file";
        /* HOST_ADDRESS=... is unquoted: quotes start a quoted value, a
         * backslash escapes, and surrounding whitespace is dropped. */
        if ((rules & NC_RULE_ENV_UNQUOTED) && (found & ENDS_UNQUOTED))
                return "contains a quote or backslash, which systemd's EnvironmentFile= parser would reinterpret";
        if ((rules & NC_RULE_SCRIPT) && (found & ENDS_COMMAND))
                return "contains a line break, which ends the command in the generated script";
        if ((rules & NC_RULE_SCRIPT) && (found & SHELL_SYNTAX))
                return "contains a shell metacharacter, which bash would interpret in the generated script";
        /* `for iface in $INTERFACES`, `$EXTRA_NSPAWN_FLAGS`: "*" becomes
         * the names of the files in /, "/etc/pass*" /etc/passwd and
         * /etc/passwd-. */
        if ((rules & NC_RULE_GLOB) && (found & GLOBS))
                return "contains a glob character (*, ? or [), which bash expands to the names of matching files";
        if ((rules & (NC_RULE_SPLIT | NC_RULE_SCRIPT | NC_RULE_ENV_UNQUOTED)) && (found & SPLITS_WORDS))
                return "contains whitespace, which the start script splits into several arguments";
        if ((rules & NC_RULE_NO_COMMA) && (found & SPLITS_ITEMS))
                return "contains a comma, which the start script splits into several items";
        return NULL;
}
