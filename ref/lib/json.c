/* The JSON parser (json.h); the compact printer is in json-dump.c. Values live in one
 * arena of a few large blocks; while an array or object is open, its items
 * wait on a scratch stack and move to the arena, contiguous, when it closes. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "json.h"

#define FIRST_BLOCK_MIN 4096
#define FIRST_BLOCK_MAX 65536
#define SCRATCH_MIN 64
/* Up to this many members, an object looks for a duplicate key by
 * comparing with each; beyond, through a hash index. */
#define LINEAR_KEYS 16
/* A real longer than this is copied to the heap for strtod(). */
#define SHORT_NUMBER 64

/* ---- the arena ----------------------------------------------------------- */

typedef struct block {
        struct block *next; /* the block filled before this one */
        size_t size;
        size_t used;
        max_align_t data[];
} block;

typedef struct arena {
        block *head;
        size_t first_size;
} arena;

static void arena_free(block *b) {
        while (b) {
                block *next = b->next;
                free(b);
                b = next;
        }
}

/* `align` is a power of two. */
static void *arena_alloc(arena *a, size_t size, size_t align) {
        block *b = a->head;
        size_t start, want;

        if (b) {
                start = (b->used + align - 1) & ~(align - 1);
                if (start <= b->size && size <= b->size - start) {
                        b->used = start + size;
                        return (char *) b->data + start;
                }
        }
        want = !b ? a->first_size : b->size <= SIZE_MAX / 2 ? b->size * 2 : size;
        if (want < size)
                want = size;
        if (want > SIZE_MAX - sizeof *b)
                return NULL;
        b = malloc(sizeof *b + want);
        if (!b)
                return NULL;
        b->next = a->head;
        b->size = want;
        b->used = size;
        a->head = b;
        return b->data;
}

struct nc_json_doc {
        block *blocks; /* the newest first; this struct is in the oldest */
        nc_json root;
};

const nc_json *nc_json_root(const nc_json_doc *doc) {
        return &doc->root;
}

void nc_json_free(nc_json_doc *doc) {
        if (doc)
                arena_free(doc->blocks);
}

/* ---- the parser ---------------------------------------------------------- */

typedef struct parser {
        const char *text;
        const char *p;
        const char *end;
        arena arena;
        nc_json *items; /* of the open arrays, the innermost last */
        size_t n_items;
        size_t items_capacity;
        nc_json_member *members; /* of the open objects, the innermost last */
        size_t n_members;
        size_t members_capacity;
        unsigned depth;
        nc_json_error *error;
        /* Skipping: a value the caller ignores is checked as JSON but not
         * kept (json.h, nc_json_parse_skipping()). `keys` holds the member
         * keys from the root down while every container on the way is an
         * object: `chain` of them. */
        nc_json_skip_fn skip;
        void *skip_userdata;
        const char *keys[NC_JSON_SKIP_DEPTH];
        unsigned chain;
        unsigned skipping; /* > 0: inside a skipped value */
        char *scratch;     /* decoding room for a skipped string with escapes */
        size_t scratch_capacity;
} parser;

/* The duplicate-key index of one open object with many members, by open
 * addressing: a slot holds the upper half of the key's hash and, in the
 * lower half, the member's number + 1 (0 is a free slot; a text of at most
 * NC_JSON_MAX_TEXT bytes has fewer members than that). */
typedef struct key_index {
        uint64_t *slots;
        size_t mask;
} key_index;

static int syntax_error(parser *p, const char *at, const char *format, ...) __attribute__((format(printf, 3, 4)));

static int syntax_error(parser *p, const char *at, const char *format, ...) {
        size_t line = 1, column = 1;
        va_list ap;

        if (!p->error)
                return -EINVAL;
        /* Counted only now: a document that parses never pays for it. */
        for (const char *s = p->text; s < at; s++) {
                if (*s == '\n') {
                        line++;
                        column = 1;
                } else if ((*s & 0xc0) != 0x80)
                        column++;
        }
        p->error->line = line;
        p->error->column = column;
        va_start(ap, format);
        vsnprintf(p->error->text, sizeof p->error->text, format, ap);
        va_end(ap);
        return -EINVAL;
}

static int unexpected(parser *p) {
        unsigned char c;

        if (p->p == p->end)
                return syntax_error(p, p->p, "unexpected end of input");
        c = (unsigned char) *p->p;
        if (c > 0x20 && c < 0x7f)
                return syntax_error(p, p->p, "unexpected '%c'", c);
        return syntax_error(p, p->p, "unexpected byte 0x%02x", c);
}

