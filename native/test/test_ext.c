/* test_ext.c - external tables through the C ABI, with a store written in C. */
#include "cutest.h"

/* A tiny store: remembers the last delta, serves table 1 from 'home'. */
static cu_State *cur;
static unsigned char delta[4096];
static size_t deltalen;
static int commits, loads, failcommit;
static const unsigned char *home;
static size_t homelen;

static int on_load (int64_t id) {
  loads++;
  if (id == 1 && home != NULL)
    return cu_upcall_reply(cur, home, homelen);
  return 0;
}

static int on_commit (const unsigned char *d, size_t len) {
  if (failcommit) {
    cu_upcall_reply(cur, (const unsigned char *)"disk full", 9);
    return 1;
  }
  commits++;
  deltalen = len < sizeof delta ? len : sizeof delta;
  memcpy(delta, d, deltalen);
  return 0;
}

static int on_host (int32_t fn, const unsigned char *args, size_t len) {
  if (fn == 7 && len == 2 && memcmp(args, "\x81\x15", 2) == 0)
    return cu_upcall_reply(cur, (const unsigned char *)"\x81\x18\x2a", 3);
  cu_upcall_reply(cur, (const unsigned char *)"bad args", 8);
  return 1;
}

#define DELTA_IS(lit) (deltalen == sizeof(lit) - 1 && memcmp(delta, lit, deltalen) == 0)

static int delta_has (const char *bytes, size_t len) {
  for (size_t i = 0; i + len <= deltalen; i++)
    if (memcmp(delta + i, bytes, len) == 0)
      return 1;
  return 0;
}
#define DELTA_HAS(lit) delta_has(lit, sizeof(lit) - 1)

int main (void) {
  cu_State *S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, on_load, on_commit);
  cu_ext_setnextid(S, 3);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);

  /* one scalar write: [[1, "v", 5]] */
  CHECK(cut_run(S, "_home.v = 5", CU_RESULT_LAST) == CU_OK);
  CHECK(commits == 1 && loads == 1);
  CHECK(DELTA_IS("\x9b\0\0\0\0\0\0\0\x01" "\x83\x01\x61v\x05"));
  /* a read of a loaded table does not call the store */
  CHECK(cut_run(S, "return _home.v + 1", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\x06"));
  CHECK(loads == 1 && commits == 1);
  /* a table becomes a new external table 3, referenced by tag 0x63750002 */
  CHECK(cut_run(S, "_home.t = {x = 1}", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_is(S, "\xf6", 1) && commits == 2);
  CHECK(deltalen > 9 && delta[8] == 2);
  {
    const char ref[] = "\x83\x01\x61t\xda\x63\x75\x00\x02\x03";
    int found = 0;
    for (size_t i = 9; i + sizeof ref - 1 <= deltalen; i++)
      if (memcmp(delta + i, ref, sizeof ref - 1) == 0) found = 1;
    CHECK(found);
  }
  CHECK(cu_state_info(S)->ext_nextid == 4);
  /* write-through, identity, iteration, length, table library */
  CHECK(cut_run(S, "local d = _home.t d.x = 7 return _home.t.x", CU_RESULT_LAST) == CU_OK
        && OUT_IS(S, "\x07"));
  CHECK(cut_run(S, "return _home.t == _home.t", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\xf5"));
  CHECK(cut_run(S, "_home.l = {'a', 'b'} table.insert(_home.l, 'c') "
                   "return #_home.l .. table.concat(_home.l)", CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "\x64" "3abc"));
  CHECK(cut_run(S, "local n = 0 for k in pairs(_home) do n = n + 1 end return n",
                CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\x03"));
  CHECK(cut_run(S, "return next(_home) ~= nil", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\xf5"));
  CHECK(cut_run(S, "return _home.t", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\xa1\x61x\x07"));
  /* refused: threads, table keys, rawset; the old value stays */
  CHECK(cut_run(S, "_home.v = coroutine.create(print)", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "cannot store a thread"));
  CHECK(cut_run(S, "_home[{}] = 1", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "rawset(_home, 'v', 1)", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "return _home.v", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\x05"));
  /* a failed run commits nothing and its changes are gone */
  commits = 0;
  CHECK(cut_run(S, "_home.v = 6 _home.t.x = 8 error('no')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(commits == 0);
  CHECK(cut_run(S, "return _home.v", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\xf6"));
  /* (the C store above does not keep data: a reload after rollback is empty) */
  /* a failed commit is an upcall error and rolls back */
  failcommit = 1;
  CHECK(cut_run(S, "_home.w = 1", CU_RESULT_LAST) == CU_ERRUPCALL);
  CHECK(cut_out_has(S, "storage error: disk full"));
  failcommit = 0;
  /* data served by the store decodes, with references to other tables */
  home = (const unsigned char *)"\xa2\x61" "a\x18\x2a\x61" "b\xda\x63\x75\x00\x02\x09";
  homelen = 13;
  cu_state_close(S);
  S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, on_load, on_commit);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);
  CHECK(cut_run(S, "return _home.a, type(_home.b)", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "\x82\x18\x2a\x65table"));
  /* a table the store removed, still held by Lua, is written in full when attached again */
  cu_ext_setnextid(S, 20);
  CHECK(cut_run(S, "_home.t = {x = 1}", CU_RESULT_LAST) == CU_OK && DELTA_HAS("\x83\x14\x61x\x01"));
  CHECK(cut_run(S, "keep = _home.t _home.t = nil", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_ext_detached(S, (const unsigned char *)
        "\x83\x14\x18\x63\x1b\xff\xff\xff\xff\xff\xff\xff\xff", 13) == CU_OK);
  CHECK(cut_run(S, "_home.back = keep", CU_RESULT_LAST) == CU_OK && DELTA_HAS("\x83\x14\x61x\x01"));
  CHECK(cut_run(S, "_home.again = keep", CU_RESULT_LAST) == CU_OK && !DELTA_HAS("\x83\x14\x61x\x01"));
  /* a malformed list is refused and changes nothing */
  CHECK(cu_ext_detached(S, (const unsigned char *)"\x14", 1) != CU_OK);
  CHECK(cu_ext_detached(S, (const unsigned char *)"\x82\x14", 2) != CU_OK);
  CHECK(cu_ext_detached(S, (const unsigned char *)"\x81\x1b\x00", 3) != CU_OK);
  CHECK(cut_run(S, "return keep.x", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\x01"));
  /* host functions, and calls by path */
  cu_host_setfn(S, on_host);
  CHECK(cu_host_register(S, "h.twice", 7) == CU_OK);
  CHECK(cut_run(S, "return h.twice(21)", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\x18\x2a"));
  CHECK(cut_run(S, "return select(2, pcall(h.twice, 1))", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "bad args"));
  CHECK(cut_run(S, "h.twice(1)", CU_RESULT_LAST) == CU_ERRUPCALL);
  CHECK(cut_out_has(S, "test:1: bad args"));
  CHECK(cu_host_register(S, "_VERSION.x", 1) == CU_ERRARG);
  CHECK(cu_state_call(S, "h.twice", (const unsigned char *)"\x81\x15", 2, CU_RESULT_LAST) == CU_OK
        && OUT_IS(S, "\x18\x2a"));
  CHECK(cu_state_call(S, "nope", (const unsigned char *)"\x80", 1, CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "'nope' is not a function"));
  CHECK(cu_state_call(S, "string.rep", (const unsigned char *)"\x82\x61x\x03", 4, CU_RESULT_LAST) == CU_OK
        && OUT_IS(S, "\x63xxx"));
  cu_state_close(S);
  return cut_done();
}
