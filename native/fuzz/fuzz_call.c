/*
** fuzz_call.c - the argument lists Java sends: cu_state_call's arguments
** and a host function's reply (cu_valuedec_args), each decoded and its
** values encoded back as the call's results.
*/
#include "fuzz.h"

static cu_State *S;
static const uint8_t *reply;
static size_t replylen;

/* Host function 1 replies with the fuzzer's bytes. */
static int host (int32_t fn, const unsigned char *args, size_t len) {
  (void)args;
  (void)len;
  FZ_ASSERT(fn == 1);
  return cu_upcall_reply(S, reply, replylen) == CU_OK ? 0 : 1;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  int st;
  if (S == NULL) {
    S = fz_state();
    cu_host_setfn(S, host);
    FZ_ASSERT(cu_host_register(S, "h", 1) == CU_OK);
    FZ_ASSERT(fz_run(S,
                     "function f(...) return select('#', ...), ... end "
                     "function g() return select('#', h()), h() end",
                     0) == CU_OK);
  }
  st = cu_state_call(S, "f", data, size, CU_RESULT_ALL);
  FZ_ASSERT(fz_runstatus(st));
  reply = data;
  replylen = size;
  st = cu_state_call(S, "g", NULL, 0, CU_RESULT_ALL);
  FZ_ASSERT(fz_runstatus(st));
  return 0;
}
