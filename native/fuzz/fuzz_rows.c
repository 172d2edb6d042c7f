/*
** fuzz_rows.c - rows from the table store: the replies of cu_LoadFn,
** decoded with references (tables, functions and their bytecode, upvalue
** boxes, permanents, stored metatables). The input is a sequence of CBOR
** items; item i is the reply for id i (a table, a function or a box), and
** what does not parse is the reply for the next id as it stands.
**
** Bytecode is loaded (lua_load in binary mode) but never run: the store
** signs function rows (HMAC in LmdbTableStore) because running forged
** bytecode is unsafe in any Lua. So the scripts below only walk the tables
** with pairs, read lengths and overwrite keys that exist (a new key would
** call a stored __newindex); none of that calls a stored function.
*/
#include "fuzz.h"

#define MAXROWS 64

static cu_State *S;
static const uint8_t *rows[MAXROWS + 1];
static size_t rowlen[MAXROWS + 1];
static int nrows, commits;

static int load (cu_State *from, int64_t id) {
  (void)from;
  if (id < 1 || id > nrows)
    return 0; /* no rows: an empty table */
  return cu_upcall_reply(S, rows[id], rowlen[id]) == CU_OK ? 0 : 1;
}

static int commit (cu_State *from, const unsigned char *delta, size_t len) {
  (void)from;
  int ok;
  tc_deltacount(delta, len, &ok);
  FZ_ASSERT(ok); /* the delta is an array, 8-byte count */
  FZ_ASSERT(tc_skip(delta, delta + len, 0) == delta + len); /* and well-formed */
  commits++;
  return 0;
}

static const char *walk =
  "local seen, n = {}, 0\n"
  "local function walk(t, d)\n"
  "  for k, v in pairs(t) do\n"
  "    n = n + 1\n"
  "    if n > 400 then return end\n"
  "    if type(v) == 'table' and d < 8 and not seen[v] then seen[v] = true walk(v, d + 1) end\n"
  "    if type(k) == 'table' and d < 8 and not seen[k] then seen[k] = true walk(k, d + 1) end\n"
  "  end\n"
  "  return #t\n"
  "end\n"
  "return walk(_home, 0), n\n";

/* Overwrites existing keys: converts loaded values (functions included) into new rows. */
static const char *rewrite = "local k, v = next(_home)\n"
                             "if k ~= nil then\n"
                             "  local k2, v2 = next(_home, k)\n"
                             "  _home[k] = {v, k2, v2, n = #_home}\n"
                             "  if k2 ~= nil then _home[k2] = v end\n"
                             "end\n"
                             "return type(k)\n";

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  const uint8_t *p = data, *end = data + size;
  nrows = 0;
  while (p < end && nrows < MAXROWS) {
    const uint8_t *q = tc_skip(p, end, 0);
    if (q == NULL || nrows + 1 == MAXROWS)
      q = end;
    nrows++;
    rows[nrows] = p;
    rowlen[nrows] = (size_t)(q - p);
    p = q;
  }
  S = fz_state(); /* a new state for each input: nothing cached survives */
  cu_ext_setstore(S, load, commit);
  cu_ext_setnextid(S, (int64_t)1 << 40);
  FZ_ASSERT(cu_ext_setroot(S, "_home", 1) == CU_OK);
  if (fz_run(S, walk, CU_RESULT_ALL) == CU_OK)
    fz_run(S, rewrite, CU_RESULT_LAST);
  FZ_ASSERT(cu_state_gc(S) == CU_OK);
  FZ_ASSERT(cu_ext_reset(S, (int64_t)1 << 41) == CU_OK); /* forget it all, then again */
  FZ_ASSERT(cu_ext_setroot(S, "_home", 1) == CU_OK);
  fz_run(S, walk, CU_RESULT_ALL);
  cu_state_close(S);
  S = NULL;
  return 0;
}
