/*
** test_handle.c - the handle exports (cu.h): references checked before
** use (a bad one is CU_ERRARG and changes nothing), calls, tables and
** coroutines through references, handles in values from Java, limits.
*/
#include <math.h>
#include <string.h>

#include "cutest.h"

/* A handle of what 'path' names, or 0. */
static int path (cu_State *S, const char *p, int kind) {
  return cu_handle_path(S, p, kind) == CU_OK ? cut_out_ref(S) : 0;
}

static void badReferencesAreRefusedWithoutRunning (void) {
  cu_State *S = cut_state(0, 0);
  int f, t, st = 0;
  CHECK(cut_run(S, "n = 0 function f() n = n + 1 end t = {}", CU_RESULT_LAST) == CU_OK);
  f = path(S, "f", CU_HANDLE_FUNCTION);
  t = path(S, "t", CU_HANDLE_TABLE);
  CHECK(f > 0 && t > 0 && f != t && cu_handle_count(S) == 2);
  CHECK(cu_handle_call(S, 0, NULL, 0, CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_handle_call(S, -1, NULL, 0, CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_handle_call(S, 999, NULL, 0, CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_handle_call(S, t, NULL, 0, CU_RESULT_LAST) == CU_ERRARG); /* not a function */
  CHECK(cu_handle_call(S, f, NULL, 0, CU_RESULT_LAST | 16) == CU_ERRARG);
  CHECK(cu_handle_get(S, f, TC_BYTES("1"), CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_handle_set(S, f, TC_BYTES("[1, 2]"), 0) == CU_ERRARG);
  CHECK(cu_handle_len(S, f) == CU_ERRARG);
  CHECK(cu_handle_value(S, 999, CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_handle_thread(S, t) == CU_ERRARG);
  CHECK(cu_handle_resume(S, f, NULL, 0, CU_RESULT_ALL) == CU_ERRARG);
  CHECK(cu_handle_status(S, f, &st) == CU_ERRARG);
  CHECK(cu_handle_path(S, "f", 7) == CU_ERRARG);
  CHECK(cut_run(S, "return n", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "0")); /* nothing ran */
  CHECK(cu_handle_free(S, f) == CU_OK);
  CHECK(cu_handle_free(S, f) == CU_ERRARG); /* twice */
  CHECK(cu_handle_free(S, 0) == CU_ERRARG);
  CHECK(cu_handle_free(S, 12345) == CU_ERRARG);
  CHECK(cu_handle_call(S, f, NULL, 0, CU_RESULT_LAST) == CU_ERRARG); /* released */
  CHECK(cu_handle_count(S) == 1);
  CHECK(cu_handle_free(S, t) == CU_OK && cu_handle_count(S) == 0);
  /* a released slot is reused, for another value */
  CHECK(path(S, "t", CU_HANDLE_TABLE) > 0 && cu_handle_count(S) == 1);
  cu_state_close(S);
}

static void functionsLoadResolveAndCall (void) {
  cu_State *S = cut_state(0, 0);
  const char *code = "local a, b = ... return a + b, a * b";
  int f = 0, g;
  CHECK(cu_handle_load(S, code, strlen(code), "=add", &f) == CU_OK && f > 0);
  CHECK(cu_handle_call(S, f, TC_BYTES("[2, 5]"), CU_RESULT_LAST) == CU_OK && OUT_IS(S, "10"));
  CHECK(cu_handle_call(S, f, NULL, 9, CU_RESULT_LAST) == CU_ERRRUN); /* NULL: no arguments */
  CHECK(cu_handle_call(S, f, TC_BYTES("[2, 5]"), CU_RESULT_ALL) == CU_OK && OUT_IS(S, "[7, 10]"));
  CHECK(cu_handle_load(S, "return +", 8, "=bad", &g) == CU_ERRSYNTAX && cut_out_has(S, "bad:1:"));
  CHECK(cu_handle_call(S, f, TC_BYTES("[2, {}]"), CU_RESULT_LAST) == CU_ERRRUN &&
        cut_out_has(S, "arithmetic"));
  CHECK(cu_handle_path(S, "math.nope", CU_HANDLE_FUNCTION) == CU_ERRRUN &&
        cut_out_has(S, "'math.nope' is not a function"));
  CHECK(cu_handle_path(S, "nope.x", CU_HANDLE_TABLE) == CU_ERRRUN &&
        cut_out_has(S, "'nope.x' is not a table"));
  g = path(S, "math.max", CU_HANDLE_FUNCTION);
  CHECK(cu_handle_call(S, g, TC_BYTES("[3, 9, 4]"), CU_RESULT_LAST) == CU_OK && OUT_IS(S, "9"));
  /* a result's function is a new handle */
  CHECK(cu_handle_call(S, f, TC_BYTES("[1, 1]"), CU_RESULT_LAST) == CU_OK);
  CHECK(cut_run(S, "return function() return 7 end", CU_RESULT_LAST) == CU_OK);
  g = cut_out_ref(S);
  CHECK(g > 0 && cu_handle_call(S, g, NULL, 0, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "7"));
  cu_state_close(S);
}

static void tablesThroughReferences (void) {
  cu_State *S = cut_state(0, 0);
  int t, h, f;
  unsigned char b[32];
  size_t n = 0;
  CHECK(cut_run(S,
                "t = {10, 20, x = 'y'} "
                "h = setmetatable({}, {__index = function(_, k) return k .. '!' end, "
                "__len = function() return 42 end}) "
                "function same(a, b) return rawequal(a, b) end",
                CU_RESULT_LAST) == CU_OK);
  t = path(S, "t", CU_HANDLE_TABLE);
  h = path(S, "h", CU_HANDLE_TABLE);
  f = path(S, "same", CU_HANDLE_FUNCTION);
  CHECK(cu_handle_get(S, t, TC_BYTES("\"x\""), CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\"y\""));
  CHECK(cu_handle_get(S, h, TC_BYTES("\"a\""), CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\"a!\""));
  CHECK(cu_handle_len(S, t) == CU_OK && OUT_IS(S, "2"));
  CHECK(cu_handle_len(S, h) == CU_OK && OUT_IS(S, "42"));
  CHECK(cu_handle_set(S, t, TC_BYTES("[3, 30]"), 0) == CU_OK);
  CHECK(cu_handle_set(S, t, TC_BYTES("[null, 1]"), 0) == CU_ERRRUN && cut_out_has(S, "nil"));
  CHECK(cu_handle_set(S, t, TC_BYTES("[1]"), 0) == CU_ERRRUN);
  CHECK(cu_handle_value(S, t, CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "{1: 10, 2: 20, 3: 30, \"x\": \"y\"}"));
  /* a handle in a value from Java is the same Lua value */
  tc_put(b, &n, CU_CBOR_ARRAY, 2);
  tc_put(b, &n, CU_CBOR_TAG, CU_TAG_HANDLE);
  tc_put(b, &n, CU_CBOR_UINT, (uint64_t)t);
  memcpy(b + n, b + 1, n - 1);
  n += n - 1;
  CHECK(cu_handle_call(S, f, b, n, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cu_io_set(S, "input", NULL, b + 1, (n - 1) / 2) == CU_OK);
  CHECK(cut_run(S, "return _io.input == t", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cu_handle_free(S, t) == CU_OK);
  CHECK(cu_handle_call(S, f, b, n, CU_RESULT_LAST) == CU_ERRRUN &&
        cut_out_has(S, "invalid handle"));
  CHECK(cu_io_set(S, "input", NULL, b + 1, (n - 1) / 2) == CU_ERRVALUE);
  cu_state_close(S);
}

static void coroutinesResumeToTheEnd (void) {
  cu_State *S = cut_state(0, 0);
  int f, co, st = -1;
  CHECK(cut_run(S, "function gen(a) local b = coroutine.yield(a + 1) return b * 2, 'done' end",
                CU_RESULT_LAST) == CU_OK);
  f = path(S, "gen", CU_HANDLE_FUNCTION);
  CHECK(cu_handle_thread(S, f) == CU_OK);
  co = cut_out_ref(S);
  CHECK(co > 0 && cu_handle_status(S, co, &st) == CU_OK && st == CU_CO_SUSPENDED);
  CHECK(cu_handle_resume(S, co, TC_BYTES("[1]"), CU_RESULT_ALL) == CU_OK && OUT_IS(S, "[2]"));
  CHECK(cu_handle_status(S, co, &st) == CU_OK && st == CU_CO_SUSPENDED);
  CHECK(cu_handle_resume(S, co, TC_BYTES("[5]"), CU_RESULT_ALL) == CU_OK &&
        OUT_IS(S, "[10, \"done\"]"));
  CHECK(cu_handle_status(S, co, &st) == CU_OK && st == CU_CO_DEAD);
  CHECK(cu_handle_resume(S, co, NULL, 0, CU_RESULT_ALL) == CU_ERRRUN &&
        cut_out_has(S, "dead coroutine"));
  CHECK(cu_handle_free(S, co) == CU_OK);
  /* closing runs the pending to-be-closed variables */
  CHECK(cut_run(S,
                "closed = false function tbc() local x <close> = setmetatable({}, "
                "{__close = function() closed = true end}) coroutine.yield() end",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cu_handle_thread(S, path(S, "tbc", CU_HANDLE_FUNCTION)) == CU_OK);
  co = cut_out_ref(S);
  CHECK(cu_handle_resume(S, co, NULL, 0, CU_RESULT_ALL) == CU_OK);
  CHECK(cu_handle_close(S, co) == CU_OK);
  CHECK(cu_handle_status(S, co, &st) == CU_OK && st == CU_CO_DEAD);
  CHECK(cut_run(S, "return closed", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cu_handle_close(S, f) == CU_ERRARG);
  CHECK(cu_handle_free(S, co) == CU_OK && cu_handle_free(S, f) == CU_OK);
  CHECK(cu_handle_count(S) == 1); /* tbc's function */
  cu_state_close(S);
}

static void callsThroughReferencesAreLimited (void) {
  cu_State *S = cut_state(0, 1);
  int f;
  CHECK(cu_state_limit(S, 0, 100000) == CU_OK);
  CHECK(cut_run(S, "function spin() while true do end end", CU_RESULT_LAST) == CU_OK);
  f = path(S, "spin", CU_HANDLE_FUNCTION);
  CHECK(cu_handle_call(S, f, NULL, 0, CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(cu_state_info(S)->reason == CU_STOP_INSTRUCTIONS);
  CHECK(cu_handle_call(S, f, NULL, 0, CU_RESULT_LAST) == CU_ERRSTOP); /* usable again */
  cu_state_close(S);
}

static void failedRunsReleaseTheirHandles (void) {
  cu_State *S = cut_state(0, 0);
  /* the result's function got a reference before the cycle failed the encoding */
  CHECK(cut_run(S, "local t = {print} t[2] = t return t", CU_RESULT_LAST) == CU_ERRVALUE);
  CHECK(cu_handle_count(S) == 0);
  cu_state_close(S);
}

/*
** Host function 0, apply(fn): calls its argument, a handle, with 21 from
** inside the host call (a nested run), replies with its results and
** releases the handle.
*/
static cu_State *host;
static int nested; /* status of the last nested call */

static int apply (int32_t fn, const unsigned char *args, size_t len) {
  const uint8_t *p = args, *end = args + len;
  const cu_Info *I = cu_state_info(host);
  unsigned major;
  uint64_t n, ref;
  (void)fn;
  if (!tc_head(&p, end, &major, &n) || n != 1 || !tc_tag(&p, end, CU_TAG_HANDLE) ||
      !tc_head(&p, end, &major, &n) || !tc_head(&p, end, &major, &ref))
    return 1;
  nested = cu_handle_call(host, (int)ref, TC_BYTES("[21]"), CU_RESULT_ALL);
  if (nested == CU_OK)
    cu_upcall_reply(host, I->out, (size_t)I->outlen);
  cu_handle_free(host, (int)ref);
  return nested != CU_OK;
}

static void handlesCalledFromAHostFunctionNest (void) {
  host = cut_state(0, 1);
  cu_host_setfn(host, apply);
  CHECK(cu_host_register(host, "apply", 0) == CU_OK);
  CHECK(cut_run(host, "local k = 2 return apply(function(x) return x * k, 'two' end)",
                CU_RESULT_ALL) == CU_OK &&
        OUT_IS(host, "[42, \"two\"]"));
  CHECK(nested == CU_OK && cu_handle_count(host) == 0);
  /* an error in the callback is the host function's failure, which Lua may catch */
  CHECK(cut_run(host, "return pcall(apply, function() error('cb') end)", CU_RESULT_ALL) == CU_OK);
  CHECK(nested == CU_ERRRUN && cu_state_info(host)->out[1] == CU_CBOR_FALSE);
  /* the outer run goes on after a nested one, and its print output is kept */
  CHECK(cut_run(host, "print('a') apply(function() print('b') end) print('c') return 1",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_info(host)->printlen == 6 &&
        memcmp(cu_state_info(host)->print, "a\nb\nc\n", 6) == 0);
  /* a stop inside the callback stops the outer run */
  CHECK(cu_state_limit(host, 0, 200000) == CU_OK);
  CHECK(cut_run(host, "apply(function() while true do end end) return 1", CU_RESULT_LAST) ==
        CU_ERRSTOP);
  CHECK(nested == CU_ERRSTOP && cu_handle_count(host) == 0);
  cu_state_close(host);
}

/* Scalars in the slots: used only once made, checked before use, same results as CBOR. */
static void slotsCarryScalarsAndRefuseBadOnes (void) {
  cu_State *S = cut_state(0, 0);
  cu_Slots *k;
  int f, t;
  double half = 0.5;
  CHECK(cut_run(S, "function f(...) return ... end t = {}", CU_RESULT_LAST) == CU_OK);
  f = path(S, "f", CU_HANDLE_FUNCTION);
  t = path(S, "t", CU_HANDLE_TABLE);
  /* before cu_state_slots, no export takes a slots mode */
  CHECK(cu_handle_call(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRARG);
  CHECK(cu_handle_call(S, f, NULL, 0, CU_RESULT_SLOTS) == CU_ERRARG);
  CHECK(cu_state_call(S, "f", NULL, 0, CU_RESULT_SLOTS) == CU_ERRARG);
  k = cu_state_slots(S);
  CHECK(k != NULL && cu_state_slots(S) == k);
  /* integer, float, text in; all out, in the slots */
  k->n = 3;
  k->slot[0].type = CU_SLOT_INT;
  k->slot[0].v = -7;
  k->slot[1].type = CU_SLOT_FLOAT;
  memcpy(&k->slot[1].v, &half, sizeof half);
  k->slot[2].type = CU_SLOT_TEXT;
  k->slot[2].v = 10;
  k->slot[2].len = 2;
  memcpy(k->text + 10, "hi", 2);
  CHECK(cu_handle_call(S, f, NULL, 0, CU_RESULT_ALL | CU_ARGS_SLOTS | CU_RESULT_SLOTS) == CU_OK);
  CHECK(k->n == 3 && k->slot[0].type == CU_SLOT_INT && k->slot[0].v == -7);
  CHECK(k->slot[1].type == CU_SLOT_FLOAT && memcmp(&k->slot[1].v, &half, sizeof half) == 0);
  CHECK(k->slot[2].type == CU_SLOT_TEXT && k->slot[2].len == 2 &&
        memcmp(k->text + k->slot[2].v, "hi", 2) == 0);
  /* a table result goes to the payload, and the slots say so */
  CHECK(cut_run(S, "g = function() return {1} end", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_call(S, "g", NULL, 0, CU_RESULT_LAST | CU_RESULT_SLOTS) == CU_OK);
  CHECK(k->n == CU_SLOTS_CBOR && OUT_IS(S, "[1]"));
  /* a string that is not UTF-8 comes back as bytes */
  CHECK(cut_run(S, "s = string.char(255)", CU_RESULT_LAST) == CU_OK);
  k->n = 1;
  k->slot[0].type = CU_SLOT_TEXT;
  k->slot[0].v = 0;
  k->slot[0].len = 1;
  k->text[0] = 's';
  CHECK(cu_handle_get(S, path(S, "_G", CU_HANDLE_TABLE), NULL, 0,
                      CU_ARGS_SLOTS | CU_RESULT_SLOTS) == CU_OK);
  CHECK(k->n == 1 && k->slot[0].type == CU_SLOT_BYTES && k->slot[0].len == 1);
  /* a table write from the slots */
  k->n = 2;
  k->slot[0].type = CU_SLOT_TRUE;
  k->slot[1].type = CU_SLOT_INT;
  k->slot[1].v = 5;
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK);
  CHECK(cut_run(S, "return t[true]", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "5"));
  CHECK(cu_handle_set(S, t, NULL, 0, 0) == CU_ERRARG); /* no CBOR, no slots */
  /* bad slots are a Lua error, never a read outside them */
  k->n = CU_SLOTS_MAX + 1;
  CHECK(cu_handle_call(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "bad slots"));
  k->n = -2;
  CHECK(cu_handle_call(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "bad slots"));
  k->n = 1;
  k->slot[0].type = 99;
  CHECK(cu_handle_call(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "type 99"));
  k->slot[0].type = CU_SLOT_TEXT;
  k->slot[0].v = CU_SLOTS_TEXT - 1;
  k->slot[0].len = 2;
  CHECK(cu_handle_call(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "range"));
  k->slot[0].v = -1;
  k->slot[0].len = 0;
  CHECK(cu_handle_call(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "range"));
  /* coroutines do not take the slots */
  CHECK(cu_handle_resume(S, f, NULL, 0, CU_ARGS_SLOTS) == CU_ERRARG);
  CHECK(cu_chunk_run(S, 1, CU_ARGS_SLOTS) == CU_ERRARG);
  cu_state_close(S);
}

/*
** A call whose slot arguments need no allocation runs with no C function
** around it; it reports failures, stops and wrong references as any run.
*/
static void plainSlotCallsReportLikeOtherRuns (void) {
  cu_State *S = cut_state(0, 1);
  cu_Slots *k = cu_state_slots(S);
  const int mode = CU_RESULT_LAST | CU_ARGS_SLOTS | CU_RESULT_SLOTS;
  int f, g, t;
  CHECK(cut_run(S,
                "function f(x) if x then error('boom ' .. x) end return 'ok' end "
                "function g() while true do end end t = {}",
                CU_RESULT_LAST) == CU_OK);
  f = path(S, "f", CU_HANDLE_FUNCTION);
  g = path(S, "g", CU_HANDLE_FUNCTION);
  t = path(S, "t", CU_HANDLE_TABLE);
  k->n = 1;
  k->slot[0].type = CU_SLOT_INT;
  k->slot[0].v = 7;
  CHECK(cu_handle_call(S, f, NULL, 0, mode) == CU_ERRRUN && cut_out_has(S, "boom 7") &&
        cut_out_has(S, "stack traceback"));
  k->n = 1;
  k->slot[0].type = CU_SLOT_NIL;
  CHECK(cu_handle_call(S, f, NULL, 0, mode) == CU_OK && k->n == 1 &&
        k->slot[0].type == CU_SLOT_TEXT && memcmp(k->text + k->slot[0].v, "ok", 2) == 0);
  /* a stop's payload has no traceback, not even the last failure's */
  CHECK(cu_state_limit(S, 0, 100000) == CU_OK);
  k->n = 0;
  CHECK(cu_handle_call(S, g, NULL, 0, mode) == CU_ERRSTOP && !cut_out_has(S, "stack traceback"));
  CHECK(cu_state_info(S)->reason == CU_STOP_INSTRUCTIONS);
  /* a table, a released handle, a reference never made: refused before running */
  k->n = 0;
  CHECK(cu_handle_call(S, t, NULL, 0, mode) == CU_ERRARG);
  CHECK(cu_handle_call(S, 999, NULL, 0, mode) == CU_ERRARG);
  CHECK(cu_handle_free(S, g) == CU_OK && cu_handle_call(S, g, NULL, 0, mode) == CU_ERRARG);
  CHECK(cu_state_info(S)->reason == CU_STOP_INSTRUCTIONS); /* no run since the stop */
  cu_state_close(S);
}

/* One key (and value) in the slots: slot 0 text 'key', slot 1 an integer or nothing. */
static void kslots (cu_Slots *k, const char *key, int withvalue, int64_t v) {
  size_t n = strlen(key);
  k->n = withvalue ? 2 : 1;
  k->slot[0].type = CU_SLOT_TEXT;
  k->slot[0].v = 0;
  k->slot[0].len = (int32_t)n;
  memcpy(k->text, key, n);
  k->slot[1].type = CU_SLOT_INT;
  k->slot[1].v = v;
}

/*
** Reads and writes of a table without a metatable skip the run when they
** can run no code and cannot fail; they answer as a run would, and leave
** everything else (metamethods, errors, the memory limit) to a run.
*/
static void rawTableAccessAnswersAsARunWould (void) {
  cu_State *S = cut_state(64 * 1024 * 1024, 1);
  cu_Slots *k = cu_state_slots(S);
  const int get = CU_RESULT_LAST | CU_ARGS_SLOTS | CU_RESULT_SLOTS;
  int t, m;
  CHECK(cut_run(S,
                "t = {k = 1, s = 'str', sub = {}} "
                "m = setmetatable({}, {__index = function(_, key) return key .. '!' end, "
                "__newindex = function(t, key, v) rawset(t, key, v * 10) end})",
                CU_RESULT_LAST) == CU_OK);
  t = path(S, "t", CU_HANDLE_TABLE);
  m = path(S, "m", CU_HANDLE_TABLE);
  for (int round = 0; round < 2; round++) { /* the second round writes keys that exist */
    kslots(k, "k", 0, 0);
    CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->n == 1 &&
          k->slot[0].type == CU_SLOT_INT && k->slot[0].v == (round == 0 ? 1 : 7));
    kslots(k, "s", 0, 0);
    CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->n == 1 &&
          k->slot[0].type == CU_SLOT_TEXT && memcmp(k->text + k->slot[0].v, "str", 3) == 0);
    kslots(k, "sub", 0, 0); /* a table: the payload, through a run */
    CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->n == CU_SLOTS_CBOR);
    kslots(k, "none", 0, 0);
    CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->n == 1 &&
          k->slot[0].type == CU_SLOT_NIL);
    kslots(k, "x", 0, 0); /* a metatable: its __index runs */
    CHECK(cu_handle_get(S, m, NULL, 0, get) == CU_OK && k->n == 1 &&
          memcmp(k->text + k->slot[0].v, "x!", 2) == 0);
    kslots(k, "k", 1, 7 + round);
    CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK);
    kslots(k, "new", 1, 5);
    CHECK(cu_handle_set(S, m, NULL, 0, CU_ARGS_SLOTS) == CU_OK);
  }
  CHECK(cut_run(S, "return t.k .. ' ' .. rawget(m, 'new')", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "\"8 5\"")); /* 'new' existed the second time: no __newindex */
  /* a nil or NaN key is the run's error */
  k->n = 2;
  k->slot[0].type = CU_SLOT_NIL;
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "nil"));
  k->n = 2;
  k->slot[0].type = CU_SLOT_FLOAT;
  {
    double nan = NAN;
    memcpy(&k->slot[0].v, &nan, sizeof nan);
  }
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_ERRRUN && cut_out_has(S, "NaN"));
  /* a released handle is refused, as through a run */
  CHECK(cu_handle_free(S, t) == CU_OK);
  kslots(k, "k", 0, 0);
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_ERRARG);
  kslots(k, "k", 1, 1);
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_ERRARG);
  cu_state_close(S);
  /* growing a table past the memory limit is the run's memory error, and nothing is lost */
  S = cut_state(2 * 1024 * 1024, 1);
  k = cu_state_slots(S);
  CHECK(cut_run(S, "big = {} keep = {n = 1}", CU_RESULT_LAST) == CU_OK);
  {
    int big = path(S, "big", CU_HANDLE_TABLE), st = CU_OK;
    int64_t i;
    for (i = 1; i <= 1000000 && st == CU_OK; i++) {
      k->n = 2;
      k->slot[0].type = CU_SLOT_INT;
      k->slot[0].v = i;
      k->slot[1].type = CU_SLOT_INT;
      k->slot[1].v = i;
      st = cu_handle_set(S, big, NULL, 0, CU_ARGS_SLOTS);
    }
    CHECK(st == CU_ERRMEM && i > 1000);
  }
  CHECK(cut_run(S, "big = nil collectgarbage() return keep.n", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "1"));
  cu_state_close(S);
}

/* Sets the slots to one integer. */
static void islot (cu_Slots *k, int64_t v) {
  k->n = 1;
  k->slot[0].type = CU_SLOT_INT;
  k->slot[0].v = v;
}

/* A call by name reads its global when called, never a function it found before. */
static void callsByNameSeeTheCurrentGlobal (void) {
  cu_State *S = cut_state(0, 1);
  cu_Slots *k = cu_state_slots(S);
  const int mode = CU_RESULT_LAST | CU_ARGS_SLOTS | CU_RESULT_SLOTS;
  CHECK(cut_run(S, "function f(x) return x + 1 end", CU_RESULT_LAST) == CU_OK);
  for (int i = 0; i < 3; i++) { /* each finds the global raw */
    islot(k, i);
    CHECK(cu_state_call(S, "f", NULL, 0, mode) == CU_OK && k->n == 1 && k->slot[0].v == i + 1);
  }
  CHECK(cut_run(S, "function f(x) return x * 10 end", CU_RESULT_LAST) == CU_OK);
  islot(k, 4);
  CHECK(cu_state_call(S, "f", NULL, 0, mode) == CU_OK && k->slot[0].v == 40);
  CHECK(cut_run(S, "f = setmetatable({}, {__call = function(_, x) return -x end})",
                CU_RESULT_LAST) == CU_OK);
  islot(k, 9);
  CHECK(cu_state_call(S, "f", NULL, 0, mode) == CU_OK && k->slot[0].v == -9);
  CHECK(cut_run(S, "f = nil", CU_RESULT_LAST) == CU_OK);
  islot(k, 1);
  CHECK(cu_state_call(S, "f", NULL, 0, mode) == CU_ERRRUN && cut_out_has(S, "is not a function"));
  cu_state_close(S);
}

int main (void) {
  badReferencesAreRefusedWithoutRunning();
  callsByNameSeeTheCurrentGlobal();
  rawTableAccessAnswersAsARunWould();
  plainSlotCallsReportLikeOtherRuns();
  functionsLoadResolveAndCall();
  tablesThroughReferences();
  coroutinesResumeToTheEnd();
  callsThroughReferencesAreLimited();
  failedRunsReleaseTheirHandles();
  handlesCalledFromAHostFunctionNest();
  slotsCarryScalarsAndRefuseBadOnes();
  return cut_done();
}
