#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "shell-words.h"
#include "strbuf.h"

static bool is_ifs_space(char c, const char *ifs) {
        return (c == ' ' || c == '\t' || c == '\n') && strchr(ifs, c);
}

static bool is_ifs(char c, const char *ifs) {
        return c != '\0' && strchr(ifs, c);
}

int nc_shell_split(const char *value, const char *ifs, nc_strv *fields) {
        size_t i = 0, len = strlen(value);
        int r;

        while (i < len && is_ifs_space(value[i], ifs))
                i++;
        while (i < len) {
                size_t start = i;
                while (i < len && !is_ifs(value[i], ifs))
                        i++;
                r = nc_strv_push_len(fields, value + start, i - start);
                if (r < 0)
                        return r;
                /* One delimiter: IFS whitespace around at most one other IFS char. */
                while (i < len && is_ifs_space(value[i], ifs))
                        i++;
                if (i < len && is_ifs(value[i], ifs) && !is_ifs_space(value[i], ifs)) {
                        i++;
                        while (i < len && is_ifs_space(value[i], ifs))
                                i++;
                }
        }
        return 0;
}

typedef struct parser {
        const char *text;
        size_t i;
        const nc_env *env;
        unsigned flags;
        nc_strv *words;
        nc_strbuf word;
        bool in_word;       /* something (maybe just "") started a word */
        nc_error *error;
} parser;

static int unsupported(parser *p, const char *what) {
        return nc_error_set(p->error, -ENOTSUP,
                            "the start script would treat %s in this value as shell syntax; "
                            "that cannot be reproduced", what);
}

static int end_word(parser *p) {
        int r;
        if (!p->in_word)
                return 0;
        r = nc_strv_push_len(p->words, p->word.data ? p->word.data : "", p->word.len);
        p->word.len = 0;
        if (p->word.data)
                p->word.data[0] = '\0';
        p->in_word = false;
        return r;
}

static int append(parser *p, const char *s, size_t len) {
        p->in_word = true;
        return nc_strbuf_append_len(&p->word, s, len);
}

static bool is_name_start(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c) {
        return is_name_start(c) || (c >= '0' && c <= '9');
}

/* At p->text[p->i] == '$'. Sets *ret_value (NULL: a literal '$'). */
static int parse_dollar(parser *p, const char **ret_value) {
        const char *t = p->text + p->i + 1;
        char name[256];
        size_t n = 0;

        if (*t == '{') {
                t++;
                while (is_name_char(t[n]) && n < sizeof name - 1)
                        n++;
                if (n == 0 || !is_name_start(t[0]) || t[n] != '}')
                        return unsupported(p, "a ${...} expansion");
                memcpy(name, t, n);
                name[n] = '\0';
                p->i += 1 + 1 + n + 1;
        } else if (is_name_start(*t)) {
                while (is_name_char(t[n]) && n < sizeof name - 1)
                        n++;
                memcpy(name, t, n);
                name[n] = '\0';
                p->i += 1 + n;
        } else if (*t == '(' || (*t >= '0' && *t <= '9') || (*t && strchr("@*#?-$!'\"", *t))) {
                return unsupported(p, "a $ expansion");
        } else {
                p->i += 1;
                *ret_value = NULL;
                return 0;
        }
        *ret_value = p->env ? nc_env_get(p->env, name) : NULL;
        if (!*ret_value)
                *ret_value = "";
        return 1;
}

static int parse_double_quoted(parser *p) {
        const char *t = p->text;
        int r;

        p->i++; /* the opening quote */
        p->in_word = true;
        for (;;) {
                char c = t[p->i];
                if (c == '\0')
                        return unsupported(p, "an unterminated double quote");
                if (c == '"') {
                        p->i++;
                        return 0;
                }
                if (c == '`')
                        return unsupported(p, "a backquote");
                if (c == '\\' && t[p->i + 1] && strchr("$`\"\\\n", t[p->i + 1])) {
                        if (t[p->i + 1] != '\n' && (r = append(p, t + p->i + 1, 1)) < 0)
                                return r;
                        p->i += 2;
                        continue;
                }
                if (c == '$') {
                        const char *value;
                        r = parse_dollar(p, &value);
                        if (r < 0)
                                return r;
                        r = value ? append(p, value, strlen(value)) : append(p, "$", 1);
                        if (r < 0)
                                return r;
                        continue;
                }
                if ((r = append(p, &c, 1)) < 0)
                        return r;
                p->i++;
        }
}

static int append_unquoted_expansion(parser *p, const char *value) {
        int r;
        if (p->flags & NC_SHELL_ASSIGNMENT)
                return append(p, value, strlen(value));
        for (const char *v = value; *v; v++) {
                if (is_ifs_space(*v, NC_SHELL_DEFAULT_IFS))
                        r = end_word(p);
                else
                        r = append(p, v, 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse(parser *p, bool *ret_ended) {
        const char *t = p->text;
        int r;

        *ret_ended = false;
        while (t[p->i]) {
                char c = t[p->i];
                if (c == ' ' || c == '\t') {
                        if (p->flags & NC_SHELL_ASSIGNMENT)
                                return unsupported(p, "unquoted whitespace");
                        if ((r = end_word(p)) < 0)
                                return r;
                        p->i++;
                } else if (c == '\n' || (c == '#' && !p->in_word)) {
                        *ret_ended = true;
                        break;
                } else if (c == '\\') {
                        if (t[p->i + 1] == '\0')
                                return unsupported(p, "a trailing backslash");
                        if (t[p->i + 1] != '\n' && (r = append(p, t + p->i + 1, 1)) < 0)
                                return r;
                        p->i += 2;
                } else if (c == '\'') {
                        const char *close = strchr(t + p->i + 1, '\'');
                        if (!close)
                                return unsupported(p, "an unterminated single quote");
                        if ((r = append(p, t + p->i + 1, (size_t) (close - (t + p->i + 1)))) < 0)
                                return r;
                        p->i = (size_t) (close - t) + 1;
                } else if (c == '"') {
                        if ((r = parse_double_quoted(p)) < 0)
                                return r;
                } else if (c == '$') {
                        const char *value;
                        if ((r = parse_dollar(p, &value)) < 0)
                                return r;
                        r = value ? append_unquoted_expansion(p, value) : append(p, "$", 1);
                        if (r < 0)
                                return r;
                } else if (strchr(";&|<>()`", c)) {
                        return unsupported(p, "an operator or backquote");
                } else if (c == '~' && !p->in_word) {
                        return unsupported(p, "a tilde expansion");
                } else if (c == '{' && strchr(t + p->i, '}')) {
                        return unsupported(p, "a brace expansion");
                } else {
                        if ((r = append(p, &c, 1)) < 0)
                                return r;
                        p->i++;
                }
        }
        return end_word(p);
}

int nc_shell_parse_words(const char *text, const nc_env *env, unsigned flags,
                         nc_strv *words, bool *ret_ended, nc_error *error) {
        parser p = { .text = text, .env = env, .flags = flags, .words = words, .error = error };
        size_t before = words->n;
        bool ended;
        int r = parse(&p, &ended);

        if (r >= 0 && (flags & NC_SHELL_ASSIGNMENT) && words->n - before > 1)
                r = unsupported(&p, "a word split");
        nc_strbuf_free(&p.word);
        if (r < 0) {
                while (words->n > before)
                        free(words->items[--words->n]);
                if (words->items)
                        words->items[words->n] = NULL; /* nc_strv's terminator */
                return r;
        }
        *ret_ended = ended;
        return 0;
}
