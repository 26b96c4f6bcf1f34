/* EnvironmentFile= parsing as systemd v247..v252 does it: the state machine
 * of src/basic/env-file.c parse_env_file_internal(), the UTF-8 check and
 * replace-in-place of load_env_file_push(), then the strv_env_clean() that
 * exec_context_load_environment() applies to the result.
 *
 * This is not shell syntax. The surprises, all reproduced on purpose:
 *   - A="a" 'b' c gives "abc": after a closing quote, whitespace is skipped
 *     and whatever follows is appended;
 *   - quotes are only special at the start of a value (or after a quote):
 *     A=foo"bar" gives foo"bar";
 *   - a comment line ending in a backslash also comments out the next line;
 *   - escapes such as \n are never interpreted (the backslash is dropped in
 *     unquoted values and kept in double quotes);
 *   - "\r" ends a line as "\n" does;
 *   - one line with invalid UTF-8 in a key or value fails the whole file,
 *     while invalid names are dropped silently. */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc-util.h"
#include "env-internal.h"
#include "error.h"
#include "read-file.h"
#include "strbuf.h"
#include "utf8.h"
#include "nixcontainer.h"

#define NO_WHITESPACE SIZE_MAX

enum parse_state {
        PRE_KEY,        /* between assignments */
        KEY,
        PRE_VALUE,      /* after '=', or after a closing quote */
        VALUE,          /* unquoted */
        VALUE_ESCAPE,   /* after a backslash in an unquoted value */
        SINGLE_QUOTE,
        DOUBLE_QUOTE,
        DOUBLE_QUOTE_ESCAPE,
        COMMENT,
        COMMENT_ESCAPE,
};

typedef struct parser {
        nc_env *out;       /* the file's assignments, in order */
        nc_strbuf key, value;
        /* Where the trailing run of unescaped whitespace starts, if any. */
        size_t key_whitespace, value_whitespace;
        /* Messages name the line where the key starts. (systemd's own
         * count skips blank lines and is one ahead after a newline.) */
        unsigned line, key_line;
        nc_error *error;
} parser;

static bool is_whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_newline(char c) {
        return c == '\n' || c == '\r';
}

/* The classes of the bytes that names and plain values are made of, one
 * lookup a byte (is_name_char(), is_plain_value_char()). */
enum {
        NAME_FIRST = 1 << 0, /* [A-Za-z_] */
        NAME = 1 << 1,       /* [A-Za-z0-9_] */
        PLAIN = 1 << 2,      /* printable ASCII but space, '"', '\'' and '\\' */
        PLAIN_QUOTED = 1 << 3, /* printable ASCII and space but '"' and '\\' */
        LETTER = NAME_FIRST | NAME | PLAIN | PLAIN_QUOTED,
        PUNCT = PLAIN | PLAIN_QUOTED,
};

static const unsigned char char_class[256] = {
        [' '] = PLAIN_QUOTED,
        ['!'] = PUNCT,
        ['#' ... '&'] = PUNCT,
        ['\''] = PLAIN_QUOTED,
        ['(' ... '/'] = PUNCT,
        ['0' ... '9'] = NAME | PUNCT,
        [':' ... '@'] = PUNCT,
        ['A' ... 'Z'] = LETTER,
        ['['] = PUNCT,
        [']' ... '^'] = PUNCT,
        ['_'] = LETTER,
        ['`'] = PUNCT,
        ['a' ... 'z'] = LETTER,
        ['{' ... '~'] = PUNCT,
};

/* [A-Za-z_][A-Za-z0-9_]*, the characters of systemd's env_name_is_valid(). */
static bool is_name_char(char c, bool first) {
        return char_class[(unsigned char) c] & (first ? NAME_FIRST : NAME);
}

/* systemd's env_name_is_valid(). */
static bool env_name_is_valid(const char *name) {
        if (!name[0])
                return false;
        for (const char *p = name; *p; p++)
                if (!is_name_char(*p, p == name))
                        return false;
        return true;
}

/* load_env_file_push(): the key and value just read. Keys that are not
 * valid names are dropped here rather than after parsing, as systemd's
 * strv_env_clean() does: an invalid name can never replace a valid one, so
 * the result is the same. The UTF-8 check comes first, though: it fails
 * the file even for an assignment that would be dropped.
 *
 * systemd trims the value only when it ends in the unquoted state; here
 * value_whitespace is only ever set in that state (nothing leads back from
 * it to a quote), so trimming always is the same. */