static void skip_space(parser *p) {
        while (p->p < p->end && (*p->p == ' ' || *p->p == '\n' || *p->p == '\r' || *p->p == '\t'))
                p->p++;
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* ---- strings ---- */

enum { PLAIN, QUOTE, BACKSLASH, CONTROL, MULTIBYTE };

static const unsigned char string_byte[256] = {
        [0x00 ... 0x1f] = CONTROL,
        ['"'] = QUOTE,
        ['\\'] = BACKSLASH,
        [0x80 ... 0xff] = MULTIBYTE,
};

/* Whether none of the 8 bytes in `w` ends a run of PLAIN bytes. As
 * booleans these are exact: a borrow only starts at a byte that is caught. */
static bool word_is_plain(uint64_t w) {
        const uint64_t ones = 0x0101010101010101u;
        uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');

        return (((quote - ones) | (backslash - ones) | (w - ones * 0x20) | w) & (ones * 0x80)) == 0;
}

/* The length of the UTF-8 sequence at `s` (RFC 3629: shortest form, no
 * surrogates, nothing past U+10FFFF), or 0 when there is none. */
static size_t utf8_sequence(const unsigned char *s, const unsigned char *end) {
        unsigned char lo = 0x80, hi = 0xbf;
        size_t n;

        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                n = 2;
        else if (s[0] >= 0xe0 && s[0] <= 0xef) {
                n = 3;
                if (s[0] == 0xe0)
                        lo = 0xa0; /* overlong */
                else if (s[0] == 0xed)
                        hi = 0x9f; /* U+D800..U+DFFF */
        } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
                n = 4;
                if (s[0] == 0xf0)
                        lo = 0x90; /* overlong */
                else if (s[0] == 0xf4)
                        hi = 0x8f; /* past U+10FFFF */
        } else
                return 0;
        if ((size_t) (end - s) < n || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < n; i++)
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
        return n;
}

static int hex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* The four hex digits after "\u" at `s`, or -1. */
static long hex4(const char *s, const char *end) {
        long v = 0;

        if (end - s < 6)
                return -1;
        for (int i = 2; i < 6; i++) {
                int d = hex_digit(s[i]);
                if (d < 0)
                        return -1;
                v = v * 16 + d;
        }
        return v;
}

