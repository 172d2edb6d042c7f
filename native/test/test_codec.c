/* test_codec.c - the CBOR encoding of Lua values (docs/FORMAT.md). */
#include "cutest.h"

typedef struct Vector {
  const char *code;
  const char *bytes;
  size_t len;
} Vector;

#define V(code, lit) {code, lit, sizeof(lit) - 1}

static const Vector vectors[] = {
  V("return nil", "\xf6"),
  V("return true", "\xf5"),
  V("return false", "\xf4"),
  V("return 0", "\x00"),
  V("return 23", "\x17"),
  V("return 24", "\x18\x18"),
  V("return 256", "\x19\x01\x00"),
  V("return 65536", "\x1a\x00\x01\x00\x00"),
  V("return 4294967296", "\x1b\x00\x00\x00\x01\x00\x00\x00\x00"),
  V("return -1", "\x20"),
  V("return -25", "\x38\x18"),
  V("return math.maxinteger", "\x1b\x7f\xff\xff\xff\xff\xff\xff\xff"),
  V("return math.mininteger", "\x3b\x7f\xff\xff\xff\xff\xff\xff\xff"),
  V("return 3.0", "\xfb\x40\x08\x00\x00\x00\x00\x00\x00"),
  V("return 1.5", "\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00"),
  V("return 1/0", "\xfb\x7f\xf0\x00\x00\x00\x00\x00\x00"),
  V("return ''", "\x60"),
  V("return 'a'", "\x61\x61"),
  V("return '\\u{e9}'", "\x62\xc3\xa9"),
  V("return '\\xff\\xfe'", "\x42\xff\xfe"),
  V("return '\\xed\\xa0\\x80'", "\x43\xed\xa0\x80"),   /* surrogate: bytes */
  V("return '\\xc0\\x80'", "\x42\xc0\x80"),            /* overlong: bytes */
  V("return {}", "\xa0"),
  V("return {1, 2}", "\x82\x01\x02"),
  V("return {x = 1}", "\xa1\x61x\x01"),
  V("return {[2] = true}", "\xa1\x02\xf5"),
  V("return {[1.5] = 1}", "\xa1\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00\x01"),
  V("return {[true] = 1}", "\xa1\xf5\x01"),
  V("return {1, nil, 3}", "\xa2\x01\x01\x03\x03"),
  V("return {{}}", "\x81\xa0"),
  V("local s = {} return {s, s}", "\x82\xd8\x1c\xa0\xd8\x1d\x00"),
  V("local s = {} local u = {} return {s, u, u, s}",
    "\x84\xd8\x1c\xa0\xd8\x1c\xa0\xd8\x1d\x01\xd8\x1d\x00"),
};

int main (void) {
  cu_State *S = cut_state(0, 0);
  for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
    const Vector *v = &vectors[i];
    int ok = cut_run(S, v->code, CU_RESULT_LAST) == CU_OK &&
             cut_out_is(S, v->bytes, v->len);
    CHECK(ok);
    if (!ok) fprintf(stderr, "  vector: %s\n", v->code);
  }
  /* functions and coroutines are opaque: tag, [type, description] */
  CHECK(cut_run(S, "return print", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "\xda\x63\x75\x00\x01\x82\x68" "function"));
  CHECK(cut_run(S, "return coroutine.create(print)", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "\x66" "thread"));
  /* a table used as a key is an identity: opaque, never a value */
  CHECK(cut_run(S, "return {[{}] = 1}", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "\xa1\xda\x63\x75\x00\x01\x82\x65" "table"));
  /* cycles and depth are errors, not hangs or crashes */
  CHECK(cut_run(S, "local t = {} t.self = t return t", CU_RESULT_LAST) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "cycle"));
  CHECK(cut_run(S, "local a, b = {}, {} a.b = b b.list = {1, {a}} return {a}",
                CU_RESULT_LAST) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "cycle"));
  CHECK(cut_run(S, "local s = {} local a = {s, {s}} s.up = {a} return a",
                CU_RESULT_LAST) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "cycle"));
  /* with CU_RESULT_CYCLES a cycle is a tag 29 inside its own tag 28 */
  CHECK(cut_run(S, "local t = {} t[1] = t return t",
                CU_RESULT_LAST | CU_RESULT_CYCLES) == CU_OK &&
        cut_out_is(S, "\xd8\x1c\x81\xd8\x1d\x00", 6));
  CHECK(cut_run(S, "local t = {} t.self = t return t",
                CU_RESULT_LAST | CU_RESULT_CYCLES) == CU_OK &&
        cut_out_is(S, "\xd8\x1c\xa1\x64" "self" "\xd8\x1d\x00", 11));
  CHECK(cut_run(S, "local s = {} local a = {s, {s}} s.up = {a} return a, s",
                CU_RESULT_ALL | CU_RESULT_CYCLES) == CU_OK);
  CHECK(cut_run(S, "return 1", 4) == CU_ERRARG);
  /* shared but acyclic, met first deep then shallow: written once */
  CHECK(cut_run(S, "local s = {} return {{{s}}, s}", CU_RESULT_LAST) == CU_OK &&
        cut_out_is(S, "\x82\x81\x81\xd8\x1c\xa0\xd8\x1d\x00", 9));
  CHECK(cut_run(S, "local t = {} for i = 1, 1000 do t = {t} end return t",
                CU_RESULT_LAST) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "nested too deeply"));
  CHECK(cut_run(S, "local t = {} for i = 1, 150 do t = {t} end return t",
                CU_RESULT_LAST) == CU_OK);
  /* a wide DAG is encoded once per table, not once per path */
  CHECK(cut_run(S, "local t = {} for i = 1, 60 do t = {t, t} end return t",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_info(S)->outlen < 1000);
  /* a large string goes through whole */
  CHECK(cut_run(S, "return string.rep('\\u{e9}', 100000)", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_info(S)->outlen == 200005);
  cu_state_close(S);
  return cut_done();
}
