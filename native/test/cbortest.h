/*
** cbortest.h - CBOR and vector helpers the C tests and the fuzz harnesses
** share: reading an item's head, skipping a well-formed item, and the hex
** lines of the shared vectors (native/test/vectors). Heads are read and
** written by the shim's wire layer (cu_cbor.c), which the tests link.
*/
#ifndef cbortest_h
#define cbortest_h

#include <ctype.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cu_cbor.h" /* the shim's wire layer, linked into each test */

/* The head of a CBOR item at *p: major type and argument; 0 if there is none. */
static inline int tc_head (const uint8_t **p, const uint8_t *end, unsigned *major, uint64_t *a) {
  cu_Reader r;
  int m;
  r.p = *p;
  r.end = end;
  if (cu_cbor_gethead(&r, &m, a) != CU_CBOR_OK)
    return 0;
  *major = (unsigned)m;
  *p = r.p;
  return 1;
}

/* The end of the well-formed CBOR item at p, or NULL when there is none. */
static inline const uint8_t *tc_skip (const uint8_t *p, const uint8_t *end, int depth) {
  cu_Reader r;
  if (p == NULL)
    return NULL;
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
  if (!cu_cbor_expect(&r, CU_CBOR_TAG, &t) || t != tag)
    return 0;
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
    if (isspace((unsigned char)*p))
      continue;
    v = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
    if (hi < 0)
      hi = v;
    else {
      if (n < cap)
        out[n++] = (uint8_t)(hi * 16 + v);
      hi = -1;
    }
  }
  return n;
}

/*
** Expected bytes in RFC 8949 diagnostic notation, encoded with the wire
** layer: 1, -25, 1.5, "text", h'ff', [1, 2], {"x": 1}, true, false, null,
** and tags by name or number: SHAREABLE([]), SHAREDREF(0), EXTREF(3),
** 28({}). An encoding indicator after a float picks its width (1.0_1
** half, 1.5_2 single, default double, as cu writes floats); '[_3' writes
** an array's count in 8 bytes, as a commit's delta does. Returns the
** length, or 0 when the text is not understood (or exceeds cap).
*/
typedef struct tc_Diag {
  const char *s;
  uint8_t *out;
  size_t n, cap;
  int ok;
} tc_Diag;

static inline void tc_dput (tc_Diag *d, const void *p, size_t n) {
  if (d->n + n > d->cap) {
    d->ok = 0;
    return;
  }
  memcpy(d->out + d->n, p, n);
  d->n += n;
}

static inline void tc_dhead (tc_Diag *d, int major, uint64_t v) {
  uint8_t b[CU_CBOR_HEADMAX];
  tc_dput(d, b, cu_cbor_head(b, major, v));
}

static inline void tc_dspace (tc_Diag *d) {
  while (*d->s == ' ' || *d->s == ',' || *d->s == '\n') d->s++;
}

/* A normal number that a half-precision float holds exactly, as one. */
static inline uint16_t tc_half (double x) {
  uint16_t sign = x < 0 ? 0x8000 : 0;
  int e = 0;
  if (x < 0)
    x = -x;
  if (x == 0)
    return sign;
  while (x >= 2) {
    x /= 2;
    e++;
  }
  while (x < 1) {
    x *= 2;
    e--;
  }
  return (uint16_t)(sign | (uint16_t)((e + 15) << 10) | (uint16_t)((x - 1) * 1024));
}

static inline void tc_ditem (tc_Diag *d, int depth);

/* Items up to 'close' into body; returns their count. */
static inline size_t tc_dlist (tc_Diag *body, char close, int pairs, int depth) {
  size_t n = 0;
  for (tc_dspace(body); body->ok && *body->s && *body->s != close; tc_dspace(body)) {
    tc_ditem(body, depth + 1);
    if (pairs) {
      tc_dspace(body);
      if (*body->s++ != ':')
        body->ok = 0;
      tc_dspace(body);
      tc_ditem(body, depth + 1);
    }
    n++;
  }
  if (*body->s != close)
    body->ok = 0;
  else
    body->s++;
  return n;
}

