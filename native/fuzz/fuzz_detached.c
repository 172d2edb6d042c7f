/*
** fuzz_detached.c - lists of removed table ids from the store: the argument
** of cu_ext_detached and the reply of a commit (cu_CommitFn). The state
** holds proxies of tables 2..9 in a Lua variable while the lists arrive,
** then attaches them again, which writes them in full.
*/
#include "fuzz.h"

static cu_State *S;
static const uint8_t *reply;
static size_t replylen;

/* Table 1 (_home) holds t2..t9 = tables 2..9; each of those holds x = id. */
static int load (cu_State *from, int64_t id) {
  (void)from;
  uint8_t b[128];
  size_t n = 0;
  if (id == 1) {
    tc_put(b, &n, CU_CBOR_MAP, 8);
    for (int i = 2; i <= 9; i++) {
      tc_put(b, &n, CU_CBOR_TEXT, 2);
      b[n++] = 't';
      b[n++] = (uint8_t)('0' + i);
      tc_put(b, &n, CU_CBOR_TAG, CU_TAG_EXTREF);
      tc_put(b, &n, CU_CBOR_UINT, (uint64_t)i);
    }
  }
  else if (id >= 2 && id <= 9) {
    tc_put(b, &n, CU_CBOR_MAP, 1);
    tc_put(b, &n, CU_CBOR_TEXT, 1);
    b[n++] = 'x';
    tc_put(b, &n, CU_CBOR_UINT, (uint64_t)id);
  }
  return n == 0 ? 0 : (cu_upcall_reply(S, b, n) == CU_OK ? 0 : 1);
}

static int commit (cu_State *from, const unsigned char *delta, size_t len) {
  (void)from;
  (void)delta;
  (void)len;
  return cu_upcall_reply(S, reply, replylen) == CU_OK ? 0 : 1;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  int st;
  S = fz_state();
  cu_ext_setstore(S, load, commit);
  cu_ext_setnextid(S, 10);
  FZ_ASSERT(cu_ext_setroot(S, "_home", 1) == CU_OK);
  FZ_ASSERT(fz_run(S,
                   "K = {} for i = 2, 9 do K[i] = _home['t' .. i] end "
                   "return K[2].x",
                   0) == CU_OK);
  st = cu_ext_detached(S, data, size);
  FZ_ASSERT(st == CU_OK || st == CU_ERRVALUE || st == CU_ERRMEM);
  /* a commit whose reply is the list: the run fails cleanly when it is malformed */
  reply = data;
  replylen = size;
  fz_run(S, "for i = 2, 9 do _home['u' .. i] = K[i] K[i].y = i end return K[9].x", 0);
  reply = NULL;
  replylen = 0;
  fz_run(S, "local n = 0 for i = 2, 9 do n = n + K[i].x end _home.v = {K[2]} return n", 0);
  cu_state_close(S);
  S = NULL;
  return 0;
}
