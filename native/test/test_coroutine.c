/*
** test_coroutine.c - coroutine.resume and coroutine.wrap, which the shim
** replaces, behave like Lua's own: also on dead, running and normal
** coroutines, where a wrong guess about the stack would crash.
*/
#include "cutest.h"

static void check_both (int hooked) {
  cu_State *S = cut_state(0, hooked);
  /* a wrap called again after its coroutine returned */
  CHECK(cut_run(S,
                "local f = coroutine.wrap(function() return 1 end)\n"
                "f()\nf()",
                CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "test:3: cannot resume dead coroutine"));
  /* ... and after it died with an error */
  CHECK(cut_run(S,
                "local f = coroutine.wrap(function() error('x') end)\n"
                "pcall(f)\nf()",
                CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "test:3: cannot resume dead coroutine"));
  /* a wrapped coroutine that calls itself */
  CHECK(cut_run(S,
                "local f\nf = coroutine.wrap(function() return f() end)\n"
                "return f()",
                CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "cannot resume non-suspended coroutine"));
  /* the caller's coroutine (normal), resumed from inside a wrap */
  CHECK(cut_run(S,
                "local outer = coroutine.running()\n"
                "local co = coroutine.create(function()\n"
                "  local g = coroutine.wrap(function() return coroutine.resume(outer) end)\n"
                "  return g() end)\n"
                "local ok, a, b = coroutine.resume(co)\n"
                "return tostring(ok) .. tostring(a) .. tostring(b)",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "truefalsecannot resume non-suspended coroutine"));
  /* resume of the running coroutine: false first, then the message */
  CHECK(cut_run(S,
                "local ok, msg = coroutine.resume(coroutine.running())\n"
                "return type(ok) .. ' ' .. msg",
                CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "boolean cannot resume non-suspended coroutine"));
  /* the state stays usable */
  CHECK(cut_run(S, "return 7", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "7"));
  cu_state_close(S);
}

int main (void) {
  check_both(0);
  check_both(1);
  return cut_done();
}
