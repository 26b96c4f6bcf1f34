/* nc_env: an ordered list of NAME=VALUE pairs with a hash index on the
 * names, so that loading a large env file stays linear.
 *
 * Setting an existing name replaces its value in place: the entry keeps the
 * position of its first assignment, as systemd's strv_env_replace_consume()
 * does. Every function that can fail leaves the env as it was. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "env-internal.h"
#include "nixcontainer.h"

#define NO_ENTRY SIZE_MAX
/* A unit's environment holds 9 to 13 entries (root, INSTANCE and the env
 * file's): room for them from the start, without growing on the way. */
#define ENTRIES_FIRST 16

/* A new entry's name and value share one allocation, "NAME\0VALUE\0"
 * (one malloc and one free an entry, not two); a value set later has one
 * of its own. */
typedef struct nc_env_entry {
        char *name;       /* the allocation the entry was made with */
        char *value;
        void *value_block; /* what free() takes for the value: NULL while it is in name's */
        size_t hash;      /* of the name, kept for lookups and growth */
} nc_env_entry;

struct nc_env {
        nc_env_entry *entries;
        size_t n, capacity;
        /* Open addressing, linear probing: slot holds entry index + 1, 0 is
         * empty. Its size is a power of two and at least twice n. */
        size_t *slots;
        size_t n_slots;
};

nc_env *nc_env_new(void) {
        return calloc(1, sizeof(nc_env));
}

void nc_env_free(nc_env *env) {
        if (!env)
                return;
        for (size_t i = 0; i < env->n; i++) {
                free(env->entries[i].name);
                free(env->entries[i].value_block);
        }
        free(env->entries);
        free(env->slots);
        free(env);
}

/* FNV-1a's multiply-and-xor, taken eight bytes at a time: names are
 * looked up dozens of times a container, and byte by byte the hash was
 * most of a lookup. The last word overlaps the one before it (or, for a
 * name of less than 8 bytes, is read byte by byte); the length is mixed
 * in, so that the overlap cannot make two names of different length
 * collide more often. Any collision costs a probe only: names are
 * compared in full. */
static size_t name_hash(const char *name, size_t len) {
        const uint64_t prime = 1099511628211ULL;
        size_t at = 0;
        uint64_t h = 14695981039346656037ULL ^ len, w = 0;

        if (len < 8) {
                for (; at < len; at++)
                        w = w << 8 | (unsigned char) name[at];
                h = (h ^ w) * prime;
        } else {
                for (; at + 8 < len; at += 8) {
                        memcpy(&w, name + at, 8);
                        h = (h ^ w) * prime;
                }
                memcpy(&w, name + len - 8, 8);
                h = (h ^ w) * prime;
        }
        return (size_t) (h ^ h >> 32);
}

/* Returns the slot holding the name of `len` bytes at `name`, or the
 * empty slot where it would go. */
static size_t find_slot(const nc_env *env, const char *name, size_t len, size_t hash) {
        size_t mask = env->n_slots - 1;

        for (size_t s = hash & mask;; s = (s + 1) & mask) {
                size_t e = env->slots[s];
                const char *other = e ? env->entries[e - 1].name : NULL;
                if (e == 0 || (env->entries[e - 1].hash == hash && strncmp(other, name, len) == 0 && other[len] == '\0'))
                        return s;
        }
}

/* The first empty slot for a name known not to be there. */
static size_t empty_slot(const nc_env *env, size_t hash) {
        size_t mask = env->n_slots - 1, s = hash & mask;

        while (env->slots[s])
                s = (s + 1) & mask;
        return s;
}

static size_t find_hashed(const nc_env *env, const char *name, size_t len, size_t hash) {
        size_t s;

        if (!env || env->n_slots == 0)
                return NO_ENTRY;
        s = find_slot(env, name, len, hash);
        return env->slots[s] ? env->slots[s] - 1 : NO_ENTRY;
}

static size_t find_entry(const nc_env *env, const char *name) {
        size_t len = strlen(name);
        return find_hashed(env, name, len, name_hash(name, len));
}

/* Makes room for `more` entries. Growing is not a visible change, so a
 * failure here leaves the env as it was. */
static int reserve(nc_env *env, size_t more) {
        if (NC_GROW(env->entries, env->capacity, env->n + more, ENTRIES_FIRST) < 0)
                return -ENOMEM;
        if ((env->n + more) * 2 > env->n_slots) {
                size_t n_slots = env->n_slots ? env->n_slots : 2 * ENTRIES_FIRST;
                size_t *old = env->slots, old_n_slots = env->n_slots;

                while ((env->n + more) * 2 > n_slots)
                        n_slots *= 2;
                env->slots = calloc(n_slots, sizeof *env->slots);
                if (!env->slots) {
                        env->slots = old;
                        return -ENOMEM;
                }
                env->n_slots = n_slots;
                for (size_t i = 0; i < old_n_slots; i++)
                        if (old[i])
                                env->slots[empty_slot(env, env->entries[old[i] - 1].hash)] = old[i];
                free(old);
        }
        return 0;
}

