/*
** test_raw.c - raw table access through Lua's internals (cu_raw.c), against
** a run: random reads and writes of a handle's table through the slots,
** between runs that change the table, make and drop strings of the keys'
** bytes and step the collector, each checked by a chunk that reads the
** same key.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "cutest.h"

/* A key of the pool: its Lua literal in 'lit', its slot in k->slot[0]. */
static void key (cu_Slots *k, char *lit, size_t litsize) {
  static const int64_t ints[] = {1, 2, 3, 4, 8, 100, 101, -1, 0, INT64_MAX};
  unsigned kind = cut_rnd(5);
  if (kind == 0) {
    int64_t v = ints[cut_rnd(sizeof ints / sizeof ints[0])];
    k->slot[0].type = CU_SLOT_INT;
    k->slot[0].v = v;
    snprintf(lit, litsize, "math.tointeger(%lld)", (long long)v);
    return;
  }
  if (kind == 1) /* long: no short string can be it */
    snprintf(k->text, CU_SLOTS_TEXT, "long%044u", cut_rnd(6));
  else if (kind == 2) /* made and dropped by the churn: garbage, in t only now and then */
    snprintf(k->text, CU_SLOTS_TEXT, "g%u", cut_rnd(40));
  else /* short ones t may hold */
    snprintf(k->text, CU_SLOTS_TEXT, "k%u", cut_rnd(12));
  k->slot[0].type = CU_SLOT_TEXT;
  k->slot[0].v = 0;
  k->slot[0].len = (int32_t)strlen(k->text);
  snprintf(lit, litsize, "'%.60s'", k->text);
}