/* The length of the escape at `s` (a backslash), or a syntax error. */
static int escape_length(parser *p, const char *s) {
        if (p->end - s < 2)
                return syntax_error(p, p->end, "unexpected end of input");
        switch (s[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                return 2;
        case 'u':
                if (hex4(s, p->end) < 0)
                        return syntax_error(p, s, "invalid \\u escape");
                return 6;
        default:
                return syntax_error(p, s, "invalid escape");
        }
}

static char *put_utf8(char *out, unsigned long c) {
        if (c < 0x80)
                *out++ = (char) c;
        else if (c < 0x800) {
                *out++ = (char) (0xc0 | c >> 6);
                *out++ = (char) (0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
                *out++ = (char) (0xe0 | c >> 12);
                *out++ = (char) (0x80 | ((c >> 6) & 0x3f));
                *out++ = (char) (0x80 | (c & 0x3f));
        } else {
                *out++ = (char) (0xf0 | c >> 18);
                *out++ = (char) (0x80 | ((c >> 12) & 0x3f));
                *out++ = (char) (0x80 | ((c >> 6) & 0x3f));
                *out++ = (char) (0x80 | (c & 0x3f));
        }
        return out;
}

/* Decodes the string body [s, end) into `out`: its escapes are well formed
 * (parse_string() checked them), but surrogates are checked only here. */
static int unescape(parser *p, const char *s, const char *end, char *out, size_t *ret_len, bool *ret_nul) {
        static const char simple[] = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
                                       ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t' };
        char *o = out;
        bool nul = false;

        while (s < end) {
                const char *run = s;
                unsigned long c;

                while (s < end && *s != '\\')
                        s++;
                memcpy(o, run, (size_t) (s - run));
                o += s - run;
                if (s == end)
                        break;
                if (s[1] != 'u') {
                        *o++ = simple[(unsigned char) s[1]];
                        s += 2;
                        continue;
                }
                c = (unsigned long) hex4(s, end);
                if (c >= 0xdc00 && c <= 0xdfff)
                        return syntax_error(p, s, "lone surrogate \\u%04lX", c);
                if (c >= 0xd800 && c <= 0xdbff) {
                        long low = end - s >= 12 && s[6] == '\\' && s[7] == 'u' ? hex4(s + 6, end) : -1;
                        if (low < 0xdc00 || low > 0xdfff)
                                return syntax_error(p, s, "lone surrogate \\u%04lX", c);
                        c = 0x10000 + ((c - 0xd800) << 10) + ((unsigned long) low - 0xdc00);
                        s += 6;
                }
                nul |= c == 0;
                o = put_utf8(o, c);
                s += 6;
        }
        *ret_len = (size_t) (o - out);
        *ret_nul = nul;
        return 0;
}

/* What a skipped string, array or object points at instead of its bytes,
 * items or members (nc_json_skipped()). */
static const nc_json skipped_mark;

bool nc_json_skipped(const nc_json *value) {
        return (value->type == NC_JSON_STRING && value->u.string == (const char *) &skipped_mark) ||
               (value->type == NC_JSON_ARRAY && value->u.items == &skipped_mark) ||
               (value->type == NC_JSON_OBJECT && value->u.members == (const nc_json_member *) &skipped_mark);
}

/* The string at p->p (a quote), its escapes decoded, NUL-terminated in the
 * arena. *ret_nul tells whether it holds a NUL. Inside a skipped value a
 * string (not a key: keys are checked for duplicates) is decoded into the
 * parser's scratch room instead, and *ret_string is the skipped mark. */
static int parse_string(parser *p, bool key, const char **ret_string, size_t *ret_len, bool *ret_nul) {
        const char *body = p->p + 1, *s = body;
        bool escaped = false, nul = false;
        size_t len;
        char *out;
        int r;

        /* First the extent, checking everything but surrogate pairs. */
        for (;;) {
                /* Eight plain bytes at a time, then one by one. */
                while (p->end - s >= 8) {
                        uint64_t w;

                        memcpy(&w, s, sizeof w);
                        if (!word_is_plain(w))
                                break;
                        s += 8;
                }
                while (s < p->end && string_byte[(unsigned char) *s] == PLAIN)
                        s++;
                if (s == p->end)
                        return syntax_error(p, s, "unexpected end of input in a string");
                switch (string_byte[(unsigned char) *s]) {
                case QUOTE:
                        goto closed;
                case BACKSLASH:
                        r = escape_length(p, s);
                        if (r < 0)
                                return r;
                        escaped = true;
                        s += r;
                        break;
                case CONTROL:
                        return syntax_error(p, s, "control character 0x%02x in a string", (unsigned char) *s);
                default:
                        len = utf8_sequence((const unsigned char *) s, (const unsigned char *) p->end);
                        if (len == 0)
                                return syntax_error(p, s, "invalid UTF-8 in a string");
                        s += len;
                }
        }
closed:
        len = (size_t) (s - body);
        if (p->skipping && !key) {
                if (NC_GROW(p->scratch, p->scratch_capacity, len + 1, SCRATCH_MIN) < 0)
                        return -ENOMEM;
                out = p->scratch;
        } else
                out = arena_alloc(&p->arena, len + 1, 1);
        if (!out)
                return -ENOMEM;
        if (escaped) {
                /* Decoding only shortens: "\u00e9" is 2 bytes, a pair 4. */
                r = unescape(p, body, s, out, &len, &nul);
                if (r < 0)
                        return r;
        } else
                memcpy(out, body, len);
        out[len] = '\0';
        p->p = s + 1;
        *ret_string = out == p->scratch ? (const char *) &skipped_mark : out;
        *ret_len = len;
        *ret_nul = nul;
        return 0;
}

/* ---- numbers ---- */

static int parse_real(parser *p, const char *start, size_t len, nc_json *ret) {
        char short_copy[SHORT_NUMBER], *copy = short_copy, *dot;
        char point = localeconv()->decimal_point[0];
        double v;

        if (len >= sizeof short_copy) {
                copy = malloc(len + 1);
                if (!copy)
                        return -ENOMEM;
        }
        memcpy(copy, start, len);
        copy[len] = '\0';
        /* strtod() reads the locale's decimal point. */
        dot = memchr(copy, '.', len);
        if (dot && point && point != '.')
                *dot = point;
        v = strtod(copy, NULL);
        if (copy != short_copy)
                free(copy);
        /* As jansson: an overflow is refused, an underflow becomes 0. */
        if (isinf(v))
                return syntax_error(p, start, "real number overflow");
        ret->type = NC_JSON_REAL;
        ret->u.real = v;
        return 0;
}

static int parse_number(parser *p, nc_json *ret) {
        const char *start = p->p, *s = start, *end = p->end;
        unsigned long long magnitude = 0, limit;
        bool negative = false, integral = true, overflow = false;

        if (*s == '-') {
                negative = true;
                s++;
        }
        if (s == end || !is_digit(*s))
                return syntax_error(p, start, "invalid number");
        if (*s == '0') {
                if (++s < end && is_digit(*s))
                        return syntax_error(p, start, "invalid number (a leading zero)");
        } else {
                for (; s < end && is_digit(*s); s++) {
                        unsigned d = (unsigned) (*s - '0');
                        if (magnitude > (ULLONG_MAX - d) / 10)
                                overflow = true;
                        else
                                magnitude = magnitude * 10 + d;
                }
        }
        if (s < end && *s == '.') {
                integral = false;
                if (++s == end || !is_digit(*s))
                        return syntax_error(p, start, "invalid number");
                while (s < end && is_digit(*s))
                        s++;
        }
        if (s < end && (*s == 'e' || *s == 'E')) {
                integral = false;
                if (++s < end && (*s == '+' || *s == '-'))
                        s++;
                if (s == end || !is_digit(*s))
                        return syntax_error(p, start, "invalid number");
                while (s < end && is_digit(*s))
                        s++;
        }
        p->p = s;
        if (!integral)
                return parse_real(p, start, (size_t) (s - start), ret);
        limit = negative ? (unsigned long long) LLONG_MAX + 1 : (unsigned long long) LLONG_MAX;
        if (overflow || magnitude > limit)
                return syntax_error(p, start, negative ? "too big negative integer" : "too big integer");
        ret->type = NC_JSON_INTEGER;
        ret->u.integer = !negative ? (long long) magnitude
                         : magnitude == limit ? LLONG_MIN : -(long long) magnitude;
        return 0;
}

/* ---- arrays and objects ---- */

static int parse_value(parser *p, nc_json *ret);

/* Moves the items (or members) of the array (or object) that closes, from
 * `base` on, from the scratch stack to the arena, contiguous. */
static int close_container(parser *p, nc_json_type type, size_t base, nc_json *ret) {
        bool object = type == NC_JSON_OBJECT;
        size_t *n_open = object ? &p->n_members : &p->n_items;
        size_t size = object ? sizeof *p->members : sizeof *p->items;
        size_t n = *n_open - base;
        void *copy = NULL;

        /* (The scratch stacks are NULL until a first item: no pointer
         * arithmetic on them for an empty array or object.) A skipped
         * value keeps nothing: its type, no items. */
        if (p->skipping)
                n = 0;
        if (n) {
                const void *from = object ? (const void *) (p->members + base) : (const void *) (p->items + base);

                copy = arena_alloc(&p->arena, n * size, object ? _Alignof(nc_json_member) : _Alignof(nc_json));
                if (!copy)
                        return -ENOMEM;
                memcpy(copy, from, n * size);
        }
        *n_open = base;
        ret->type = type;
        ret->n = (uint32_t) n;
        if (p->skipping)
                copy = (void *) &skipped_mark;
        if (object)
                ret->u.members = copy;
        else
                ret->u.items = copy;
        return 0;
}

/* Past the '[' or '{' that opens a container: true (and past `close`)
 * when it closes at once. */
static bool closes_empty(parser *p, char close) {
        p->p++;
        skip_space(p);
        if (p->p < p->end && *p->p == close) {
                p->p++;
                return true;
        }
        return false;
}

/* After an item or member: 1 (and past `close`) when the container ends,
 * 0 (and past the ',') when another follows, or a syntax error. */
static int after_item(parser *p, char close, const char *expected) {
        skip_space(p);
        if (p->p == p->end)
                return unexpected(p);
        if (*p->p == close) {
                p->p++;
                return 1;
        }
        if (*p->p != ',')
                return syntax_error(p, p->p, "%s", expected);
        p->p++;
        return 0;
}

static int parse_array(parser *p, nc_json *ret) {
        size_t base = p->n_items;
        unsigned chain = p->chain;
        nc_json item;
        int r;

        if (closes_empty(p, ']'))
                return close_container(p, NC_JSON_ARRAY, base, ret);
        p->chain = 0; /* below an array, no key path from the root */
        do {
                if ((r = parse_value(p, &item)) < 0)
                        return r;
                /* A skipped array's items are checked, one at a time, and dropped. */
                if (p->skipping)
                        continue;
                if (NC_GROW(p->items, p->items_capacity, p->n_items + 1, SCRATCH_MIN) < 0)
                        return -ENOMEM;
                p->items[p->n_items++] = item;
        } while ((r = after_item(p, ']', "',' or ']' expected")) == 0);
        p->chain = chain;
        return r < 0 ? r : close_container(p, NC_JSON_ARRAY, base, ret);
}

static uint64_t hash_key(const char *key, size_t len) {
        uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char) key[i]) * 0x100000001b3u;
        return h;
}

