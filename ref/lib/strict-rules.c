#include <stdbool.h>
#include <string.h>

#include "option-table.h"
#include "strict-rules.h"
#include "utf8.h"

/* Bytes that bash treats as syntax when they appear in a script's text. */
static const char SHELL_SPECIAL[] = "\"'\\`$&;|<>(){}#*?[]~!";

static bool has_any(const char *value, size_t len, const char *set) {
        for (size_t i = 0; i < len; i++)
                if (value[i] != '\0' && strchr(set, value[i]))
                        return true;
        return false;
}

const char *nc_strict_violation(const char *value, size_t len, unsigned rules) {
        if (memchr(value, '\0', len))
                return "contains a NUL byte";
        /* JSON allows the noncharacters; systemd refuses the whole env
         * file for one, and then the unit starts without it. */
        if ((rules & (NC_RULE_ENV_UNQUOTED | NC_RULE_ENV_QUOTED)) && !nc_utf8_is_valid(value, len))
                return "contains a Unicode noncharacter, which systemd's EnvironmentFile= refuses";
        if ((rules & (NC_RULE_ENV_UNQUOTED | NC_RULE_ENV_QUOTED | NC_RULE_UNIT_LINE)) &&
            has_any(value, len, "\n\r"))
                return "contains a line break, which would add a line to the generated file";
        /* EXTRA_NSPAWN_FLAGS="..." etc.: systemd ends the value at `"` and
         * eats a backslash (src/basic/env-file.c, DOUBLE_QUOTE_VALUE). */
        if ((rules & NC_RULE_ENV_QUOTED) && has_any(value, len, "\"\\"))
                return "contains a double quote or backslash, which breaks the quoting of the env file";
        /* HOST_ADDRESS=... is unquoted: quotes start a quoted value, a
         * backslash escapes, and surrounding whitespace is dropped. */
        if ((rules & NC_RULE_ENV_UNQUOTED) && has_any(value, len, "\"'\\"))
                return "contains a quote or backslash, which systemd's EnvironmentFile= parser would reinterpret";
        if ((rules & NC_RULE_SCRIPT) && has_any(value, len, "\n"))
                return "contains a line break, which ends the command in the generated script";
        if ((rules & NC_RULE_SCRIPT) && has_any(value, len, SHELL_SPECIAL))
                return "contains a shell metacharacter, which bash would interpret in the generated script";
        if ((rules & (NC_RULE_SPLIT | NC_RULE_SCRIPT | NC_RULE_ENV_UNQUOTED)) &&
            has_any(value, len, " \t\n\r\v\f"))
                return "contains whitespace, which the start script splits into several arguments";
        if ((rules & NC_RULE_NO_COMMA) && has_any(value, len, ","))
                return "contains a comma, which the start script splits into several items";
        return NULL;
}