static int push(parser *ps) {
        size_t key_len = ps->key_whitespace != NO_WHITESPACE ? ps->key_whitespace : ps->key.len;
        size_t value_len = ps->value_whitespace != NO_WHITESPACE ? ps->value_whitespace : ps->value.len;
        const char *key = ps->key.data, *value = ps->value.data ? ps->value.data : "";
        int r = 0;

        /* A key has at least its first character, so key.data is set. */
        ps->key.data[key_len] = '\0';
        if (!nc_utf8_is_valid(key, key_len))
                r = nc_error_set(ps->error, -EINVAL, "line %u: invalid UTF-8 in key", ps->key_line);
        else if (!nc_utf8_is_valid(value, value_len))
                r = env_name_is_valid(key) ?
                        nc_error_set(ps->error, -EINVAL, "line %u: invalid UTF-8 in value of %s",
                                     ps->key_line, key) :
                        nc_error_set(ps->error, -EINVAL, "line %u: invalid UTF-8 in value",
                                     ps->key_line);
        else if (env_name_is_valid(key))
                r = nc_env_set_len(ps->out, key, value, value_len);

        ps->key.len = ps->value.len = 0;
        return r;
}

/* Appends `c` to `b`; returns `next`, the state the machine goes on in,
 * or -ENOMEM. */
static int append(nc_strbuf *b, char c, enum parse_state next) {
        return nc_strbuf_append_char(b, c) < 0 ? -ENOMEM : (int) next;
}

/* The same, keeping *whitespace at the start of the trailing run of
 * unescaped whitespace, if any. */
static int append_noting_whitespace(nc_strbuf *b, size_t *whitespace, char c, enum parse_state next) {
        if (!is_whitespace(c))
                *whitespace = NO_WHITESPACE;
        else if (*whitespace == NO_WHITESPACE)
                *whitespace = b->len;
        return append(b, c, next);
}

/* The end of an assignment's line: it is pushed, the next key begins. */
static int end_assignment(parser *ps) {
        int r = push(ps);
        return r < 0 ? r : PRE_KEY;
}

/* KEY and VALUE, one shape: text whose trailing run of unescaped
 * whitespace is cut, which a newline ends (a key without '=' is dropped,
 * a value pushed) and one character leaves: '=' for the value, '\\' for
 * its escape. Both clear the value's whitespace mark: the value starts,
 * or what the backslash escapes is never trimmed. */
static int step_trimmed(parser *ps, enum parse_state state, char c) {
        bool key = state == KEY;

        if (is_newline(c)) {
                if (!key)
                        return end_assignment(ps);
                ps->key.len = 0;
                return PRE_KEY;
        }
        if (c == (key ? '=' : '\\')) {
                ps->value_whitespace = NO_WHITESPACE;
                return key ? PRE_VALUE : VALUE_ESCAPE;
        }
        /* Trailing whitespace is cut, inner kept. */
        return append_noting_whitespace(key ? &ps->key : &ps->value, key ? &ps->key_whitespace : &ps->value_whitespace,
                                        c, state);
}

/* One character of the state machine; returns the next state or -errno. */
static int step(parser *ps, enum parse_state state, char c) {
        switch (state) {
        case PRE_KEY:
                /* '#' and ';' start a comment only here, at the start of a
                 * line: A=1 # x keeps "1 # x", A#B=1 is a (bad) key. */
                if (c == '#' || c == ';')
                        return COMMENT;
                if (is_whitespace(c))
                        return PRE_KEY;
                ps->key_line = ps->line;
                ps->key_whitespace = NO_WHITESPACE;
                return append(&ps->key, c, KEY);

        case KEY:
                return step_trimmed(ps, state, c);

        case PRE_VALUE:
                if (is_newline(c))
                        return end_assignment(ps);
                if (c == '\'')
                        return SINGLE_QUOTE;
                if (c == '"')
                        return DOUBLE_QUOTE;
                if (c == '\\')
                        return VALUE_ESCAPE;
                if (is_whitespace(c))
                        return PRE_VALUE;
                return append(&ps->value, c, VALUE);

        case VALUE:
                return step_trimmed(ps, state, c);

        case VALUE_ESCAPE:
                /* Any character is taken literally, the backslash dropped;
                 * backslash-newline (also backslash-CR) joins lines. */
                if (is_newline(c))
                        return VALUE;
                return append(&ps->value, c, VALUE);

        case SINGLE_QUOTE:
                if (c == '\'')
                        return PRE_VALUE;
                return append(&ps->value, c, SINGLE_QUOTE);

        case DOUBLE_QUOTE:
                if (c == '"')
                        return PRE_VALUE;
                if (c == '\\')
                        return DOUBLE_QUOTE_ESCAPE;
                return append(&ps->value, c, DOUBLE_QUOTE);

        case DOUBLE_QUOTE_ESCAPE:
                /* \" \\ \` \$ give the character; backslash-newline (but
                 * not backslash-CR) is removed; any other pair is kept. */
                if (strchr("\"\\`$", c))
                        return append(&ps->value, c, DOUBLE_QUOTE);
                if (c == '\n')
                        return DOUBLE_QUOTE;
                return nc_strbuf_append_char(&ps->value, '\\') < 0 ? -ENOMEM : append(&ps->value, c, DOUBLE_QUOTE);

        case COMMENT:
                /* v247..v253: a backslash escapes the next character even
                 * in a comment, so "# x \" swallows the following line. */
                if (c == '\\')
                        return COMMENT_ESCAPE;
                return is_newline(c) ? PRE_KEY : COMMENT;

        case COMMENT_ESCAPE:
                return COMMENT;
        }
        return -EINVAL;
}

