/*
** cbortest.h - CBOR and vector helpers the C tests and the fuzz harnesses
** share: reading an item's head, skipping a well-formed item, and the hex
** lines of the shared vectors (native/test/vectors). Heads are read and
** written by the shim's wire layer (cu_cbor.c), which the tests link.
*/
#ifndef cbortest_h
#define cbortest_h

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>

#include "cu_cbor.h"  /* the shim's wire layer, linked into each test */

/* The head of a CBOR item at *p: major type and argument; 0 if there is none. */
static inline int tc_head (const uint8_t **p, const uint8_t *end, unsigned *major, uint64_t *a) {
  cu_Reader r;
  int m;
  r.p = *p;
  r.end = end;
  if (cu_cbor_gethead(&r, &m, a) != CU_CBOR_OK) return 0;
  *major = (unsigned)m;
  *p = r.p;
  return 1;
}

/* The end of the well-formed CBOR item at p, or NULL when there is none. */
static inline const uint8_t *tc_skip (const uint8_t *p, const uint8_t *end, int depth) {
  cu_Reader r;
  if (p == NULL) return NULL;
  r.p = p;
  r.end = end;
  return cu_cbor_skip(&r, CU_MAXDEPTH + 50 - depth) ? r.p : NULL;
}

/* Whether the item at p is tag 'tag'; then *p moves past the tag's head. */
static inline int tc_tag (const uint8_t **p, const uint8_t *end, uint64_t tag) {
  cu_Reader r;
  uint64_t t;
  r.p = *p;
  r.end = end;
  if (!cu_cbor_expect(&r, CU_CBOR_TAG, &t) || t != tag) return 0;
  *p = r.p;
  return 1;
}

/*
** The count of a commit's delta (an array whose head has an 8-byte count,
** written after its rows); 0 and *ok = 0 when d does not start with one.
*/
static inline uint64_t tc_deltacount (const uint8_t *d, size_t len, int *ok) {
  cu_Reader r;
  uint64_t n = 0;
  r.p = d;
  r.end = d + len;
  *ok = len >= CU_CBOR_HEADMAX && d[0] == CU_CBOR_IB(CU_CBOR_ARRAY, CU_CBOR_AI_8) &&
        cu_cbor_expect(&r, CU_CBOR_ARRAY, &n);
  return *ok ? n : 0;
}

/* Appends the head (major, v) at b + *n. */
static inline void tc_put (uint8_t *b, size_t *n, int major, uint64_t v) {
  *n += cu_cbor_head(b + *n, major, v);
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