/* Whether chunk 'code' returns true. */
static int holds (cu_State *S, const char *code) {
  return cut_run(S, code, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true");
}

/* Writes the Lua literal of slot 's' of 'k' into buf; 0 when it is no scalar or its text is bad. */
static int literal (const cu_Slots *k, const cu_Slot *s, char *buf, size_t size) {
  double d;
  switch (s->type) {
    case CU_SLOT_NIL: snprintf(buf, size, "nil"); return 1;
    case CU_SLOT_TRUE: snprintf(buf, size, "true"); return 1;
    case CU_SLOT_FALSE: snprintf(buf, size, "false"); return 1;
    case CU_SLOT_INT: snprintf(buf, size, "math.tointeger(%lld)", (long long)s->v); return 1;
    case CU_SLOT_FLOAT:
      memcpy(&d, &s->v, sizeof d);
      snprintf(buf, size, "%.17g", d);
      return 1;
    case CU_SLOT_TEXT:
      if (s->v < 0 || s->len < 0 || s->v + s->len > CU_SLOTS_TEXT || s->len > 100)
        return 0;
      snprintf(buf, size, "'%.*s'", (int)s->len, k->text + s->v);
      return 1;
    default: return 0;
  }
}

/* Sets slot 1 of 'k' to a random scalar: nil, false, true, an integer or a float. */
static void value (cu_Slots *k) {
  cu_Slot *s = &k->slot[1];
  s->type = CU_SLOT_NIL + (int32_t)cut_rnd(5);
  if (s->type == CU_SLOT_INT)
    s->v = (int64_t)cut_rnd(1000) - 500;
  else if (s->type == CU_SLOT_FLOAT) {
    double d = (double)cut_rnd(1000) + 0.25;
    memcpy(&s->v, &d, sizeof d);
  }
}

/* Whether t[klit] is the value of literal 'vlit', of the same number subtype. */
static int holdsvalue (cu_State *S, const char *klit, const char *vlit) {
  char code[512];
  snprintf(code, sizeof code,
           "local v, w = t[%s], %s return rawequal(v, w) and math.type(v) == math.type(w)", klit,
           vlit);
  return holds(S, code);
}

/* Whether t[lit] is what slot 0 of 'k' says (a value read into the slots, or CBOR's). */
static int agrees (cu_State *S, cu_Slots *k, const char *lit) {
  char code[256], v[160];
  if (k->n == CU_SLOTS_CBOR) {
    snprintf(code, sizeof code, "return type(t[%s]) == 'table'", lit);
    return holds(S, code);
  }
  return k->n == 1 && literal(k, &k->slot[0], v, sizeof v) && holdsvalue(S, lit, v);
}

/* Runs one of the changes and churns that happen between raw accesses. */
static void between (cu_State *S, const char *klit) {
  char code[256];
  switch (cut_rnd(6)) {
    case 0: snprintf(code, sizeof code, "t[%s] = nil", klit); break;
    case 1: snprintf(code, sizeof code, "t[%s] = {}", klit); break;
    case 2: snprintf(code, sizeof code, "t[%s] = 'v' .. %u", klit, cut_rnd(9)); break;
    case 3: snprintf(code, sizeof code, "for i = 0, 39 do local s = 'g' .. i end"); break;
    case 4: snprintf(code, sizeof code, "collectgarbage('step', 0)"); break;
    default: snprintf(code, sizeof code, "collectgarbage()");
  }
  CHECK(cut_run(S, code, CU_RESULT_LAST) == CU_OK);
}

/*
** Every raw read answers as the chunk reading the same key, and every raw
** or run write is seen by the next chunk, whatever the key: long ones,
** strings only garbage has.
*/
static void rawAccessAgreesWithRuns (void) {
  cu_State *S = cut_state(64 * 1024 * 1024, 1);
  cu_Slots *k = cu_state_slots(S);
  const int get = CU_RESULT_LAST | CU_ARGS_SLOTS | CU_RESULT_SLOTS;
  char klit[96], vlit[64];
  int t, bad = 0;
  CHECK(cut_run(S, "t = {1, 2, 3, k1 = 1, k2 = 'two'}", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_handle_path(S, "t", CU_HANDLE_TABLE) == CU_OK);
  t = cut_out_ref(S);
  for (int i = 0; i < 4000 && !bad; i++) {
    key(k, klit, sizeof klit);
    if (cut_rnd(2) == 0) {
      k->n = 1;
      if (cu_handle_get(S, t, NULL, 0, get) != CU_OK || !agrees(S, k, klit))
        bad = i + 1;
    }
    else {
      k->n = 2;
      value(k);
      literal(k, &k->slot[1], vlit, sizeof vlit);
      if (cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) != CU_OK || !holdsvalue(S, klit, vlit))
        bad = i + 1;
    }
    if (!bad)
      between(S, klit);
  }
  if (bad)
    printf("  step %d, key %s\n", bad, klit);
  CHECK(bad == 0);
  cu_state_close(S);
}

/*
** A table without a metatable may be another's metatable: a raw write to
** a field its metamethod cache has seen absent is seen by the next use.
*/
static void rawWritesReachAMetatablesCache (void) {
  cu_State *S = cut_state(0, 1);
  cu_Slots *k = cu_state_slots(S);
  int mt;
  CHECK(cut_run(S,
                "mt = {__index = 0} mt.__index = nil x = setmetatable({}, mt) "
                "return x.foo",
                CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "null")); /* the cache now has __index absent */
  CHECK(cu_handle_path(S, "mt", CU_HANDLE_TABLE) == CU_OK);
  mt = cut_out_ref(S);
  k->n = 2;
  k->slot[0].type = CU_SLOT_TEXT;
  k->slot[0].v = 0;
  k->slot[0].len = 7;
  memcpy(k->text, "__index", 7);
  k->slot[1].type = CU_SLOT_INT;
  k->slot[1].v = 5;
  CHECK(cu_handle_set(S, mt, NULL, 0, CU_ARGS_SLOTS) == CU_OK);
  CHECK(cut_run(S, "return select(2, pcall(function() return x.foo end))", CU_RESULT_LAST) ==
          CU_OK &&
        cut_out_has(S, "attempt to index a number value"));
  cu_state_close(S);
}

/* Sets slot 0 of 'k' to the string s[0, len) (text or bytes) and k->n to n. */
static void skey (cu_Slots *k, const char *s, size_t len, int n) {
  k->n = n;
  k->slot[0].type = cu_cbor_utf8(s, len) ? CU_SLOT_TEXT : CU_SLOT_BYTES;
  k->slot[0].v = 0;
  k->slot[0].len = (int32_t)len;
  memcpy(k->text, s, len);
}

/*
** What the raw path takes and what it leaves to a run: a run resets the
** print output, a raw access leaves it alone. Keys at the short strings'
** bound (40 bytes) and past it, the empty key, bytes that are not UTF-8,
** values at the slots' text bound, float keys (a run normalizes them),
** an array part's hole, and references that are not a table's.
*/
static void rawAccessTakesWhatItCan (void) {
  cu_State *S = cut_state(64 * 1024 * 1024, 1);
  cu_Slots *k = cu_state_slots(S);
  const cu_Info *I = cu_state_info(S);
  const int get = CU_RESULT_LAST | CU_ARGS_SLOTS | CU_RESULT_SLOTS;
  char k40[41], k41[42];
  int t, f;
  memset(k40, 'a', 40);
  k40[40] = 0;
  memset(k41, 'b', 41);
  k41[41] = 0;
  CHECK(cut_run(S,
                "t = {1, 2, 3, 4, [('a'):rep(40)] = 40, [('b'):rep(41)] = 41, [''] = 0, "
                "['\xff\xfe'] = '\xfd', v496 = ('x'):rep(496), v497 = ('y'):rep(497)} "
                "t[4] = nil function f() end",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cu_handle_path(S, "t", CU_HANDLE_TABLE) == CU_OK);
  t = cut_out_ref(S);
  CHECK(cu_handle_path(S, "f", CU_HANDLE_FUNCTION) == CU_OK);
  f = cut_out_ref(S);
  CHECK(cut_run(S, "print('x')", CU_RESULT_LAST) == CU_OK && I->printlen > 0);
  /* raw: no run, the print output stays */
  skey(k, k40, 40, 1);
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->slot[0].v == 40 && I->printlen > 0);
  skey(k, "", 0, 1);
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->slot[0].type == CU_SLOT_INT &&
        k->slot[0].v == 0 && I->printlen > 0);
  skey(k, "\xff\xfe", 2, 1);
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->slot[0].type == CU_SLOT_BYTES &&
        k->slot[0].len == 1 && (unsigned char)k->text[k->slot[0].v] == 0xfd && I->printlen > 0);
  skey(k, "v496", 4, 1);
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->n == 1 && k->slot[0].len == 496 &&
        k->used == 496 && I->printlen > 0);
  skey(k, k40, 40, 2);
  k->slot[1].type = CU_SLOT_TRUE;
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK && I->printlen > 0);
  k->n = 2; /* the array part's hole: an existing entry */
  k->slot[0].type = CU_SLOT_INT;
  k->slot[0].v = 4;
  k->slot[1].type = CU_SLOT_INT;
  k->slot[1].v = 9;
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK && I->printlen > 0);
  skey(k, "fresh", 5, 2); /* a new key, and a long one: under a protected call, still no run */
  k->slot[1].type = CU_SLOT_INT;
  k->slot[1].v = 5;
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK && I->printlen > 0);
  skey(k, k41, 41, 2);
  k->slot[1].type = CU_SLOT_FALSE;
  CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK && I->printlen > 0);
  CHECK(holds(S, "return t[4] == 9 and #t == 4 and t[('a'):rep(40)] == true and t.fresh == 5 "
                 "and t[('b'):rep(41)] == false"));
  /* a run: the print output is reset */
  CHECK(cut_run(S, "print('x') t[('b'):rep(41)] = 41", CU_RESULT_LAST) == CU_OK && I->printlen > 0);
  skey(k, k41, 41, 1);
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->slot[0].v == 41 && I->printlen == 0);
  CHECK(cut_run(S, "print('x')", CU_RESULT_LAST) == CU_OK && I->printlen > 0);
  skey(k, "v497", 4, 1); /* too long for the slots: CBOR, through the run */
  CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && k->n == CU_SLOTS_CBOR && I->printlen == 0);
  {
    static const double keys[] = {1.0, -0.0, 9223372036854775808.0, NAN};
    static const int64_t want[] = {1, CU_SLOT_NIL, CU_SLOT_NIL, CU_SLOT_NIL};
    for (int i = 0; i < 4; i++) {
      CHECK(cut_run(S, "print('x')", CU_RESULT_LAST) == CU_OK);
      k->n = 1;
      k->slot[0].type = CU_SLOT_FLOAT;
      memcpy(&k->slot[0].v, &keys[i], sizeof keys[i]);
      CHECK(cu_handle_get(S, t, NULL, 0, get) == CU_OK && I->printlen == 0 &&
            (i == 0 ? k->slot[0].type == CU_SLOT_INT && k->slot[0].v == want[0]
                    : k->slot[0].type == CU_SLOT_NIL));
    }
  }
  /* references that are no table's: refused, as by a run */
  for (int i = 0; i < 4; i++) {
    static const int refs[] = {0, -1, 999, 0};
    int r = (i == 3) ? f : refs[i];
    skey(k, "", 0, 1);
    CHECK(cu_handle_get(S, r, NULL, 0, get) == CU_ERRARG);
    skey(k, "", 0, 2);
    k->slot[1].type = CU_SLOT_NIL;
    CHECK(cu_handle_set(S, r, NULL, 0, CU_ARGS_SLOTS) == CU_ERRARG);
  }
  skey(k, "", 0, 1); /* a mode a read does not have */
  CHECK(cu_handle_get(S, t, NULL, 0, get | 256) == CU_ERRARG);
  cu_state_close(S);
}