/* The length of the run of bytes at `p` that `state` would push one by one
 * without changing state or any mark: a shortcut through the state machine
 * for the plain characters that make up most of a file. Newlines are never
 * in a run (they count lines), nor is whitespace in KEY and VALUE (it may
 * be trailing). */
static size_t plain_run(enum parse_state state, const char *p, size_t left) {
        size_t n = 0;

        switch (state) {
        case KEY:
                while (n < left && !is_whitespace(p[n]) && p[n] != '=')
                        n++;
                return n;
        case VALUE:
                while (n < left && !is_whitespace(p[n]) && p[n] != '\\')
                        n++;
                return n;
        case SINGLE_QUOTE:
                while (n < left && p[n] != '\'' && p[n] != '\n')
                        n++;
                return n;
        case DOUBLE_QUOTE:
                while (n < left && p[n] != '"' && p[n] != '\\' && p[n] != '\n')
                        n++;
                return n;
        default:
                return 0;
        }
}

/* Printable ASCII that the value states take as it is, needing neither an
 * escape nor trimming nor a UTF-8 check: no '"' and no backslash; unquoted
 * also no whitespace and no '\'' (in double quotes both are text). */
static bool is_plain_value_char(char c, bool quoted) {
        return char_class[(unsigned char) c] & (quoted ? PLAIN_QUOTED : PLAIN);
}

/* The length of the line at `p`, its newline included, when it is one
 * plain assignment, NAME=VALUE or NAME="VALUE", of a valid name and a
 * value of is_plain_value_char(); 0 for any other line. This is what the
 * renderer writes, and for such a line the state machine from PRE_KEY
 * only pushes NAME and VALUE as they are: the shortcut sets them
 * directly. *ret_name_len and *ret_value (at, length) say where they are. */
static size_t plain_line(const char *p, size_t left, size_t *ret_name_len, size_t ret_value[2]) {
        size_t n = 0, value_at;
        bool quoted;

        while (n < left && is_name_char(p[n], n == 0))
                n++;
        if (n == 0 || n == left || p[n] != '=')
                return 0;
        *ret_name_len = n++;
        quoted = n < left && p[n] == '"';
        value_at = n += quoted;
        while (n < left && is_plain_value_char(p[n], quoted))
                n++;
        ret_value[0] = value_at, ret_value[1] = n - value_at;
        if (quoted && (n == left || p[n++] != '"'))
                return 0;
        return n < left && p[n] == '\n' ? n + 1 : 0;
}

/* At the end of the text a value in progress is kept, even inside an
 * unterminated quote; a key without '=' is dropped. */
static int finish(parser *ps, enum parse_state state) {
        switch (state) {
        case PRE_VALUE:
        case VALUE:
        case VALUE_ESCAPE: /* a trailing lone backslash is dropped */
        case SINGLE_QUOTE:
        case DOUBLE_QUOTE:
        case DOUBLE_QUOTE_ESCAPE:
                return push(ps);
        default:
                return 0;
        }
}

/* systemd refuses an assignment longer than ARG_MAX allows
 * (env_assignment_is_valid()); ARG_MAX is read as it does, at run time
 * (once a file: sysconf() asks the kernel for the stack limit each time).
 * Its separate limits on name (ARG_MAX-2) and value (ARG_MAX-3) follow
 * from this one for a non-empty name. */
static size_t assignment_max(void) {
        long arg_max = sysconf(_SC_ARG_MAX);
        return (arg_max > 0 ? (size_t) arg_max : 131072) - 1;
}

static bool assignment_fits(const nc_env *parsed, size_t i, size_t max) {
        return strlen(nc_env_name_at(parsed, i)) + 1 + strlen(nc_env_value_at(parsed, i)) <= max;
}

/* strv_env_clean(): the over-long assignments are dropped only now, after
 * they took part in replace-in-place ("A=x" then a huge "A=..." leaves no
 * A at all). The parsed assignments move into `env`. */