static inline void tc_dcontainer (tc_Diag *d, int major, char close, int depth) {
  uint8_t tmp[1024];
  tc_Diag body;
  int wide = 0;
  size_t n;
  if (d->s[0] == '_' && d->s[1] == '3') {
    wide = 1;
    d->s += 2;
  }
  body.s = d->s;
  body.out = tmp;
  body.n = 0;
  body.cap = sizeof tmp;
  body.ok = 1;
  n = tc_dlist(&body, close, major == CU_CBOR_MAP, depth);
  if (wide) {
    uint8_t b[CU_CBOR_HEADMAX];
    cu_cbor_head8(b, major, n);
    tc_dput(d, b, sizeof b);
  }
  else
    tc_dhead(d, major, n);
  tc_dput(d, tmp, body.n);
  d->s = body.s;
  if (!body.ok)
    d->ok = 0;
}

static inline void tc_ditem (tc_Diag *d, int depth) {
  static const struct {
    const char *name;
    uint64_t tag;
  } tags[] = {
    {"SHAREABLE", CU_TAG_SHAREABLE},
    {"SHAREDREF", CU_TAG_SHAREDREF},
    {"OPAQUE",    CU_TAG_OPAQUE   },
    {"EXTREF",    CU_TAG_EXTREF   },
    {"FUNCREF",   CU_TAG_FUNCREF  },
    {"FUNCTION",  CU_TAG_FUNCTION },
    {"ENV",       CU_TAG_ENV      },
    {"BOX",       CU_TAG_BOX      },
    {"PERMANENT", CU_TAG_PERMANENT},
    {"META",      CU_TAG_META     },
    {"HANDLE",    CU_TAG_HANDLE   },
    {"OBJECT",    CU_TAG_OBJECT   },
    {"ARRAY",     CU_TAG_ARRAY    },
    {"NULL",      CU_TAG_NULL     },
    {NULL,        0               }
  };
  const char *s = d->s;
  if (depth > CU_MAXDEPTH) {
    d->ok = 0;
    return;
  }
  if (*s == '[') {
    d->s++;
    tc_dcontainer(d, CU_CBOR_ARRAY, ']', depth);
    return;
  }
  if (*s == '{') {
    d->s++;
    tc_dcontainer(d, CU_CBOR_MAP, '}', depth);
    return;
  }
  if (*s == '"') {
    const char *e = ++s;
    while (*e && *e != '"') e++;
    tc_dhead(d, CU_CBOR_TEXT, (uint64_t)(e - s));
    tc_dput(d, s, (size_t)(e - s));
    d->s = *e ? e + 1 : e;
    if (!*e)
      d->ok = 0;
    return;
  }
  if (s[0] == 'h' && s[1] == '\'') {
    uint8_t b[256];
    const char *e = s + 2;
    size_t n;
    while (*e && *e != '\'') e++;
    {
      char hex[520];
      size_t len = (size_t)(e - s - 2) < sizeof hex - 1 ? (size_t)(e - s - 2) : sizeof hex - 1;
      memcpy(hex, s + 2, len);
      hex[len] = '\0';
      n = tc_unhex(hex, b, sizeof b);
    }
    tc_dhead(d, CU_CBOR_BYTES, n);
    tc_dput(d, b, n);
    d->s = *e ? e + 1 : e;
    return;
  }
  if (strncmp(s, "true", 4) == 0) {
    uint8_t c = CU_CBOR_TRUE;
    tc_dput(d, &c, 1);
    d->s += 4;
    return;
  }
  if (strncmp(s, "false", 5) == 0) {
    uint8_t c = CU_CBOR_FALSE;
    tc_dput(d, &c, 1);
    d->s += 5;
    return;
  }
  if (strncmp(s, "null", 4) == 0) {
    uint8_t c = CU_CBOR_NULL;
    tc_dput(d, &c, 1);
    d->s += 4;
    return;
  }
  if (isupper((unsigned char)*s) && strncmp(s, "Infinity", 8) != 0) {
    for (int i = 0; tags[i].name != NULL; i++) {
      size_t len = strlen(tags[i].name);
      if (strncmp(s, tags[i].name, len) == 0 && s[len] == '(') {
        tc_dhead(d, CU_CBOR_TAG, tags[i].tag);
        d->s = s + len + 1;
        tc_dspace(d);
        tc_ditem(d, depth + 1);
        tc_dspace(d);
        if (*d->s++ != ')')
          d->ok = 0;
        return;
      }
    }
    d->ok = 0;
    return;
  }
  if (*s == '-' || isdigit((unsigned char)*s) || strncmp(s, "Infinity", 8) == 0) {
    char *e;
    int isfloat = 0;
    for (const char *q = s; *q && *q != ',' && *q != ' ' && *q != ']' && *q != '}' && *q != ')' &&
                            *q != ':' && *q != '_';
         q++)
      if (*q == '.' || *q == 'e' || *q == 'I')
        isfloat = 1;
    if (isfloat) {
      double x = strtod(s, &e);
      uint8_t b[CU_CBOR_HEADMAX];
      int w = 3;
      if (e[0] == '_' && e[1] >= '1' && e[1] <= '3') {
        w = e[1] - '0';
        e += 2;
      }
      if (w == 1) {
        uint16_t h = tc_half(x);
        b[0] = CU_CBOR_FLOAT16;
        b[1] = (uint8_t)(h >> 8);
        b[2] = (uint8_t)h;
        tc_dput(d, b, 3);
      }
      else if (w == 2) {
        float f = (float)x;
        uint32_t u;
        memcpy(&u, &f, 4);
        b[0] = CU_CBOR_FLOAT32;
        for (int i = 0; i < 4; i++) b[1 + i] = (uint8_t)(u >> (24 - 8 * i));
        tc_dput(d, b, 5);
      }
      else {
        uint64_t u;
        memcpy(&u, &x, 8);
        cu_cbor_head8(b, CU_CBOR_SIMPLE, u);
        tc_dput(d, b, sizeof b);
      }
    }
    else if (*s == '-') {
      uint64_t v = strtoull(s + 1, &e, 10); /* -1 - n */
      tc_dhead(d, CU_CBOR_NEGINT, v - 1);
    }
    else {
      uint64_t v = strtoull(s, &e, 10);
      if (*e == '(') { /* a tag by number */
        tc_dhead(d, CU_CBOR_TAG, v);
        d->s = e + 1;
        tc_dspace(d);
        tc_ditem(d, depth + 1);
        tc_dspace(d);
        if (*d->s++ != ')')
          d->ok = 0;
        return;
      }
      tc_dhead(d, CU_CBOR_UINT, v);
    }
    d->s = e;
    return;
  }
  d->ok = 0;
}

