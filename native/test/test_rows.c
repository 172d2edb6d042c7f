/*
** test_rows.c - rows from the store that load more rows while they decode
** (function references, upvalue boxes): the nesting is bounded as a whole,
** so forged rows end in an error, and stored closures that reach each
** other through many upvalues still load.
*/
#include "cutest.h"
#include "cbortest.h"

#include <stdint.h>

/* One row per (id, key): a tiny store for these tests. */
typedef struct Row {
  int64_t id;
  unsigned char *kv;
  size_t klen, len;
} Row;
static Row rows[20000];
static size_t nrows;
static cu_State *cur;



static void put (int64_t id, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl) {
  size_t i;
  for (i = 0; i < nrows; i++)
    if (rows[i].id == id && rows[i].klen == kl && memcmp(rows[i].kv, k, kl) == 0)
      break;
  if (i == nrows) {
    if (nrows == sizeof rows / sizeof rows[0])
      exit(3);
    nrows++;
  }
  else
    free(rows[i].kv);
  rows[i].id = id;
  rows[i].klen = kl;
  rows[i].len = kl + vl;
  rows[i].kv = (unsigned char *)malloc(kl + vl);
  if (rows[i].kv == NULL)
    exit(3);
  memcpy(rows[i].kv, k, kl);
  memcpy(rows[i].kv + kl, v, vl);
}

static int on_commit (cu_State *from, const unsigned char *d, size_t len) {
  (void)from;
  const unsigned char *p = d + CU_CBOR_HEADMAX, *end = d + len;
  uint64_t n, three, id;
  unsigned major;
  int ok;
  n = tc_deltacount(d, len, &ok);
  if (!ok)
    exit(3);
  for (uint64_t i = 0; i < n; i++) {
    const unsigned char *k, *v;
    if (!tc_head(&p, end, &major, &three) || !tc_head(&p, end, &major, &id))
      exit(3);
    k = p;
    v = tc_skip(k, end, 0);
    p = tc_skip(v, end, 0);
    if (p == NULL)
      exit(3);
    put((int64_t)id, k, (size_t)(v - k), v, (size_t)(p - v));
  }
  return 0;
}

static int failat; /* > 0: the failat-th load from now fails (a storage error) */

static int on_load (cu_State *from, int64_t id) {
  (void)from;
  static unsigned char buf[1 << 20];
  size_t n = 5, c = 0;
  if (failat > 0 && --failat == 0)
    return cu_upcall_reply(cur, (const unsigned char *)"disk on fire", 12) == CU_OK ? 1 : 1;
  for (size_t i = 0; i < nrows; i++) {
    if (rows[i].id != id)
      continue;
    if (n + rows[i].len > sizeof buf)
      exit(3);
    memcpy(buf + n, rows[i].kv, rows[i].len);
    n += rows[i].len;
    c++;
  }
  if (c == 0)
    return 0;
  buf[0] = CU_CBOR_IB(CU_CBOR_MAP, CU_CBOR_AI_4);
  buf[1] = 0;
  buf[2] = 0;
  buf[3] = (unsigned char)(c >> 8);
  buf[4] = (unsigned char)c;
  return cu_upcall_reply(cur, buf, n);
}

static int64_t nextid = 2;

static void start (void) {
  cur = cut_state(0, 1);
  cu_ext_setstore(cur, on_load, on_commit);
  cu_ext_setnextid(cur, nextid);
  if (cu_ext_setroot(cur, "_home", 1) != CU_OK)
    exit(2);
}

static void restart (void) {
  nextid = cu_state_info(cur)->ext_nextid;
  cu_state_close(cur);
  start();
}

static int run (const char *code) {
  return cut_run(cur, code, CU_RESULT_LAST);
}

/* A chain of n closures, each calling the one before through an upvalue. */
static int chain (int n) {
  char code[256];
  snprintf(code, sizeof code,
           "local f = function(x) return x end "
           "for i = 1, %d do local g = f f = function(x) return g(x) + 1 end end "
           "_home.chain%d = f return f(0)",
           n, n);
  return run(code);
}

static void storedClosureChainsLoadInANewState (void) {
  CHECK(chain(40) == CU_OK);
  CHECK(chain(100) == CU_OK); /* 101 closures: the longest chain one assignment stores */
  restart();
  CHECK(run("return _home.chain40(2)") == CU_OK && OUT_IS(cur, "42"));   /* 42 */
  CHECK(run("return _home.chain100(2)") == CU_OK && OUT_IS(cur, "102")); /* 102 */
}

/* Storing is bounded like loading: an error, never a C stack overflow. */
static void storingClosureChainsBeyondTheNestingLimitRaisesAndChangesNothing (void) {
  CHECK(chain(101) == CU_ERRRUN);
  CHECK(cut_out_has(cur, "value nested too deeply"));
  CHECK(chain(100000) == CU_ERRRUN);
  CHECK(cut_out_has(cur, "value nested too deeply"));
  CHECK(run("local t = {} for i = 1, 150 do t = {t} end " /* tables and closures add up */
            "local f = function() return t end "
            "for i = 1, 30 do local g = f f = function() return g() end end "
            "_home.mixed = f return 1") == CU_ERRRUN);
  CHECK(cut_out_has(cur, "value nested too deeply"));
  restart();
  CHECK(run("return _home.chain101 == nil and _home.chain100000 == nil "
            "and _home.mixed == nil") == CU_OK &&
        OUT_IS(cur, "true"));
}