static int merge_clean(nc_env *env, nc_env *parsed) {
        size_t max = assignment_max(), n = nc_env_count(parsed), i;
        _cleanup_(nc_env_freep) nc_env *clean = NULL;
        int r;

        for (i = 0; i < n && assignment_fits(parsed, i, max); i++)
                ;
        if (i == n) /* all fit, the usual case: nothing to drop */
                return nc_env_take_all(env, parsed);
        clean = nc_env_new();
        r = clean ? 0 : -ENOMEM;
        for (i = 0; r >= 0 && i < n; i++)
                if (assignment_fits(parsed, i, max))
                        r = nc_env_set(clean, nc_env_name_at(parsed, i), nc_env_value_at(parsed, i));
        return r < 0 ? r : nc_env_take_all(env, clean);
}

static void parser_done(parser *ps) {
        nc_strbuf_free(&ps->key);
        nc_strbuf_free(&ps->value);
}

/* The text's assignments, set in ps->out one by one. */
static int parse(parser *ps, const char *text, size_t len) {
        int state = PRE_KEY, r = 0;

        for (size_t i = 0; i < len;) {
                size_t run, name_len, value[2];
                if (state == PRE_KEY && (run = plain_line(text + i, len - i, &name_len, value)) > 0) {
                        r = nc_env_set_name_len(ps->out, text + i, name_len, text + i + value[0], value[1]);
                        if (r < 0)
                                return r;
                        ps->line++;
                        i += run;
                        continue;
                }
                run = plain_run((enum parse_state) state, text + i, len - i);
                if (run > 0) {
                        /* What step() does for each of them: push, and (KEY,
                         * VALUE) note that no whitespace trails. */
                        bool in_key = state == KEY;
                        if ((r = nc_strbuf_append_len(in_key ? &ps->key : &ps->value, text + i, run)) < 0)
                                return r;
                        if (in_key)
                                ps->key_whitespace = NO_WHITESPACE;
                        else if (state == VALUE)
                                ps->value_whitespace = NO_WHITESPACE;
                        i += run;
                        continue;
                }
                state = step(ps, (enum parse_state) state, text[i]);
                if (state < 0)
                        return state;
                if (text[i] == '\n')
                        ps->line++;
                i++;
        }
        return finish(ps, (enum parse_state) state);
}

/* The arguments both entry points refuse. */
static int check_text(const nc_env *env, const char *text, size_t len, nc_error *error) {
        if (!env || (!text && len > 0))
                return nc_error_set(error, -EINVAL, "no environment or text");
        /* systemd reads the file as a C string and refuses one that holds a
         * NUL byte (read_full_file(): -EBADMSG). */
        if (len > 0 && memchr(text, '\0', len))
                return nc_error_set(error, -EBADMSG, "contains a NUL byte");
        return 0;
}

int nc_env_file_parse(nc_env *env, const char *text, size_t len, nc_error *error) {
        _cleanup_(nc_env_freep) nc_env *parsed = NULL;
        _cleanup_(parser_done) parser ps = { .line = 1, .error = error };
        int r = check_text(env, text, len, error);

        if (r < 0)
                return r;
        ps.out = parsed = nc_env_new();
        r = parsed ? parse(&ps, text, len) : -ENOMEM;
        if (r >= 0)
                r = merge_clean(env, parsed);
        if (r == -ENOMEM) /* the other errors come with their message */
                nc_error_set(error, r, "out of memory");
        return r;
}

int nc_env_file_parse_into(nc_env *env, const char *text, size_t len, nc_error *error) {
        _cleanup_(parser_done) parser ps = { .line = 1, .error = error, .out = env };
        int r;

        /* An assignment is never longer than the text, and ARG_MAX is at
         * least _POSIX_ARG_MAX: below it merge_clean() drops nothing, and
         * setting each assignment in `env` as it is read is what merging
         * the file's own env gives (replace in place, later ones win).
         * A longer text goes the way that can drop. */
        if (len >= _POSIX_ARG_MAX)
                return nc_env_file_parse(env, text, len, error);
        r = check_text(env, text, len, error);
        if (r < 0)
                return r;
        r = parse(&ps, text, len);
        if (r == -ENOMEM)
                nc_error_set(error, r, "out of memory");
        return r;
}

int nc_env_file_load(nc_env *env, const char *path, nc_error *error) {
        nc_error parse_error = { .message = "" };
        _cleanup_free_ char *text = NULL;
        char errbuf[128];
        size_t len = 0;
        int r;

        if (!env || !path)
                return nc_error_set(error, -EINVAL, "no environment or path");
        r = nc_read_file(path, NC_ENV_FILE_MAX, &text, &len);
        if (r == -EFBIG)
                return nc_error_set(error, r, "%s: larger than %u bytes", path, NC_ENV_FILE_MAX);
        if (r < 0)
                return nc_error_set(error, r, "%s: %s", path, strerror_r(-r, errbuf, sizeof errbuf));
        r = nc_env_file_parse(env, text, len, &parse_error);
        if (r < 0)
                return nc_error_set(error, r, "%s: %s", path, parse_error.message);
        return 0;
}
