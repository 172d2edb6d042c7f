/* test_ext.c - external tables through the C ABI, with a store written in C. */
#include "cutest.h"

/* A tiny store: remembers the last delta, serves table 1 from 'home'. */
static cu_State *cur;
static unsigned char delta[4096];
static size_t deltalen;
static int commits, loads, failcommit;
static const unsigned char *home;
static size_t homelen;
static unsigned char removed[512]; /* the commit's reply: ids of tables the store removed */
static size_t removedlen;

static int on_load (cu_State *from, int64_t id) {
  (void)from;
  loads++;
  if (id == 1 && home != NULL)
    return cu_upcall_reply(cur, home, homelen);
  return 0;
}

static int on_commit (cu_State *from, const unsigned char *d, size_t len) {
  (void)from;
  if (failcommit) {
    cu_upcall_reply(cur, (const unsigned char *)"disk full", 9);
    return 1;
  }
  commits++;
  deltalen = len < sizeof delta ? len : sizeof delta;
  memcpy(delta, d, deltalen);
  return removedlen > 0 && cu_upcall_reply(cur, removed, removedlen) != CU_OK;
}

static int on_host (int32_t fn, const unsigned char *args, size_t len) {
  if (fn == 7 && tc_is(args, len, "[21]"))
    return cu_upcall_reply(cur, TC_BYTES("[42]"));
  cu_upcall_reply(cur, (const unsigned char *)"bad args", 8);
  return 1;
}

/* The last delta is, or holds, the item in diagnostic notation (cbortest.h). */
#define DELTA_IS(diag) tc_is(delta, deltalen, diag)

#define DELTA_HAS(diag) tc_has(delta, deltalen, diag)

/*
** A commit the store accepted is the run's, whatever the memory limit. The
** run fills the limit with a list of small tables, gives the last k of
** them back, then changes _home, and the store replies that it removed the
** tables. Swept over k, running out moves from the writes to the commit and
** past it: a run either fails before the store sees its changes
** (CU_ERRMEM) or succeeds, and then every proxy of a removed table is
** marked, so it is written in full when it is attached again.
*/
static void detach_after_commit_under_limits (void) {
  static const char fill[] = "local M = {__index = function() return 0 end} _home.M = M "
                             "keep = {} for i = 1, 40 do local t = setmetatable({x = i}, M) "
                             "_home[i] = t keep[i] = _home[i] end";
  static const char brim[] =
    "local head = {} pad = head "
    "pcall(function() local p = head while true do p.n = {} p = p.n end end) "
    "local n, p = 0, head while p.n do n = n + 1 p = p.n end "
    "p = head for i = 1, n - %d do p = p.n end p.n = nil "
    "for i = 1, 40 do _home[i] = nil end";
  char code[sizeof brim + 16];
  int accepted = 0, refused = 0;
  home = NULL; /* an empty _home */
  homelen = 0;
  removedlen = 0; /* every id the fill can have used: one without a proxy is skipped */
  removed[removedlen++] = CU_CBOR_IB(CU_CBOR_ARRAY, CU_CBOR_AI_1);
  removed[removedlen++] = 128;
  for (int i = 100; i < 228; i++) {
    removed[removedlen++] = CU_CBOR_IB(CU_CBOR_UINT, CU_CBOR_AI_1);
    removed[removedlen++] = (unsigned char)i;
  }
  for (int k = 0; k <= 200; k++) {
    int before, st;
    size_t saved = removedlen;
    cu_State *S = cut_state(256 * 1024, 1);
    cur = S;
    cu_ext_setstore(S, on_load, on_commit);
    cu_ext_setnextid(S, 100);
    removedlen = 0;
    CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK && cut_run(S, fill, CU_RESULT_LAST) == CU_OK);
    removedlen = saved;
    snprintf(code, sizeof code, brim, k);
    before = commits;
    st = cut_run(S, code, CU_RESULT_LAST);
    removedlen = 0;
    if (commits > before) { /* the store took the changes: the run is done */
      CHECK(st == CU_OK);
      accepted++;
      CHECK(cut_run(S, "pad = nil _home.back = keep[40]", CU_RESULT_LAST) == CU_OK);
      CHECK(DELTA_HAS("\"back\"") && DELTA_HAS("\"x\"") && DELTA_HAS("40")); /* in full */
    }
    else {
      CHECK(st == CU_ERRMEM);
      refused++;
    }
    removedlen = saved;
    cu_state_close(S);
  }
  removedlen = 0;
  CHECK(accepted > 0 && refused > 0);
}

