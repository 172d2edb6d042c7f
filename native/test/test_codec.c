/* test_codec.c - the CBOR encoding of Lua values (docs/FORMAT.md). */
#include "cutest.h"

/* A chunk and its result in diagnostic notation (RFC 8949 8, cbortest.h). */
typedef struct Vector {
  const char *code;
  const char *out;
} Vector;

#define V(code, out)                                                                               \
  { code, out }

static const Vector vectors[] = {
  V("return nil", "null"),
  V("return true", "true"),
  V("return false", "false"),
  V("return 0", "0"),
  V("return 23", "23"),
  V("return 24", "24"),
  V("return 256", "256"),
  V("return 65536", "65536"),
  V("return 4294967296", "4294967296"),
  V("return -1", "-1"),
  V("return -25", "-25"),
  V("return math.maxinteger", "9223372036854775807"),
  V("return math.mininteger", "-9223372036854775808"),
  V("return 3.0", "3.0"),
  V("return 1.5", "1.5"),
  V("return 1/0", "Infinity"),
  V("return ''", "\"\""),
  V("return 'a'", "\"a\""),
  V("return '\\u{e9}'", "\"\303\251\""),
  V("return '\\xff\\xfe'", "h'fffe'"),
  V("return '\\xed\\xa0\\x80'", "h'eda080'"), /* surrogate: bytes */
  V("return '\\xc0\\x80'", "h'c080'"),        /* overlong: bytes */
  V("return {}", "{}"),
  V("return {1, 2}", "[1, 2]"),
  V("return {x = 1}", "{\"x\": 1}"),
  V("return {[2] = true}", "{2: true}"),
  V("return {[1.5] = 1}", "{1.5: 1}"),
  V("return {[true] = 1}", "{true: 1}"),
  V("return {1, nil, 3}", "{1: 1, 3: 3}"),
  V("return {{}}", "[{}]"),
  V("return json.array({})", "[]"),
  V("return {json.array({})}", "[[]]"),
  V("return json.decode('[]')", "[]"),
  V("return {1, json.null, 3}", "[1, null, 3]"),
  V("return json.decode('[1,null,3]')", "[1, null, 3]"),
  V("return {x = json.null}", "{\"x\": null}"),
  V("return json.null", "null"),
  V("return json.decode('{\"a\":[]}')", "{\"a\": []}"),
  V("return {{a = json.array({})}, {b = {}}, json.array({})}", "[{\"a\": []}, {\"b\": {}}, []]"),
  V("local s = {} return {s, s}", "[SHAREABLE({}), SHAREDREF(0)]"),
  V("local s = {} return {{1}, {2}, {3}, s, {4}, s}",
    "[[1], [2], [3], SHAREABLE({}), [4], SHAREDREF(0)]"),
  V("local s = {} local u = {} return {s, u, u, s}",
    "[SHAREABLE({}), SHAREABLE({}), SHAREDREF(1), SHAREDREF(0)]"),
};

/* The payload holds tag 'tag' of [type, ...] whose type is 'type'. */
static int cut_out_hasprefix (cu_State *S, uint64_t tag, const char *type) {
  uint8_t b[64];
  size_t n = 0, len = strlen(type);
  tc_put(b, &n, CU_CBOR_TAG, tag);
  tc_put(b, &n, CU_CBOR_ARRAY, 2);
  tc_put(b, &n, CU_CBOR_TEXT, len);
  memcpy(b + n, type, len);
  return tc_hasbytes(cu_state_info(S)->out, (size_t)cu_state_info(S)->outlen, b, n + len);
}

/* The payload starts with the first n bytes of 'diag'. */
static int cut_out_starts (cu_State *S, const char *diag, size_t n) {
  const cu_Info *I = cu_state_info(S);
  const unsigned char *b = tc_bytes(diag);
  return (size_t)I->outlen > n && memcmp(I->out, b, n) == 0;
}

