/*
** test_cbor.c - the wire layer (cu_cbor.c) on its own: no Lua state, no
** libcu. Heads round-trip at every width boundary, the reader never reads
** past its end and leaves it unmoved on failure, and every shared vector
** is exactly one well-formed item.
*/
#include <stdio.h>
#include <string.h>

#include "cbortest.h"
#include "check.h"

/* Writes (major, v), reads it back; checks the width and the round trip. */
static void roundtrip (int major, uint64_t v, size_t width) {
  unsigned char b[CU_CBOR_HEADMAX + 1];
  cu_Reader r;
  int m = -1;
  uint64_t got = 0;
  size_t n = cu_cbor_head(b, major, v);
  CHECK(n == width);
  CHECK(CU_CBOR_MAJOR(b[0]) == (unsigned)major);
  r.p = b;
  r.end = b + n;
  CHECK(cu_cbor_gethead(&r, &m, &got) == CU_CBOR_OK && m == major && got == v && r.p == b + n);
  r.p = b;
  r.end = b + n - 1; /* one byte short: nothing is read */
  CHECK(cu_cbor_gethead(&r, &m, &got) == CU_CBOR_EOF && r.p == b);
}

static void headsTakeTheShortestFormAndReadBack (void) {
  static const struct {
    uint64_t v;
    size_t width;
  } cases[] = {
    {0,            1},
    {23,           1},
    {24,           2},
    {255,          2},
    {256,          3},
    {65535,        3},
    {65536,        5},
    {0xFFFFFFFFu,  5},
    {0x100000000u, 9},
    {UINT64_MAX,   9}
  };
  for (int major = CU_CBOR_UINT; major <= CU_CBOR_TAG; major++)
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
      roundtrip(major, cases[i].v, cases[i].width);
}

static void tagsAreFourByteHeads (void) {
  static const uint64_t tags[] = {CU_TAG_OPAQUE, CU_TAG_EXTREF, CU_TAG_FUNCREF,   CU_TAG_FUNCTION,
                                  CU_TAG_ENV,    CU_TAG_BOX,    CU_TAG_PERMANENT, CU_TAG_META};
  unsigned char b[CU_CBOR_HEADMAX];
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
    CHECK(cu_cbor_head(b, CU_CBOR_TAG, tags[i]) == 5);
    CHECK(b[0] == CU_CBOR_IB(CU_CBOR_TAG, CU_CBOR_AI_4) && b[1] == 'c' && b[2] == 'u');
    CHECK(tags[i] == tags[0] + i); /* consecutive, in FORMAT.md's order */
  }
  CHECK(cu_cbor_head(b, CU_CBOR_TAG, CU_TAG_SHAREABLE) == 2);
  CHECK(CU_TAG_SHAREDREF == CU_TAG_SHAREABLE + 1);
}

static void theFixedWidthHeadHoldsAnyCount (void) {
  unsigned char b[CU_CBOR_HEADMAX];
  cu_Reader r;
  uint64_t n = 0;
  int ok;
  cu_cbor_head8(b, CU_CBOR_ARRAY, 3);
  r.p = b;
  r.end = b + sizeof b;
  CHECK(b[0] == CU_CBOR_IB(CU_CBOR_ARRAY, CU_CBOR_AI_8));
  CHECK(cu_cbor_expect(&r, CU_CBOR_ARRAY, &n) && n == 3 && r.p == b + sizeof b);
  CHECK(tc_deltacount(b, sizeof b, &ok) == 3 && ok);
  b[0] = CU_CBOR_IB(CU_CBOR_MAP, CU_CBOR_AI_8);
  CHECK(tc_deltacount(b, sizeof b, &ok) == 0 && !ok);
}

static void theReaderRefusesWhatItCannotRead (void) {
  unsigned char b[2];
  cu_Reader r;
  int m;
  uint64_t v;
  r.p = b;
  r.end = b;
  CHECK(cu_cbor_gethead(&r, &m, &v) == CU_CBOR_EOF);
  for (unsigned ai = 28; ai <= 31; ai++) { /* reserved and indefinite lengths */
    b[0] = CU_CBOR_IB(CU_CBOR_ARRAY, ai);
    r.p = b;
    r.end = b + 1;
    CHECK(cu_cbor_gethead(&r, &m, &v) == CU_CBOR_BADINFO && r.p == b);
  }
  b[0] = CU_CBOR_IB(CU_CBOR_MAP, 1);
  r.p = b;
  r.end = b + 1;
  CHECK(!cu_cbor_expect(&r, CU_CBOR_ARRAY, &v) && r.p == b); /* wrong type: unmoved */
  CHECK(cu_cbor_expect(&r, CU_CBOR_MAP, &v) && v == 1 && r.p == b + 1);
}

