/*
** cbortest.h - CBOR and vector helpers the C tests and the fuzz harnesses
** share: reading an item's head, skipping a well-formed item, and the hex
** lines of the shared vectors (native/test/vectors). Test code only; the
** shim has its own reader (cu_decode.c).
*/
#ifndef cbortest_h
#define cbortest_h

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>

/* The head of a CBOR item at *p: major type and argument; 0 if there is none. */
static inline int tc_head (const uint8_t **p, const uint8_t *end, unsigned *major, uint64_t *a) {
  const uint8_t *q = *p;
  unsigned ai;
  size_t n;
  if (q >= end || (*q & 31) > 27) return 0;
  *major = *q >> 5;
  ai = *q++ & 31;
  n = ai < 24 ? 0 : (size_t)1 << (ai - 24);
  if ((size_t)(end - q) < n) return 0;
  *a = ai < 24 ? ai : 0;
  while (n--) *a = (*a << 8) | *q++;
  *p = q;
  return 1;
}

/* The end of the well-formed CBOR item at p, or NULL when there is none. */
static inline const uint8_t *tc_skip (const uint8_t *p, const uint8_t *end, int depth) {
  unsigned major;
  uint64_t a;
  if (p == NULL || depth > 250 || !tc_head(&p, end, &major, &a)) return NULL;
  if (major == 2 || major == 3) return a > (uint64_t)(end - p) ? NULL : p + a;
  if (major == 6) return tc_skip(p, end, depth + 1);
  if (major == 4 || major == 5) {
    if (a > (uint64_t)(end - p)) return NULL;
    for (uint64_t i = 0, n = major == 4 ? a : 2 * a; i < n && p != NULL; i++)
      p = tc_skip(p, end, depth + 1);
  }
  return p;
}

/*
** The bytes of a vector line's hex digits (spaces skipped, '#' ends it),
** at most 'cap' of them stored; returns how many the line holds.
*/
static inline size_t tc_unhex (const char *line, uint8_t *out, size_t cap) {
  size_t n = 0;
  int hi = -1;
  for (const char *p = line; *p && *p != '#'; p++) {
    int v;
    if (isspace((unsigned char)*p)) continue;
    v = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
    if (hi < 0) hi = v;
    else {
      if (n < cap) out[n++] = (uint8_t)(hi * 16 + v);
      hi = -1;
    }
  }
  return n;
}

#endif