/* Keys hold no NUL, so strcmp() compares them whole; most keys of an
 * object differ in their first byte already. */
static bool same_key(const nc_json_member *m, const char *key) {
        return m->key[0] == key[0] && strcmp(m->key, key) == 0;
}

/* Puts member `i`, whose key is `len` bytes, into an index with room for
 * it; false when a member already there has its key. */
static bool index_put(key_index *x, const nc_json_member *members, size_t i, size_t len) {
        uint64_t hash = hash_key(members[i].key, len), upper = hash & ~(uint64_t) UINT32_MAX;

        for (size_t slot = (size_t) hash & x->mask;; slot = (slot + 1) & x->mask) {
                uint64_t taken = x->slots[slot];

                if (!taken) {
                        x->slots[slot] = upper | (i + 1);
                        return true;
                }
                if ((taken & ~(uint64_t) UINT32_MAX) == upper &&
                    same_key(&members[(taken & UINT32_MAX) - 1], members[i].key))
                        return false;
        }
}

/* A new index holding members [0, n), with room for as many again. */
static int index_rebuild(key_index *x, const nc_json_member *members, size_t n) {
        size_t capacity = 64;
        uint64_t *slots;

        while (capacity < 4 * n)
                capacity *= 2;
        slots = calloc(capacity, sizeof *slots);
        if (!slots)
                return -ENOMEM;
        free(x->slots);
        x->slots = slots;
        x->mask = capacity - 1;
        for (size_t i = 0; i < n; i++)
                index_put(x, members, i, strlen(members[i].key));
        return 0;
}

