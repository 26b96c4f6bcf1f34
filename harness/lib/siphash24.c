/* SipHash-2-4, written from the paper's description: four 64-bit words of
 * state, two compression rounds per 8-byte little-endian message word, a
 * final word holding the length in its top byte, four finalisation rounds. */
#include <string.h>

#include "siphash24.h"

static uint64_t rotl(uint64_t x, unsigned b) {
        return (x << b) | (x >> (64 - b));
}

static uint64_t load_le64(const uint8_t *p) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
                v = (v << 8) | p[i];
        return v;
}

typedef struct sip_state {
        uint64_t v0, v1, v2, v3;
} sip_state;

static void sip_round(sip_state *s) {
        s->v0 += s->v1;
        s->v1 = rotl(s->v1, 13);
        s->v1 ^= s->v0;
        s->v0 = rotl(s->v0, 32);
        s->v2 += s->v3;
        s->v3 = rotl(s->v3, 16);
        s->v3 ^= s->v2;
        s->v0 += s->v3;
        s->v3 = rotl(s->v3, 21);
        s->v3 ^= s->v0;
        s->v2 += s->v1;
        s->v1 = rotl(s->v1, 17);
        s->v1 ^= s->v2;
        s->v2 = rotl(s->v2, 32);
}

static void sip_compress(sip_state *s, uint64_t m) {
        s->v3 ^= m;
        sip_round(s);
        sip_round(s);
        s->v0 ^= m;
}

uint64_t siphash24(const void *data, size_t len, const uint8_t key[16]) {
        const uint8_t *in = data;
        uint64_t k0 = load_le64(key), k1 = load_le64(key + 8), last;
        sip_state s = {
                .v0 = k0 ^ UINT64_C(0x736f6d6570736575), /* "somepseu" */
                .v1 = k1 ^ UINT64_C(0x646f72616e646f6d), /* "dorandom" */
                .v2 = k0 ^ UINT64_C(0x6c7967656e657261), /* "lygenera" */
                .v3 = k1 ^ UINT64_C(0x7465646279746573), /* "tedbytes" */
        };
        size_t full = len - len % 8;

        for (size_t i = 0; i < full; i += 8)
                sip_compress(&s, load_le64(in + i));
        last = (uint64_t) (len & 0xff) << 56;
        for (size_t i = 0; i < len % 8; i++)
                last |= (uint64_t) in[full + i] << (8 * i);
        sip_compress(&s, last);
        s.v2 ^= 0xff;
        for (int i = 0; i < 4; i++)
                sip_round(&s);
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

/* src/nspawn/nspawn-network.c: SHORTEN_IFNAME_HASH_KEY. */
static const uint8_t shorten_key[16] = {
        0xe1, 0x90, 0xa4, 0x04, 0xa8, 0xef, 0x4b, 0x51, 0x8c, 0xcc, 0xc3, 0x3a, 0x9f, 0x11, 0xfc, 0xa2,
};

static char urlsafe_base64(unsigned x) {
        static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return table[x & 63];
}

bool nspawn_shorten_ifname(const char *name, char ret_name[NETNS_IFNAMSIZ]) {
        size_t len = strlen(name);
        uint64_t h;

        if (len < NETNS_IFNAMSIZ) {
                memcpy(ret_name, name, len + 1);
                return false;
        }
        h = siphash24(name, len, shorten_key);
        memcpy(ret_name, name, NETNS_IFNAMSIZ - 5);
        ret_name[11] = urlsafe_base64((unsigned) (h >> 18));
        ret_name[12] = urlsafe_base64((unsigned) (h >> 12));
        ret_name[13] = urlsafe_base64((unsigned) (h >> 6));
        ret_name[14] = urlsafe_base64((unsigned) h);
        ret_name[15] = '\0';
        return true;
}
