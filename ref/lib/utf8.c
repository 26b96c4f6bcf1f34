#include <stdint.h>

#include "utf8.h"

/* Valid UTF-8 as systemd's utf8_is_valid() sees it: shortest form only, no
 * surrogates, nothing past U+10FFFF, and also none of the noncharacters
 * U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF (its unichar_is_valid()). */
bool nc_utf8_is_valid(const char *s, size_t n) {
        const unsigned char *p = (const unsigned char *) s, *end = p + n;

        while (p < end) {
                uint32_t c = *p, min;
                size_t len;

                if (c < 0x80) {
                        p++;
                        continue;
                }
                if ((c & 0xe0) == 0xc0)
                        len = 2, c &= 0x1f, min = 0x80;
                else if ((c & 0xf0) == 0xe0)
                        len = 3, c &= 0x0f, min = 0x800;
                else if ((c & 0xf8) == 0xf0)
                        len = 4, c &= 0x07, min = 0x10000;
                else
                        return false;
                if ((size_t) (end - p) < len)
                        return false;
                for (size_t i = 1; i < len; i++) {
                        if ((p[i] & 0xc0) != 0x80)
                                return false;
                        c = (c << 6) | (p[i] & 0x3f);
                }
                if (c < min || c >= 0x110000 || (c >= 0xd800 && c <= 0xdfff) ||
                    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
                        return false;
                p += len;
        }
        return true;
}

