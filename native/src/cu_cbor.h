/*
** cu_cbor.h - the wire layer: every fact of cu's CBOR (docs/FORMAT.md) and
** the one head writer and head reader of the shim. Pure C: nothing here
** knows a lua_State, so the C tests link cu_cbor.c on its own. The Java
** side mirrors the tag numbers (a test parses the CU_TAG_ lines below:
** keep each as '#define CU_TAG_<NAME> <number>').
*/
#ifndef cu_cbor_h
#define cu_cbor_h

#include <stddef.h>
#include <stdint.h>

/* Major types (RFC 8949, 3.1): the top 3 bits of an initial byte. */
#define CU_CBOR_UINT   0
#define CU_CBOR_NEGINT 1
#define CU_CBOR_BYTES  2
#define CU_CBOR_TEXT   3
#define CU_CBOR_ARRAY  4
#define CU_CBOR_MAP    5
#define CU_CBOR_TAG    6
#define CU_CBOR_SIMPLE 7

/* Additional information (the low 5 bits): 24..27 = 1, 2, 4, 8 bytes follow. */
#define CU_CBOR_AI_1 24
#define CU_CBOR_AI_2 25
#define CU_CBOR_AI_4 26
#define CU_CBOR_AI_8 27

/* The initial byte of major type m with additional information ai. */
#define CU_CBOR_IB(m, ai) ((unsigned char)(((m) << 5) | (ai)))
#define CU_CBOR_MAJOR(ib) ((unsigned)(ib) >> 5)
#define CU_CBOR_INFO(ib)  ((unsigned)(ib)&31)

/* Simple values (major type 7), by their additional information. */
#define CU_CBOR_SFALSE 20
#define CU_CBOR_STRUE  21
#define CU_CBOR_SNULL  22
#define CU_CBOR_SUNDEF 23

/* Initial bytes of the one-byte items and of the floats. */
#define CU_CBOR_FALSE   CU_CBOR_IB(CU_CBOR_SIMPLE, CU_CBOR_SFALSE)
#define CU_CBOR_TRUE    CU_CBOR_IB(CU_CBOR_SIMPLE, CU_CBOR_STRUE)
#define CU_CBOR_NULL    CU_CBOR_IB(CU_CBOR_SIMPLE, CU_CBOR_SNULL)
#define CU_CBOR_FLOAT16 CU_CBOR_IB(CU_CBOR_SIMPLE, CU_CBOR_AI_2)
#define CU_CBOR_FLOAT32 CU_CBOR_IB(CU_CBOR_SIMPLE, CU_CBOR_AI_4)
#define CU_CBOR_FLOAT64 CU_CBOR_IB(CU_CBOR_SIMPLE, CU_CBOR_AI_8)

/* Longest head: initial byte and an 8-byte argument. */
#define CU_CBOR_HEADMAX 9

/* Tags: RFC 8949 bignums and value sharing, and cu's own (docs/FORMAT.md). */
#define CU_TAG_BIGNUM    2
#define CU_TAG_NEGBIGNUM 3
#define CU_TAG_SHAREABLE 28
#define CU_TAG_SHAREDREF 29
#define CU_TAG_OPAQUE    0x63750001u
#define CU_TAG_EXTREF    0x63750002u
#define CU_TAG_FUNCREF   0x63750003u
#define CU_TAG_FUNCTION  0x63750004u
#define CU_TAG_ENV       0x63750005u
#define CU_TAG_BOX       0x63750006u
#define CU_TAG_PERMANENT 0x63750007u
#define CU_TAG_META      0x63750008u
#define CU_TAG_HANDLE    0x63750009u
#define CU_TAG_OBJECT    0x6375000Au
#define CU_TAG_ARRAY     0x6375000Bu
#define CU_TAG_NULL      0x6375000Cu

/* Deepest nesting of one value that cu writes or reads. */
#define CU_MAXDEPTH 200

/*
** Writes the shortest head of major type 'major' with argument v at p
** (room for CU_CBOR_HEADMAX bytes); returns its length.
*/
size_t cu_cbor_head (unsigned char *p, int major, uint64_t v);

/* Writes the 9-byte head (8-byte argument) for a count known only at the end. */
void cu_cbor_head8 (unsigned char *p, int major, uint64_t v);

/*
** A reader over [p, end). It never reads outside them; a failed read
** leaves p where it was.
*/
typedef struct cu_Reader {
  const unsigned char *p, *end;
} cu_Reader;

/* What cu_cbor_gethead found. */
#define CU_CBOR_OK      0
#define CU_CBOR_EOF     1 /* no byte left, or an argument cut short */
#define CU_CBOR_BADINFO 2 /* additional information 28..31 (indefinite, reserved) */

/*
** Reads a head: its major type into *major and its argument into *v (for
** major type 7, the simple value or the float's bits). Returns CU_CBOR_*.
** Inline: the decoder reads one head per item.
*/
static inline int cu_cbor_gethead (cu_Reader *r, int *major, uint64_t *v) {
  const unsigned char *q = r->p;
  unsigned ai;
  int n;
  if (q >= r->end)
    return CU_CBOR_EOF;
  *major = (int)CU_CBOR_MAJOR(*q);
  ai = CU_CBOR_INFO(*q);
  q++;
  if (ai < CU_CBOR_AI_1) {
    *v = ai;
    r->p = q;
    return CU_CBOR_OK;
  }
  if (ai > CU_CBOR_AI_8)
    return CU_CBOR_BADINFO;
  n = 1 << (ai - CU_CBOR_AI_1);
  if (r->end - q < n)
    return CU_CBOR_EOF;
  *v = 0;
  while (n--) *v = (*v << 8) | *q++;
  r->p = q;
  return CU_CBOR_OK;
}

/* Reads a head of major type 'major'; returns 1, or 0 (r unchanged). */
int cu_cbor_expect (cu_Reader *r, int major, uint64_t *v);

/*
** Skips one well-formed item nested at most 'maxdepth' levels; returns 1,
** or 0 when there is none (r unchanged).
*/
int cu_cbor_skip (cu_Reader *r, int maxdepth);

/* Strict RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
int cu_cbor_utf8 (const char *s, size_t len);

/* Bytes below this one are ASCII characters, one byte each. */
#define CU_UTF8_ASCII_END 0x80

/* Whether byte c continues a UTF-8 sequence (it is not the start of a character). */
#define cu_cbor_utf8cont(c) (((c)&0xC0) == 0x80)

/*
** Length of the valid UTF-8 sequence that starts at p, which has 'avail'
** bytes (at least 1), or 0 when it is not one (cu_cbor_utf8's rules).
*/
size_t cu_cbor_utf8len (const unsigned char *p, size_t avail);

/* Writes code point cp (not a surrogate, at most U+10FFFF) into u; returns its length. */
size_t cu_cbor_utf8put (char u[4], unsigned cp);

#endif
