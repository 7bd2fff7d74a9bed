/* unicode.c - strict UTF-8 decoding and Python's repr() of str (3.X) and of byte strings (2.7). */
#include "unicode.h"

#include <string.h>

size_t utf8_decode(const char *s, size_t len, unsigned long *code_point)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp, least;
    size_t need, i;
    if (len == 0)
        return 0;
    if (u[0] < 0x80u) {
        *code_point = u[0];
        return 1;
    }
    if (u[0] < 0xc2u) /* a continuation byte, or C0/C1: always overlong */
        return 0;
    if (u[0] < 0xe0u) {
        need = 2, cp = u[0] & 0x1fu, least = 0x80;
    } else if (u[0] < 0xf0u) {
        need = 3, cp = u[0] & 0x0fu, least = 0x800;
    } else if (u[0] < 0xf5u) {
        need = 4, cp = u[0] & 0x07u, least = 0x10000;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (i = 1; i < need; i++) {
        if ((u[i] & 0xc0u) != 0x80u)
            return 0;
        cp = cp << 6 | (u[i] & 0x3fu);
    }
    if (cp < least || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *code_point = cp;
    return need;
}

/* Appends s[from..to): a text is never handed a pointer past an empty input's (maybe NULL). */
static void add_span(text *out, const char *s, size_t from, size_t to)
{
    if (to > from)
        text_addn(out, s + from, to - from);
}

/* Both versions: ' unless the text holds ' and no " (3.x unicode_repr, 2.7 PyString_Repr). */
static char choose_quote(const char *s, size_t len)
{
    if (len > 0 && memchr(s, '\'', len) != NULL && memchr(s, '"', len) == NULL)
        return '"';
    return '\'';
}

/* The escapes both versions share for ASCII; 0 when c is not one of them. */
static int add_ascii_escape(text *out, unsigned long c, char quote)
{
    if (c == (unsigned long)quote || c == '\\')
        text_addf(out, "\\%c", (char)c);
    else if (c == '\t')
        text_add(out, "\\t");
    else if (c == '\n')
        text_add(out, "\\n");
    else if (c == '\r')
        text_add(out, "\\r");
    else if (c < 0x20 || c == 0x7f)
        text_addf(out, "\\x%02lx", c);
    else
        return 0;
    return 1;
}

/* 3.3+ Objects/unicodeobject.c unicode_repr (3.14: Objects/stringlib/repr.h): after the
 * ASCII rules, a character that is not Py_UNICODE_ISPRINTABLE is \xNN up to 0xff,
 * \uNNNN up to 0xffff, else \UNNNNNNNN; a printable one is copied. */
void py3_repr_str(text *out, const char *utf8, size_t len, int minor)
{
    char quote = choose_quote(utf8, len);
    size_t i = 0, copied = 0; /* utf8[copied..i) is copied as it is, in one go */
    text_addn(out, &quote, 1);
    while (i < len) {
        unsigned long c = 0;
        size_t n = utf8_decode(utf8 + i, len - i, &c);
        int plain;
        if (n == 0) /* surrogateescape: an undecodable byte B is U+DC00+B, never printable */
            plain = 0, n = 1, c = 0xdc00u + (unsigned char)utf8[i];
        else if (c < 0x7f)
            plain = c >= 0x20 && c != (unsigned long)quote && c != '\\';
        else
            plain = unicode_isprintable(c, minor);
        if (plain) {
            i += n;
            continue;
        }
        add_span(out, utf8, copied, i);
        if (c < 0x7f)
            add_ascii_escape(out, c, quote);
        else if (c <= 0xff)
            text_addf(out, "\\x%02lx", c);
        else if (c <= 0xffff)
            text_addf(out, "\\u%04lx", c);
        else
            text_addf(out, "\\U%08lx", c);
        i += n;
        copied = i;
    }
    add_span(out, utf8, copied, i);
    text_addn(out, &quote, 1);
}

/* 2.7 Objects/stringobject.c PyString_Repr: every byte from 0x7f up is \xNN. */
void py2_repr_bytes(text *out, const char *bytes, size_t len)
{
    char quote = choose_quote(bytes, len);
    size_t i, copied = 0;
    text_addn(out, &quote, 1);
    for (i = 0; i < len; i++) {
        unsigned long c = (unsigned char)bytes[i];
        if (c >= 0x20 && c < 0x7f && c != (unsigned long)quote && c != '\\')
            continue;
        add_span(out, bytes, copied, i);
        if (!add_ascii_escape(out, c, quote))
            text_addf(out, "\\x%02lx", c);
        copied = i + 1;
    }
    add_span(out, bytes, copied, len);
    text_addn(out, &quote, 1);
}