/* 1 when member `i` of an open object (its key `len` bytes) repeats the key
 * of one before it, 0 when not, or -ENOMEM. Small objects compare; big
 * ones hash. */
static int is_duplicate(key_index *x, const nc_json_member *members, size_t i, size_t len) {
        int r;

        if (i < LINEAR_KEYS) {
                for (size_t j = 0; j < i; j++)
                        if (same_key(&members[j], members[i].key))
                                return 1;
                return 0;
        }
        if (!x->slots || 2 * (i + 1) > x->mask + 1) {
                r = index_rebuild(x, members, i);
                if (r < 0)
                        return r;
        }
        return index_put(x, members, i, len) ? 0 : 1;
}

/* One "key": value; the value is parsed after the member is on the stack. */
static int parse_member(parser *p, size_t base, key_index *index) {
        const char *key_at = p->p;
        nc_json_member *m;
        nc_json value;
        size_t i, len;
        bool nul;
        int r;

        if (NC_GROW(p->members, p->members_capacity, p->n_members + 1, SCRATCH_MIN) < 0)
                return -ENOMEM;
        m = &p->members[p->n_members];
        r = parse_string(p, true, &m->key, &len, &nul);
        if (r < 0)
                return r;
        if (nul)
                return syntax_error(p, key_at, "NUL byte in object key not supported");
        m->value.type = NC_JSON_NULL;
        i = p->n_members++ - base;
        r = is_duplicate(index, p->members + base, i, len);
        if (r != 0)
                return r < 0 ? r : syntax_error(p, key_at, "duplicate object key");
        skip_space(p);
        if (p->p == p->end)
                return unexpected(p);
        if (*p->p != ':')
                return syntax_error(p, p->p, "':' expected");
        p->p++;
        /* The key path, while it is one (an object in objects from the root). */
        bool on_chain = p->chain == p->depth && p->depth <= NC_JSON_SKIP_DEPTH;
        bool skip = false;
        if (on_chain) {
                p->keys[p->depth - 1] = p->members[base + i].key;
                skip = !p->skipping && p->skip && p->skip(p->keys, p->depth, p->skip_userdata);
        }
        p->skipping += skip;
        r = parse_value(p, &value);
        p->skipping -= skip;
        if (r < 0)
                return r;
        /* Not through `m`: the stack may have moved meanwhile. */
        p->members[base + i].value = value;
        return 0;
}

static void key_index_done(key_index *x) {
        free(x->slots);
}