static inline size_t tc_diag (const char *text, uint8_t *out, size_t cap) {
  tc_Diag d;
  d.s = text;
  d.out = out;
  d.n = 0;
  d.cap = cap;
  d.ok = 1;
  tc_dspace(&d);
  tc_ditem(&d, 0);
  tc_dspace(&d);
  if (*d.s != '\0')
    d.ok = 0;
  return d.ok ? d.n : 0;
}

/* The bytes of 'diag' (in a buffer the next call reuses); a bad text aborts the test. */
static inline const unsigned char *tc_bytes (const char *diag) {
  static uint8_t b[1024];
  if (tc_diag(diag, b, sizeof b) == 0) {
    fprintf(stderr, "not understood as diagnostic notation: %s\n", diag);
    exit(3);
  }
  return b;
}

static inline size_t tc_len (const char *diag) {
  uint8_t b[1024];
  return tc_diag(diag, b, sizeof b);
}

/* Pointer and length arguments for the bytes of 'diag'. */
#define TC_BYTES(diag) tc_bytes(diag), tc_len(diag)

/* Whether b[0, n) is exactly, or contains, the bytes of 'diag'. */
static inline int tc_is (const unsigned char *b, size_t n, const char *diag) {
  size_t len = tc_len(diag);
  return len > 0 && n == len && memcmp(b, tc_bytes(diag), len) == 0;
}

static inline int tc_hasbytes (const unsigned char *b, size_t n, const uint8_t *want, size_t len) {
  for (size_t i = 0; len > 0 && i + len <= n; i++)
    if (memcmp(b + i, want, len) == 0)
      return 1;
  return 0;
}

static inline int tc_has (const unsigned char *b, size_t n, const char *diag) {
  size_t len = tc_len(diag);
  return tc_hasbytes(b, n, tc_bytes(diag), len);
}

#endif