int main (void) {
  cu_State *S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, on_load, on_commit);
  cu_ext_setnextid(S, 3);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);

  /* one scalar write: [[1, "v", 5]] */
  CHECK(cut_run(S, "_home.v = 5", CU_RESULT_LAST) == CU_OK);
  CHECK(commits == 1 && loads == 1);
  CHECK(DELTA_IS("[_3 [1, \"v\", 5]]"));
  /* a read of a loaded table does not call the store */
  CHECK(cut_run(S, "return _home.v + 1", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "6"));
  CHECK(loads == 1 && commits == 1);
  /* a table becomes a new external table 3, referenced by tag EXTREF */
  CHECK(cut_run(S, "_home.t = {x = 1}", CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "null") && commits == 2);
  {
    int ok;
    CHECK(tc_deltacount(delta, deltalen, &ok) == 2 && ok);
    CHECK(DELTA_HAS("[1, \"t\", EXTREF(3)]"));
  }
  CHECK(cu_state_info(S)->ext_nextid == 4);
  /* write-through, identity, iteration, length, table library */
  CHECK(cut_run(S, "local d = _home.t d.x = 7 return _home.t.x", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "7"));
  CHECK(cut_run(S, "return _home.t == _home.t", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cut_run(S,
                "_home.l = {'a', 'b'} table.insert(_home.l, 'c') "
                "return #_home.l .. table.concat(_home.l)",
                CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "\"3abc\""));
  CHECK(cut_run(S, "local n = 0 for k in pairs(_home) do n = n + 1 end return n", CU_RESULT_LAST) ==
          CU_OK &&
        OUT_IS(S, "3"));
  CHECK(cut_run(S, "return next(_home) ~= nil", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cut_run(S, "return _home.t", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "{\"x\": 7}"));
  /* refused: threads, table keys, rawset; the old value stays */
  CHECK(cut_run(S, "_home.v = coroutine.create(print)", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "cannot store a thread"));
  CHECK(cut_run(S, "_home[{}] = 1", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "rawset(_home, 'v', 1)", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "return _home.v", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "5"));
  /* a bigint is stored as itself (tag 2 or 3, small ones too); as a key it is refused */
  CHECK(cut_run(S, "_home.big = require('bigint').new(2) ^ 64", CU_RESULT_LAST) == CU_OK &&
        DELTA_IS("[_3 [1, \"big\", 2(h'010000000000000000')]]"));
  CHECK(cut_run(S, "_home.nb = require('bigint').new(-5)", CU_RESULT_LAST) == CU_OK &&
        DELTA_IS("[_3 [1, \"nb\", 3(h'04')]]"));
  CHECK(cut_run(S, "_home.bt = {n = require('bigint').new(0)}", CU_RESULT_LAST) == CU_OK &&
        DELTA_HAS("[5, \"n\", 2(h'')]"));
  CHECK(cut_run(S, "return _home.big + 1 == require('bigint').new(2) ^ 64 + 1", CU_RESULT_LAST) ==
          CU_OK &&
        OUT_IS(S, "true"));
  CHECK(cut_run(S, "_home[require('bigint').new(1)] = 1", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "external tables take string, number and boolean keys, not bigint"));
  CHECK(cut_run(S, "_home.big = nil _home.nb = nil _home.bt = nil", CU_RESULT_LAST) == CU_OK);
  /* a failed run commits nothing and its changes are gone */
  commits = 0;
  CHECK(cut_run(S, "_home.v = 6 _home.t.x = 8 error('no')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(commits == 0);
  CHECK(cut_run(S, "return _home.v", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "null"));
  /* (the C store above does not keep data: a reload after rollback is empty) */
  /* a failed commit is an upcall error and rolls back */
  failcommit = 1;
  CHECK(cut_run(S, "_home.w = 1", CU_RESULT_LAST) == CU_ERRUPCALL);
  CHECK(cut_out_has(S, "storage error: disk full"));
  failcommit = 0;
  /* data served by the store decodes, with references to other tables */
  {
    static uint8_t rows[64];
    homelen =
      tc_diag("{\"a\": 42, \"b\": EXTREF(9), \"c\": 3(h'ffffffffffffffff')}", rows, sizeof rows);
    home = rows;
  }
  cu_state_close(S);
  S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, on_load, on_commit);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);
  CHECK(cut_run(S, "return _home.a, type(_home.b)", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[42, \"table\"]"));
  /* a bigint row loads as a bigint, without require('bigint') */
  CHECK(cut_run(S, "return getmetatable(_home.c), tostring(_home.c - 1)", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[\"bigint\", \"-18446744073709551617\"]"));
  /* an array stays one in the store, empty too; json.null is a tag, a null would delete */
  cu_ext_setnextid(S, 30);
  CHECK(cut_run(S, "_home.xs = require('json').array({})", CU_RESULT_LAST) == CU_OK &&
        DELTA_HAS("[30, ARRAY(null), true]"));
  CHECK(cut_run(S, "local json = require('json') _home.ys = {1, json.null}", CU_RESULT_LAST) ==
          CU_OK &&
        DELTA_HAS("[31, 2, NULL(null)]") && DELTA_HAS("[31, ARRAY(null), true]") == 0);
  /* json.array on a stored table marks its content and writes the array row */
  CHECK(cut_run(S, "_home.e = {} _home.e.k = 1", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_run(S, "local e = _home.e e.k = nil require('json').array(e) return e",
                CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "[]") && DELTA_HAS("ARRAY(null)"));
  CHECK(cut_run(S, "return require('json').encode(_home.e)", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "\"[]\""));
  CHECK(cut_run(S, "require('json').array(_io) return _io", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "[]"));
  CHECK(cut_run(S, "_home.zs = _io", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("[1, null]")) == CU_OK);
  CHECK(cut_run(S, "_home.zs = _io.input", CU_RESULT_LAST) == CU_OK &&
        DELTA_HAS("[33, 2, NULL(null)]") && DELTA_HAS("[33, ARRAY(null), true]"));
  /* a table the store removed, still held by Lua, is written in full when attached again */
  cu_ext_setnextid(S, 20);
  CHECK(cut_run(S, "_home.t = {x = 1}", CU_RESULT_LAST) == CU_OK && DELTA_HAS("[20, \"x\", 1]"));
  CHECK(cut_run(S, "keep = _home.t _home.t = nil", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_ext_detached(S, TC_BYTES("[20, 99, 18446744073709551615]")) == CU_OK);
  CHECK(cut_run(S, "_home.back = keep", CU_RESULT_LAST) == CU_OK && DELTA_HAS("[20, \"x\", 1]"));
  CHECK(cut_run(S, "_home.again = keep", CU_RESULT_LAST) == CU_OK && !DELTA_HAS("[20, \"x\", 1]"));
  /* a malformed list is refused and changes nothing */
  CHECK(cu_ext_detached(S, TC_BYTES("20")) != CU_OK);
  {
    uint8_t b[16];
    size_t n = 0;
    tc_put(b, &n, CU_CBOR_ARRAY, 2); /* [20, ...: cut short */
    tc_put(b, &n, CU_CBOR_UINT, 20);
    CHECK(cu_ext_detached(S, b, n) != CU_OK);
    n = 0;
    tc_put(b, &n, CU_CBOR_ARRAY, 1); /* [an 8-byte id cut after its first byte] */
    b[n++] = CU_CBOR_IB(CU_CBOR_UINT, CU_CBOR_AI_8);
    b[n++] = 0;
    CHECK(cu_ext_detached(S, b, n) != CU_OK);
  }
  CHECK(cut_run(S, "return keep.x", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "1"));
  /* host functions, and calls by path */
  cu_host_setfn(S, on_host);
  CHECK(cu_host_register(S, "h.twice", 7) == CU_OK);
  CHECK(cut_run(S, "return h.twice(21)", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "42"));
  CHECK(cut_run(S, "return select(2, pcall(h.twice, 1))", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "bad args"));
  CHECK(cut_run(S, "h.twice(1)", CU_RESULT_LAST) == CU_ERRUPCALL);
  CHECK(cut_out_has(S, "test:1: bad args"));
  CHECK(cu_host_register(S, "_VERSION.x", 1) == CU_ERRARG);
  CHECK(cu_state_call(S, "h.twice", TC_BYTES("[21]"), CU_RESULT_LAST) == CU_OK && OUT_IS(S, "42"));
  CHECK(cu_state_call(S, "nope", TC_BYTES("[]"), CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "'nope' is not a function"));
  { /* arguments that are not an array are named as such, whatever their length form */
    const unsigned char b[] = {CU_CBOR_IB(CU_CBOR_MAP, 31)};
    CHECK(cu_state_call(S, "string.rep", b, sizeof b, CU_RESULT_LAST) == CU_ERRRUN);
    CHECK(cut_out_has(S, "expected an array of values"));
  }
  CHECK(cu_state_call(S, "string.rep", TC_BYTES("[\"x\", 3]"), CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "\"xxx\""));
  /* rows with the array key and json.null load as an array holding json.null */
  {
    static uint8_t rows[64];
    homelen = tc_diag("{1: 7, 2: NULL(null), ARRAY(null): true}", rows, sizeof rows);
    home = rows;
  }
  cu_state_close(S);
  S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, on_load, on_commit);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);
  CHECK(cut_run(S, "return _home", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "[7, null]"));
  CHECK(cut_run(S, "return _home[2] == require('json').null, #_home", CU_RESULT_ALL) == CU_OK &&
        OUT_IS(S, "[true, 2]"));
  CHECK(cut_run(S, "_home[1] = nil _home[2] = nil return _home", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "[]"));
  homelen = tc_diag("{ARRAY(1): true}", (uint8_t *)home, 64);
  cu_state_close(S);
  S = cut_state(0, 1);
  cur = S;
  cu_ext_setstore(S, on_load, on_commit);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK);
  CHECK(cut_run(S, "return _home", CU_RESULT_LAST) != CU_OK);
  CHECK(cut_out_has(S, "the array key carries null"));
  cu_state_close(S);
  detach_after_commit_under_limits();
  return cut_done();
}
