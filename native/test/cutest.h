/*
** cutest.h - the few helpers the shim's C tests share. Each test program
** prints "N passed, N failed" and exits non-zero on any failure.
*/
#ifndef cutest_h
#define cutest_h

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "cbortest.h"
#include "check.h"

/* A fresh, opened state; aborts the test program if that fails. */
static cu_State *cut_state (int64_t memlimit, int hooked) {
  cu_State *S = cu_state_new(memlimit);
  if (S == NULL || cu_state_open(S, 42, hooked) != CU_OK) {
    fprintf(stderr, "cannot create a state\n");
    exit(2);
  }
  return S;
}

/* Loads and runs code; returns the status of whichever step failed. */
static int cut_run (cu_State *S, const char *code, int mode) {
  int ref, st = cu_chunk_load(S, code, strlen(code), "=test", &ref);
  if (st != CU_OK)
    return st;
  st = cu_chunk_run(S, ref, mode);
  cu_chunk_free(S, ref);
  return st;
}

/* The payload of the last call equals the given bytes. */
static inline int cut_out_is (cu_State *S, const char *bytes, size_t len) {
  const cu_Info *I = cu_state_info(S);
  return (size_t)I->outlen == len && memcmp(I->out, bytes, len) == 0;
}

/* The payload of the last call contains the given text somewhere. */
static inline int cut_out_has (cu_State *S, const char *text) {
  const cu_Info *I = cu_state_info(S);
  size_t n = strlen(text);
  for (int64_t i = 0; i + (int64_t)n <= I->outlen; i++)
    if (memcmp(I->out + i, text, n) == 0)
      return 1;
  return 0;
}

/* The payload of the last call is, or contains, the item written in 'diag' (cbortest.h). */
static inline int cut_out_diag (cu_State *S, const char *diag) {
  const cu_Info *I = cu_state_info(S);
  return tc_is(I->out, (size_t)I->outlen, diag);
}

static inline int cut_out_hasdiag (cu_State *S, const char *diag) {
  const cu_Info *I = cu_state_info(S);
  return tc_has(I->out, (size_t)I->outlen, diag);
}

/* The reference of the payload HANDLE([n, description]), or 0. */
static inline int cut_out_ref (cu_State *S) {
  const cu_Info *I = cu_state_info(S);
  const uint8_t *p = I->out, *end = I->out + I->outlen;
  unsigned major;
  uint64_t v;
  if (!tc_tag(&p, end, CU_TAG_HANDLE) || !tc_head(&p, end, &major, &v) || major != CU_CBOR_ARRAY ||
      v != 2 || !tc_head(&p, end, &major, &v) || major != CU_CBOR_UINT)
    return 0;
  return (int)v;
}

#define OUT_IS(S, diag) cut_out_diag((S), (diag))

#endif