/*
** Deeper than the decoder's budget (a chain extended over several runs, each
** storing less than the limit): an error, never a C stack overflow, and
** the unit works afterwards.
*/
static void closureChainsBeyondTheNestingLimitRaiseAnError (void) {
  CHECK(run("_home.deep = {} return 1") == CU_OK);
  CHECK(chain(100) == CU_OK);
  CHECK(run("_home.deep.chain = _home.chain100 return 1") == CU_OK);
  for (int i = 0; i < 5; i++) /* 601 closures, over 2,000 levels to load */
    CHECK(run("local f = _home.deep.chain "
              "for i = 1, 100 do local g = f f = function(x) return g(x) + 1 end end "
              "_home.deep.chain = f return f(0)") == CU_OK);
  CHECK(run("return _home.deep.chain(0)") == CU_OK && OUT_IS(cur, "600")); /* 600 */
  restart();
  CHECK(run("return _home.deep.chain(0)") == CU_ERRRUN);
  CHECK(cut_out_has(cur, "nested too deeply"));
  CHECK(run("_home.after = 1 return _home.chain40(2)") == CU_OK && OUT_IS(cur, "42"));
}

/*
** A function load that fails partway leaves nothing half-built behind: the
** next runs commit (no closure keeps the globals lua_load gave its upvalue
** in place of its box) and the function loads once the store answers.
*/
static void aFailedFunctionLoadLeavesTheUnitWorking (void) {
  char want[64];
  int n = 1;
  CHECK(run("local n = 0 local function count() n = n + 1 return n end "
            "local f = count for i = 1, 5 do local g = f f = function() return g() end end "
            "_home.counter = f return f()") == CU_OK &&
        OUT_IS(cur, "1"));
  for (int k = 2; k <= 16; k++) { /* fail each load of the chain in turn */
    restart();
    failat = k;
    if (run("return _home.counter()") == CU_OK)
      n++; /* the chain needs fewer loads than k */
    else
      CHECK(cut_out_has(cur, "disk on fire"));
    failat = 0;
    CHECK(run("_home.x = 1 return 2") == CU_OK && OUT_IS(cur, "2"));
    snprintf(want, sizeof want, "return _home.counter() == %d", ++n);
    CHECK(run(want) == CU_OK && OUT_IS(cur, "true"));
    CHECK(run("return 1") == CU_OK);
    restart();
    snprintf(want, sizeof want, "return _home.counter() == %d", ++n);
    CHECK(run(want) == CU_OK && OUT_IS(cur, "true"));
  }
}

/* Function rows whose references load each other, in a loop. */
static int loop_load (cu_State *from, int64_t id) {
  (void)from;
  /* {1: funcref(id + 1)}: the function row never arrives at its function */
  unsigned char b[32];
  size_t n = 0;
  tc_put(b, &n, CU_CBOR_MAP, 1);
  tc_put(b, &n, CU_CBOR_UINT, 1);
  tc_put(b, &n, CU_CBOR_TAG, CU_TAG_FUNCREF);
  cu_cbor_head8(b + n, CU_CBOR_UINT, (uint64_t)(id + 1));
  return cu_upcall_reply(cur, b, n + CU_CBOR_HEADMAX);
}

static void rowsThatLoadEachOtherEndInAStorageError (void) {
  cu_State *S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, loop_load, on_commit);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);
  CHECK(cut_run(S, "return _home[1]", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "nested too deeply"));
  CHECK(cut_run(S, "return 1 + 1", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "2"));
  cu_state_close(S);
}

/* Handles come from Java only: a stored row holding one is refused, not followed. */
static void rowsRefuseHandles (void) {
  const unsigned char *k = tc_bytes("\"h\"");
  unsigned char v[16];
  size_t n = 0;
  tc_put(v, &n, CU_CBOR_TAG, CU_TAG_HANDLE);
  tc_put(v, &n, CU_CBOR_UINT, 1);
  put(1, k, tc_len("\"h\""), v, n);
  restart();                                                             /* _home is read again */
  CHECK(run("return print") == CU_OK && cut_out_has(cur, "function: ")); /* reference 1 is live */
  CHECK(run("return _home.h") == CU_ERRRUN && cut_out_has(cur, "unsupported tag"));
  CHECK(cu_handle_free(cur, 1) == CU_OK);
}

int main (void) {
  start();
  storedClosureChainsLoadInANewState();
  storingClosureChainsBeyondTheNestingLimitRaisesAndChangesNothing();
  closureChainsBeyondTheNestingLimitRaiseAnError();
  aFailedFunctionLoadLeavesTheUnitWorking();
  rowsRefuseHandles(); /* last: its row stays in _home */
  cu_state_close(cur);
  rowsThatLoadEachOtherEndInAStorageError();
  return cut_done();
}