/* Appends an entry whose name is not in the env yet; room was reserved. */
static void append_reserved(nc_env *env, nc_env_entry entry) {
        env->entries[env->n] = entry;
        env->slots[empty_slot(env, entry.hash)] = ++env->n;
}

/* Gives entry `i` the value `value` (with `block`, what free() takes for
 * it), freeing the one it had. */
static void replace_value(nc_env *env, size_t i, char *value, void *block) {
        free(env->entries[i].value_block);
        env->entries[i].value = value;
        env->entries[i].value_block = block;
}

static bool name_is_storable(const char *name) {
        return name && name[0] && !strchr(name, '=');
}

/* nc_env_set_len() once the arguments are checked: a name of `name_len`
 * bytes (without NUL or '='), a value without NUL. */
static int set(nc_env *env, const char *name, size_t name_len, const char *value, size_t value_len) {
        size_t hash = name_hash(name, name_len), i = find_hashed(env, name, name_len, hash);
        char *block;

        if (i != NO_ENTRY) {
                if (!(block = nc_memdup_nul(value, value_len)))
                        return -ENOMEM;
                replace_value(env, i, block, block);
                return 0;
        }
        if (name_len > SIZE_MAX - 2 - value_len || reserve(env, 1) < 0 ||
            !(block = malloc(name_len + 1 + value_len + 1)))
                return -ENOMEM;
        memcpy(block, name, name_len);
        block[name_len] = '\0';
        memcpy(block + name_len + 1, value, value_len);
        block[name_len + 1 + value_len] = '\0';
        append_reserved(env, (nc_env_entry) { .name = block, .value = block + name_len + 1, .hash = hash });
        return 0;
}

int nc_env_set_len(nc_env *env, const char *name, const char *value, size_t value_len) {
        /* Values are C strings in the end: a NUL would cut them short. */
        if (!env || !name_is_storable(name) || !value || memchr(value, '\0', value_len))
                return -EINVAL;
        return set(env, name, strlen(name), value, value_len);
}

int nc_env_set_name_len(nc_env *env, const char *name, size_t name_len, const char *value, size_t value_len) {
        return set(env, name, name_len, value, value_len);
}

int nc_env_set(nc_env *env, const char *name, const char *value) {
        return nc_env_set_len(env, name, value, value ? strlen(value) : 0);
}

const char *nc_env_get(const nc_env *env, const char *name) {
        size_t i;

        if (!name)
                return NULL;
        i = find_entry(env, name);
        return i == NO_ENTRY ? NULL : env->entries[i].value;
}

size_t nc_env_count(const nc_env *env) {
        return env ? env->n : 0;
}

const char *nc_env_name_at(const nc_env *env, size_t i) {
        return env && i < env->n ? env->entries[i].name : NULL;
}

const char *nc_env_value_at(const nc_env *env, size_t i) {
        return env && i < env->n ? env->entries[i].value : NULL;
}

/* A copy of `from`, moved in: all or nothing, as nc_env_take_all() is. */
int nc_env_merge(nc_env *env, const nc_env *from) {
        _cleanup_(nc_env_freep) nc_env *copy = NULL;
        int r = 0;

        if (!env)
                return -EINVAL;
        if (!from || from->n == 0)
                return 0;
        if (!(copy = nc_env_new()))
                return -ENOMEM;
        for (size_t i = 0; r >= 0 && i < from->n; i++)
                r = nc_env_set(copy, from->entries[i].name, from->entries[i].value);
        return r < 0 ? r : nc_env_take_all(env, copy);
}

int nc_env_take_all(nc_env *env, nc_env *from) {
        int r;

        if (!env || !from)
                return -EINVAL;
        /* Room for all of them, whether new or not: then nothing can fail. */
        if ((r = reserve(env, from->n)) < 0)
                return r;
        for (size_t i = 0; i < from->n; i++) {
                nc_env_entry *e = &from->entries[i];
                size_t at = find_hashed(env, e->name, strlen(e->name), e->hash);
                if (at == NO_ENTRY)
                        append_reserved(env, *e);
                else if (e->value_block) {
                        replace_value(env, at, e->value, e->value_block);
                        free(e->name);
                } else /* the value is in e's name block, which now holds it */
                        replace_value(env, at, e->value, e->name);
        }
        from->n = 0;
        if (from->slots)
                memset(from->slots, 0, from->n_slots * sizeof *from->slots);
        return 0;
}

/* Entries without '=' or with an empty name cannot be NAME=VALUE pairs and
 * are skipped. The value is everything after the first '='. */
int nc_env_load_environ(nc_env *env, char *const *environ_list) {
        _cleanup_(nc_env_freep) nc_env *loaded = NULL;
        int r;

        if (!env)
                return -EINVAL;
        if (!environ_list)
                return 0;
        loaded = nc_env_new();
        if (!loaded)
                return -ENOMEM;
        for (char *const *e = environ_list; *e; e++) {
                const char *eq = strchr(*e, '=');
                _cleanup_free_ char *name = NULL;

                if (!eq || eq == *e)
                        continue;
                name = strndup(*e, (size_t) (eq - *e));
                r = name ? nc_env_set(loaded, name, eq + 1) : -ENOMEM;
                if (r < 0)
                        return r;
        }
        return nc_env_take_all(env, loaded);
}
