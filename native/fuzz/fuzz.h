/*
** fuzz.h - what the libFuzzer harnesses of native/fuzz share. Each harness
** is one fuzz_<target>.c defining LLVMFuzzerTestOneInput over the public
** ABI (cu.h) only. The same sources build twice: with clang and libFuzzer
** (CU_FUZZ, native/target/fuzz), and with the normal compiler and
** fuzz_replay.c as main, which replays the seed corpus and the crash
** regressions as ctest tests of the ordinary and sanitizer builds.
**
** A harness aborts (a finding) only when the shim breaks a promise: a
** crash, a sanitizer report, a status cu.h does not list, or a broken
** round trip. Errors reported as statuses are the expected outcome of
** malformed input.
*/
#ifndef fuzz_h
#define fuzz_h

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "../test/cbortest.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Each state refuses to grow past this: the fuzzer finds bugs, not OOMs. */
#define FZ_MEMLIMIT (32 * 1024 * 1024)

/* Ends the run with a message a crash report shows. */
#define FZ_ASSERT(cond)                                                                            \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);                \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* A fresh, opened, interruptible state; aborts if that fails. */
static inline cu_State *fz_state (void) {
  cu_State *S = cu_state_new(FZ_MEMLIMIT);
  FZ_ASSERT(S != NULL);
  FZ_ASSERT(cu_state_open(S, 42, 1) == CU_OK);
  /* a stuck input is a finding only if it runs past the time limit */
  FZ_ASSERT(cu_state_limit(S, 2000000000LL, 0) == CU_OK);
  return S;
}

/* The statuses a run may legitimately end with. */
static inline int fz_runstatus (int st) {
  return st == CU_OK || st == CU_ERRRUN || st == CU_ERRMEM || st == CU_ERRERR || st == CU_ERRSTOP ||
         st == CU_ERRUPCALL || st == CU_ERRVALUE;
}

/* Loads and runs trusted code of the harness; returns the run's status. */
static inline int fz_run (cu_State *S, const char *code, int mode) {
  int ref, st = cu_chunk_load(S, code, strlen(code), "=fuzz", &ref);
  FZ_ASSERT(st == CU_OK);
  st = cu_chunk_run(S, ref, mode);
  FZ_ASSERT(cu_chunk_free(S, ref) == CU_OK);
  FZ_ASSERT(fz_runstatus(st));
  return st;
}


/* A copy of the state's payload (the out buffer changes with each call). */
static inline uint8_t *fz_payload (cu_State *S, size_t *len) {
  const cu_Info *I = cu_state_info(S);
  uint8_t *b = (uint8_t *)malloc(I->outlen > 0 ? (size_t)I->outlen : 1);
  FZ_ASSERT(b != NULL);
  if (I->outlen > 0)
    memcpy(b, I->out, (size_t)I->outlen);
  *len = (size_t)I->outlen;
  return b;
}

#endif
