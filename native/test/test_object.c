/* test_object.c - exported objects through the C ABI, with a Java side written in C. */
#include "cutest.h"

/*
** Two classes: 0 "Counter" with methods add (index 0) and get (1), 1
** "Other" with method x. Objects 1 and 2 are Counters, their counts in n[].
*/
static cu_State *cur;
static int64_t n[3];
static int describes, calls;

static int on_object (int32_t op, int64_t id, int32_t cls, int32_t method,
                      const unsigned char *args, size_t len) {
  if (op == CU_OBJECT_DESCRIBE) {
    describes++;
    if (cls == 0)
      return cu_upcall_reply(cur, TC_BYTES("[\"Counter\", [\"add\", \"get\"], [0, 0]]"));
    if (cls == 1)
      return cu_upcall_reply(cur, TC_BYTES("[\"Other\", [\"x\"], [0]]"));
    cu_upcall_reply(cur, (const unsigned char *)"no class", 8);
    return 1;
  }
  calls++;
  if (cls == 0 && (id == 1 || id == 2)) {
    if (method == 0 && tc_is(args, len, "[5]")) {
      n[id] += 5;
      return 0; /* no results */
    }
    if (method == 1 && tc_is(args, len, "[]")) {
      unsigned char b[16];
      size_t k = 0;
      tc_put(b, &k, CU_CBOR_ARRAY, 1);
      tc_put(b, &k, CU_CBOR_UINT, (uint64_t)n[id]);
      return cu_upcall_reply(cur, b, k);
    }
  }
  cu_upcall_reply(cur, (const unsigned char *)"method failed", 13);
  return 1;
}

int main (void) {
  cu_State *S = cut_state(0, 1);
  cur = S;
  cu_object_setfn(S, on_object);
  CHECK(cu_object_setglobal(S, "c", TC_BYTES("OBJECT([1, 0])")) == CU_OK);
  CHECK(cu_object_setglobal(S, "o", TC_BYTES("OBJECT([3, 1])")) == CU_OK);
  /* methods: one describe per class, one upcall per call */
  CHECK(cut_run(S, "c:add(5) c:add(5) return c:get()", CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "10") && describes == 1 && calls == 3);
  CHECK(cut_run(S, "return tostring(c), tostring(o), getmetatable(c)", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[\"Counter\", \"Other\", \"Java object\"]") && describes == 2);
  CHECK(cut_run(S, "return c.get ~= nil, c.x, o.get, c.getClass", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[true, null, null, null]"));
  /* an object goes back to Java as its reference; the same id is the same value */
  CHECK(cut_run(S, "return c, {o}", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[OBJECT([1, 0]), [OBJECT([3, 1])]]"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("[OBJECT([1, 0]), OBJECT([2, 0])]")) == CU_OK);
  CHECK(cut_run(S, "return _io.input[1] == c, _io.input[2] == c", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[true, false]"));
  /* a bad self, a failing method, a field write */
  CHECK(cut_run(S, "return select(2, pcall(c.get, o))", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "bad self for method 'get' (Counter expected, got Other"));
  CHECK(cut_run(S, "c:add(6)", CU_RESULT_LAST) == CU_ERRUPCALL &&
        cut_out_has(S, "test:1: method failed"));
  CHECK(cut_run(S, "c.x = 1", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "cannot set a field of a Java object"));
  /* a reference is refused in a store's row and with another class while it lives */
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("OBJECT([1, 1])")) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("OBJECT([0, 1])")) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("OBJECT([1])")) == CU_ERRVALUE);
  /* collected objects are drained once; one whose id came back is not */
  CHECK(cu_object_drain(S) == CU_OK && OUT_IS(S, "[]"));
  CHECK(cu_io_clear(S) == CU_OK);
  CHECK(cut_run(S, "c = nil o = nil collectgarbage()", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_object_setglobal(S, "c", TC_BYTES("OBJECT([1, 0])")) == CU_OK);
  CHECK(cu_object_drain(S) == CU_OK);
  CHECK(cut_out_hasdiag(S, "2") && cut_out_hasdiag(S, "3") && !OUT_IS(S, "[]"));
  {
    const cu_Info *I = cu_state_info(S);
    CHECK(I->outlen == 3); /* [2, 3] or [3, 2]: the id 1 came back */
  }
  CHECK(cu_object_drain(S) == CU_OK && OUT_IS(S, "[]"));
  CHECK(cut_run(S, "return c:get()", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "10"));
  cu_state_close(S);
  return cut_done();
}
