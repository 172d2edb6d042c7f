/*
** cu_cbor.c - the wire layer: the head writer, the head reader, skipping
** and the UTF-8 check (docs/FORMAT.md). No Lua, no allocation.
*/
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
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    size_t k;
    unsigned cp;
    if (c < 0x80) {
      i++;
      continue;
    }
    else if (c >= 0xC2 && c <= 0xDF) {
      k = 1;
      cp = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      cp = c & 0x0F;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      cp = c & 0x07;
    }
    else
      return 0;
    if (len - i <= k)
      return 0;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp > 0x10FFFF)
      return 0;
    i += k + 1;
  }
  return 1;
}