static void skipStopsAtTruncationAndDepth (void) {
  unsigned char b[CU_MAXDEPTH + 8];
  cu_Reader r;
  size_t n = 0;
  for (int i = 0; i < CU_MAXDEPTH; i++) /* [[[...[0]...]]] */
    tc_put(b, &n, CU_CBOR_ARRAY, 1);
  tc_put(b, &n, CU_CBOR_UINT, 0);
  r.p = b;
  r.end = b + n;
  CHECK(cu_cbor_skip(&r, CU_MAXDEPTH) && r.p == b + n);
  r.p = b;
  CHECK(!cu_cbor_skip(&r, CU_MAXDEPTH - 1) && r.p == b);
  r.end = b + n - 1;
  CHECK(!cu_cbor_skip(&r, CU_MAXDEPTH) && r.p == b);
  n = 0;
  tc_put(b, &n, CU_CBOR_TEXT, 5); /* a string longer than what is left */
  memcpy(b + n, "abc", 3);
  r.p = b;
  r.end = b + n + 3;
  CHECK(!cu_cbor_skip(&r, 1) && r.p == b);
  n = 0;
  tc_put(b, &n, CU_CBOR_MAP, UINT64_MAX / 2); /* a count no input can hold */
  r.p = b;
  r.end = b + n;
  CHECK(!cu_cbor_skip(&r, 1));
}

static void utf8IsStrict (void) {
  CHECK(cu_cbor_utf8("", 0) && cu_cbor_utf8("abc", 3));
  CHECK(cu_cbor_utf8("\xc3\xa9", 2));          /* U+00E9 */
  CHECK(cu_cbor_utf8("\xf4\x8f\xbf\xbf", 4));  /* U+10FFFF */
  CHECK(!cu_cbor_utf8("\xc0\x80", 2));         /* overlong */
  CHECK(!cu_cbor_utf8("\xe0\x80\x80", 3));     /* overlong */
  CHECK(!cu_cbor_utf8("\xed\xa0\x80", 3));     /* surrogate */
  CHECK(!cu_cbor_utf8("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
  CHECK(!cu_cbor_utf8("\xc3", 1));             /* cut short */
  CHECK(!cu_cbor_utf8("\xc3\x41", 2));         /* bad continuation */
}

static void everyVectorIsOneWellFormedItem (void) {
  FILE *f = fopen(CU_VECTORS, "r");
  char line[1024];
  int n = 0;
  CHECK(f != NULL);
  if (f == NULL)
    return;
  while (fgets(line, sizeof line, f)) {
    unsigned char b[512];
    size_t len;
    cu_Reader r;
    if (line[0] == '#' || line[0] == '\n')
      continue;
    len = tc_unhex(line, b, sizeof b);
    r.p = b;
    r.end = b + len;
    CHECK(len <= sizeof b && cu_cbor_skip(&r, CU_MAXDEPTH) && r.p == b + len);
    n++;
  }
  fclose(f);
  CHECK(n > 10);
}

/* The tests' diagnostic notation (cbortest.h) writes what the heads say. */
static void diagnosticNotationEncodesItsHeads (void) {
  uint8_t got[64], want[64];
  size_t n = 0, g;
  tc_put(want, &n, CU_CBOR_MAP, 2);
  tc_put(want, &n, CU_CBOR_TEXT, 1);
  want[n++] = 'a';
  tc_put(want, &n, CU_CBOR_NEGINT, 24); /* -25 */
  tc_put(want, &n, CU_CBOR_BYTES, 2);
  want[n++] = 0xff;
  want[n++] = 0x00;
  tc_put(want, &n, CU_CBOR_TAG, CU_TAG_EXTREF);
  tc_put(want, &n, CU_CBOR_ARRAY, 3);
  want[n++] = CU_CBOR_TRUE;
  want[n++] = CU_CBOR_NULL;
  tc_put(want, &n, CU_CBOR_TAG, 28);
  tc_put(want, &n, CU_CBOR_UINT, 300);
  g = tc_diag("{\"a\": -25, h'ff00': EXTREF([true, null, 28(300)])}", got, sizeof got);
  CHECK(g == n && memcmp(got, want, n) == 0);
  n = 0;
  cu_cbor_head8(want, CU_CBOR_ARRAY, 1);
  n = CU_CBOR_HEADMAX;
  want[n++] = CU_CBOR_FLOAT16;
  want[n++] = 0x3c;
  want[n++] = 0x00; /* 1.0 */
  g = tc_diag("[_3 1.0_1]", got, sizeof got);
  CHECK(g == n && memcmp(got, want, n) == 0);
  CHECK(tc_diag("1.5_2", got, sizeof got) == 5 && got[0] == CU_CBOR_FLOAT32);
  CHECK(tc_diag("1.5", got, sizeof got) == 9 && got[0] == CU_CBOR_FLOAT64);
  CHECK(tc_diag("[1, 2", got, sizeof got) == 0); /* unterminated */
  CHECK(tc_diag("NOSUCHTAG(1)", got, sizeof got) == 0);
  CHECK(tc_diag("1 2", got, sizeof got) == 0); /* two items */
}

int main (void) {
  headsTakeTheShortestFormAndReadBack();
  tagsAreFourByteHeads();
  theFixedWidthHeadHoldsAnyCount();
  theReaderRefusesWhatItCannotRead();
  skipStopsAtTruncationAndDepth();
  utf8IsStrict();
  everyVectorIsOneWellFormedItem();
  diagnosticNotationEncodesItsHeads();
  return cut_done();
}