int main (void) {
  cu_State *S = cut_state(0, 0);
  CHECK(cut_run(S, "json = require('json')", CU_RESULT_LAST) == CU_OK);
  for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
    const Vector *v = &vectors[i];
    int ok = cut_run(S, v->code, CU_RESULT_LAST) == CU_OK && OUT_IS(S, v->out);
    CHECK(ok);
    if (!ok)
      fprintf(stderr, "  vector: %s\n", v->code);
  }
  /* a function is a handle (test_handle.c); coroutines are opaque: tag, [type, description] */
  CHECK(cut_run(S, "return print", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_starts(S, "HANDLE([1, \"\"])", 7) && cut_out_has(S, "function: "));
  CHECK(cu_handle_free(S, 1) == CU_OK);
  CHECK(cut_run(S, "error(print)", CU_RESULT_LAST) == CU_ERRRUN); /* errors hand nothing over */
  CHECK(cut_out_hasprefix(S, CU_TAG_OPAQUE, "function"));
  CHECK(cu_handle_count(S) == 0);
  CHECK(cut_run(S, "return coroutine.create(print)", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_hasdiag(S, "\"thread\""));
  /* a table used as a key is an identity: opaque, never a value */
  CHECK(cut_run(S, "return {[{}] = 1}", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_hasprefix(S, CU_TAG_OPAQUE, "table"));
  CHECK(cu_state_info(S)->out[0] == CU_CBOR_IB(CU_CBOR_MAP, 1));
  /* json.null as a key is an identity too, never a null key */
  CHECK(cut_run(S, "return {[json.null] = 1}", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_hasprefix(S, CU_TAG_OPAQUE, "userdata"));
  /* a marked table with keys other than 1..n is a map, as unmarked */
  CHECK(cut_run(S, "local t = json.array({}) t.x = 1 return t", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "{\"x\": 1}"));
  /* cycles and depth are errors, not hangs or crashes */
  CHECK(cut_run(S, "local t = {} t.self = t return t", CU_RESULT_LAST) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "cycle"));
  CHECK(cut_run(S, "local a, b = {}, {} a.b = b b.list = {1, {a}} return {a}", CU_RESULT_LAST) ==
        CU_ERRVALUE);
  CHECK(cut_out_has(S, "cycle"));
  CHECK(cut_run(S, "local s = {} local a = {s, {s}} s.up = {a} return a", CU_RESULT_LAST) ==
        CU_ERRVALUE);
  CHECK(cut_out_has(S, "cycle"));
  /* with CU_RESULT_CYCLES a cycle is a tag 29 inside its own tag 28 */
  CHECK(cut_run(S, "local t = {} t[1] = t return t", CU_RESULT_LAST | CU_RESULT_CYCLES) == CU_OK &&
        OUT_IS(S, "SHAREABLE([SHAREDREF(0)])"));
  CHECK(cut_run(S, "local t = {} t.self = t return t", CU_RESULT_LAST | CU_RESULT_CYCLES) ==
          CU_OK &&
        OUT_IS(S, "SHAREABLE({\"self\": SHAREDREF(0)})"));
  CHECK(cut_run(S, "local s = {} local a = {s, {s}} s.up = {a} return a, s",
                CU_RESULT_ALL | CU_RESULT_CYCLES) == CU_OK);
  CHECK(cut_run(S, "return 1", 4) == CU_ERRARG);
  /* shared but acyclic, met first deep then shallow: written once */
  CHECK(cut_run(S, "local s = {} return {{{s}}, s}", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "[[[SHAREABLE({})]], SHAREDREF(0)]"));
  CHECK(cut_run(S, "local t = {} for i = 1, 1000 do t = {t} end return t", CU_RESULT_LAST) ==
        CU_ERRVALUE);
  CHECK(cut_out_has(S, "nested too deeply"));
  CHECK(cut_run(S, "local t = {} for i = 1, 150 do t = {t} end return t", CU_RESULT_LAST) == CU_OK);
  /* a wide DAG is encoded once per table, not once per path */
  CHECK(cut_run(S, "local t = {} for i = 1, 60 do t = {t, t} end return t", CU_RESULT_LAST) ==
        CU_OK);
  CHECK(cu_state_info(S)->outlen < 1000);
  /*
  ** tables far apart in memory (long strings between them): a table met
  ** again is still found, and distinct tables are never taken for one
  ** another. 79,725 bytes: the array's 3-byte head and each [i] once.
  */
  CHECK(cut_run(S,
                "local t, pad = {}, {} for i = 1, 20000 do t[i] = {i} "
                "pad[i] = ('x'):rep(300) .. i end t[20001] = t[7] return t",
                CU_RESULT_LAST) == CU_OK &&
        cut_out_hasdiag(S, "SHAREABLE([7])"));
  CHECK(cut_run(S,
                "local t, pad = {}, {} for i = 1, 20000 do t[i] = {i} "
                "pad[i] = ('x'):rep(300) .. i end return t",
                CU_RESULT_LAST) == CU_OK &&
        cu_state_info(S)->outlen == 79725);
  /* a map's head is written when its count is known: the shortest, whatever the count */
  CHECK(cut_run(S,
                "local t = {} for i = 1, 30 do local u = {} "
                "for j = 1, 300 do u['j' .. j] = j end t['k' .. i] = u end return t",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_info(S)->out[0] == CU_CBOR_IB(CU_CBOR_MAP, CU_CBOR_AI_1) &&
        cu_state_info(S)->out[1] == 30);
  CHECK(cu_io_set(S, "input", NULL, cu_state_info(S)->out, (size_t)cu_state_info(S)->outlen) ==
        CU_OK);
  CHECK(cut_run(S,
                "local n = 0 for k, u in pairs(_io.input) do for j = 1, 300 do "
                "assert(u['j' .. j] == j) end n = n + 1 end return n",
                CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "30"));
  /* a function after many tables: one handle, made once */
  CHECK(cut_run(S,
                "local t = {} for i = 1, 100 do t[i] = {x = i} end t[101] = {f = print} return t",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cu_handle_count(S) == 1 && cut_out_hasdiag(S, "{\"x\": 100}"));
  CHECK(cu_handle_free(S, 1) == CU_OK && cu_handle_count(S) == 0);
  CHECK(cut_run(S, "local s = {} return {{print}, s, s}", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_handle_count(S) == 1 && cut_out_hasdiag(S, "SHAREDREF(0)"));
  CHECK(cu_handle_free(S, 1) == CU_OK && cu_handle_count(S) == 0);
  /* a large string goes through whole */
  CHECK(cut_run(S, "return string.rep('\\u{e9}', 100000)", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_info(S)->outlen == 200005);
  cu_state_close(S);
  return cut_done();
}