static int parse_object(parser *p, nc_json *ret) {
        _cleanup_(key_index_done) key_index index = { NULL, 0 };
        size_t base = p->n_members;
        unsigned chain = p->chain;
        bool first = true;
        int r;

        if (closes_empty(p, '}'))
                return close_container(p, NC_JSON_OBJECT, base, ret);
        /* The key path goes on through an object whose parents are objects. */
        p->chain = chain == p->depth - 1 ? p->depth : 0;
        do {
                skip_space(p);
                if (p->p == p->end)
                        return unexpected(p);
                if (*p->p != '"')
                        return syntax_error(p, p->p, first ? "string or '}' expected" : "string expected");
                if ((r = parse_member(p, base, &index)) < 0)
                        return r;
                first = false;
        } while ((r = after_item(p, '}', "',' or '}' expected")) == 0);
        p->chain = chain;
        return r < 0 ? r : close_container(p, NC_JSON_OBJECT, base, ret);
}

static int parse_literal(parser *p, const char *word, size_t len) {
        if ((size_t) (p->end - p->p) < len || memcmp(p->p, word, len) != 0)
                return syntax_error(p, p->p, "invalid literal");
        p->p += len;
        return 0;
}

static int parse_value(parser *p, nc_json *ret) {
        size_t len;
        bool nul;
        int r;

        skip_space(p);
        if (p->p == p->end)
                return unexpected(p);
        if (p->depth == NC_JSON_MAX_DEPTH)
                return syntax_error(p, p->p, "maximum parsing depth reached");
        p->depth++;
        ret->n = 0;
        switch (*p->p) {
        case '{':
                r = parse_object(p, ret);
                break;
        case '[':
                r = parse_array(p, ret);
                break;
        case '"':
                ret->type = NC_JSON_STRING;
                r = parse_string(p, false, &ret->u.string, &len, &nul);
                ret->n = p->skipping ? 0 : (uint32_t) len;
                break;
        case 't':
        case 'f':
                ret->type = NC_JSON_BOOL;
                ret->u.boolean = *p->p == 't';
                r = ret->u.boolean ? parse_literal(p, "true", 4) : parse_literal(p, "false", 5);
                break;
        case 'n':
                ret->type = NC_JSON_NULL;
                r = parse_literal(p, "null", 4);
                break;
        case '-':
        case '0' ... '9':
                r = parse_number(p, ret);
                break;
        default:
                r = unexpected(p);
        }
        p->depth--;
        return r;
}

/* What a parse owns: the scratch stacks, and the arena until the
 * document takes it. */
static void parser_done(parser *p) {
        free(p->items);
        free(p->members);
        free(p->scratch);
        arena_free(p->arena.head);
}

int nc_json_parse(const char *text, size_t len, nc_json_doc **ret_doc, nc_json_error *error) {
        return nc_json_parse_skipping(text, len, NULL, NULL, ret_doc, error);
}

int nc_json_parse_skipping(const char *text, size_t len, nc_json_skip_fn skip, void *userdata, nc_json_doc **ret_doc,
                           nc_json_error *error) {
        _cleanup_(parser_done) parser p = {
                .text = text ? text : "", .error = error, .skip = skip, .skip_userdata = userdata,
        };
        nc_json_doc *doc;
        int r;

        if (len > NC_JSON_MAX_TEXT)
                return -EFBIG;
        p.p = p.text;
        p.end = p.text + (text ? len : 0);
        /* The values take about twice the room of their text; blocks double
         * from there, but start small enough for malloc() to reuse the
         * memory of the last document rather than map fresh pages. */
        p.arena.first_size = len < FIRST_BLOCK_MIN ? FIRST_BLOCK_MIN : len > FIRST_BLOCK_MAX ? FIRST_BLOCK_MAX : len;
        doc = arena_alloc(&p.arena, sizeof *doc, _Alignof(nc_json_doc));
        if (!doc)
                return -ENOMEM;
        r = parse_value(&p, &doc->root);
        if (r >= 0) {
                skip_space(&p);
                if (p.p != p.end)
                        r = syntax_error(&p, p.p, "end of input expected");
        }
        if (r < 0)
                return r;
        doc->blocks = TAKE_PTR(p.arena.head);
        *ret_doc = doc;
        return 0;
}

const nc_json *nc_json_object_get(const nc_json *object, const char *key) {
        if (object->type != NC_JSON_OBJECT)
                return NULL;
        for (size_t i = 0; i < object->n; i++)
                if (same_key(&object->u.members[i], key))
                        return &object->u.members[i].value;
        return NULL;
}