/*
** Keys whose strings a script just dropped, in whatever state the
** collector left them (found live, dead or swept): a read answers nil
** without a run, a write takes the run and makes the key.
*/
static void droppedKeysReadNilAndWriteThroughARun (void) {
  cu_State *S = cut_state(0, 1);
  cu_Slots *k = cu_state_slots(S);
  const cu_Info *I = cu_state_info(S);
  int t, raw = 0;
  CHECK(cut_run(S, "t = {}", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_handle_path(S, "t", CU_HANDLE_TABLE) == CU_OK);
  t = cut_out_ref(S);
  for (int round = 0; round < 20; round++) {
    char code[256];
    snprintf(code, sizeof code,
             "local s = 'dead' .. %d "
             "junk = {} for i = 1, 200000 do junk[i] = {} end s = nil junk = nil "
             "for i = 1, %d do collectgarbage('step', 1) end print('x')",
             round, round * 7);
    CHECK(cut_run(S, code, CU_RESULT_LAST) == CU_OK);
    snprintf(code, sizeof code, "dead%d", round);
    skey(k, code, strlen(code), 1);
    CHECK(cu_handle_get(S, t, NULL, 0, CU_ARGS_SLOTS | CU_RESULT_SLOTS) == CU_OK && k->n == 1 &&
          k->slot[0].type == CU_SLOT_NIL);
    raw += I->printlen > 0; /* no run: the raw read answered */
    skey(k, code, strlen(code), 2);
    k->slot[1].type = CU_SLOT_INT;
    k->slot[1].v = round;
    CHECK(cu_handle_set(S, t, NULL, 0, CU_ARGS_SLOTS) == CU_OK);
    snprintf(code, sizeof code, "return t.dead%d == %d", round, round);
    CHECK(holds(S, code));
  }
  CHECK(raw == 20);
  cu_state_close(S);
}

/* A call by name past the short strings' bound, or through _G's __index, takes the run. */
static void callsByNameTheRawReadMisses (void) {
  cu_State *S = cut_state(0, 1);
  cu_Slots *k = cu_state_slots(S);
  const int mode = CU_RESULT_LAST | CU_ARGS_SLOTS | CU_RESULT_SLOTS;
  char name[64];
  memset(name, 'f', 50);
  name[50] = 0;
  CHECK(cut_run(S,
                "_G[('f'):rep(50)] = function(x) return x + 1 end "
                "setmetatable(_G, {__index = function(_, n) "
                "if n == 'viaindex' then return function(x) return x * 2 end end end})",
                CU_RESULT_LAST) == CU_OK);
  k->n = 1;
  k->slot[0].type = CU_SLOT_INT;
  k->slot[0].v = 20;
  CHECK(cu_state_call(S, name, NULL, 0, mode) == CU_OK && k->slot[0].v == 21);
  k->n = 1;
  k->slot[0].type = CU_SLOT_INT;
  k->slot[0].v = 20;
  CHECK(cu_state_call(S, "viaindex", NULL, 0, mode) == CU_OK && k->slot[0].v == 40);
  cu_state_close(S);
}

int main (void) {
  rawAccessAgreesWithRuns();
  rawWritesReachAMetatablesCache();
  rawAccessTakesWhatItCan();
  droppedKeysReadNilAndWriteThroughARun();
  callsByNameTheRawReadMisses();
  return cut_done();
}
