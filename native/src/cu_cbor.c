/*
** cu_cbor.c - the wire layer: the head writer, the head reader, skipping
** and the UTF-8 check (docs/FORMAT.md). No Lua, no allocation.
*/
#include <string.h>

#include "cu_cbor.h"


size_t cu_cbor_head (unsigned char *p, int major, uint64_t v) {
  unsigned char m = (unsigned char)(major << 5);
  int n;
  if (v < CU_CBOR_AI_1) {
    p[0] = m | (unsigned char)v;
    return 1;
  }
  if (v <= 0xFF) {
    p[0] = m | CU_CBOR_AI_1;
    n = 1;
  }
  else if (v <= 0xFFFF) {
    p[0] = m | CU_CBOR_AI_2;
    n = 2;
  }
  else if (v <= 0xFFFFFFFFu) {
    p[0] = m | CU_CBOR_AI_4;
    n = 4;
  }
  else {
    p[0] = m | CU_CBOR_AI_8;
    n = 8;
  }
  for (int i = 0; i < n; i++) p[1 + i] = (unsigned char)(v >> (8 * (n - 1 - i)));
  return (size_t)n + 1;
}


void cu_cbor_head8 (unsigned char *p, int major, uint64_t v) {
  p[0] = CU_CBOR_IB(major, CU_CBOR_AI_8);
  for (int i = 0; i < 8; i++) p[1 + i] = (unsigned char)(v >> (56 - 8 * i));
}


int cu_cbor_expect (cu_Reader *r, int major, uint64_t *v) {
  cu_Reader t = *r;
  int m;
  if (cu_cbor_gethead(&t, &m, v) != CU_CBOR_OK || m != major)
    return 0;
  *r = t;
  return 1;
}


static int skip (cu_Reader *r, int depth) {
  int major;
  uint64_t a, n;
  if (depth < 0 || cu_cbor_gethead(r, &major, &a) != CU_CBOR_OK)
    return 0;
  switch (major) {
    case CU_CBOR_BYTES:
    case CU_CBOR_TEXT:
      if (a > (uint64_t)(r->end - r->p))
        return 0;
      r->p += a;
      return 1;
    case CU_CBOR_TAG: return skip(r, depth - 1);
    case CU_CBOR_ARRAY:
    case CU_CBOR_MAP:
      if (a > (uint64_t)(r->end - r->p)) /* each item takes a byte at least */
        return 0;
      n = (major == CU_CBOR_ARRAY) ? a : 2 * a;
      for (uint64_t i = 0; i < n; i++)
        if (!skip(r, depth - 1))
          return 0;
      return 1;
    default: return 1;
  }
}

int cu_cbor_skip (cu_Reader *r, int maxdepth) {
  cu_Reader t = *r;
  if (!skip(&t, maxdepth))
    return 0;
  *r = t;
  return 1;
}


int cu_cbor_utf8 (const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str, *end = s + len;
  while (end - s >= 8) { /* ASCII eight bytes at a time: no byte with its top bit set */
    uint64_t w;
    memcpy(&w, s, 8);
    if (w & UINT64_C(0x8080808080808080))
      break;
    s += 8;
  }
  while (s < end) {
    size_t n = *s < CU_UTF8_ASCII_END ? 1 : cu_cbor_utf8len(s, (size_t)(end - s));
    if (n == 0)
      return 0;
    s += n;
  }
  return 1;
}


size_t cu_cbor_utf8len (const unsigned char *p, size_t avail) {
  unsigned c = p[0];
  unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
  size_t n, i;
  if (c < 0x80)
    return 1;
  if (c < 0xC2)
    return 0; /* continuation byte, or overlong 2-byte form */
  if (c < 0xE0)
    n = 2;
  else if (c < 0xF0) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    else if (c == 0xED)
      hi = 0x9F; /* surrogates */
  }
  else if (c < 0xF5) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90; /* overlong */
    else if (c == 0xF4)
      hi = 0x8F; /* beyond U+10FFFF */
  }
  else
    return 0;
  if (avail < n || p[1] < lo || p[1] > hi)
    return 0;
  for (i = 2; i < n; i++)
    if (!cu_cbor_utf8cont(p[i]))
      return 0;
  return n;
}


size_t cu_cbor_utf8put (char u[4], unsigned cp) {
  if (cp < 0x80) {
    u[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  u[0] = (char)(0xF0 | (cp >> 18));
  u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  u[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}
