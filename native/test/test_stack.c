/*
** test_stack.c - runs under memory limits that leave too little room to
** grow the stack. Lua reports any refused growth of a C function's stack
** as "stack overflow"; the shim's own checks (cu_stack_check) tell the
** two apart, so a run that runs out of memory while the shim grows the
** stack fails with CU_ERRMEM, like any other allocation the limit
** refuses. Each script makes its garbage collectable first, so that the
** emergency collection cannot make room and the growth itself fails.
*/
#include "cutest.h"

/* A store that keeps nothing: commits succeed, loads find no table. */
static int on_load (cu_State *from, int64_t id) {
  (void)from;
  (void)id;
  return 0;
}

static int on_commit (cu_State *from, const unsigned char *d, size_t len) {
  (void)from;
  (void)d;
  (void)len;
  return 0;
}

/*
** Runs 'code' under every memory limit from what the opened state uses
** up to 'span' bytes more. Each run succeeds or fails with CU_ERRMEM and
** no mention of a stack overflow; the sweep must see both outcomes.
*/
static void sweep (const char *what, const char *code, int64_t span) {
  int64_t base, ok = 0, nomem = 0, step = span / 2000 > 8 ? span / 2000 : 8;
  cu_State *S = cut_state(0, 1);
  cu_ext_setstore(S, on_load, on_commit);
  CHECK(cu_ext_setroot(S, "_home", 1) == CU_OK && cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);
  base = cu_state_info(S)->mem_used;
  cu_state_close(S);
  for (int64_t margin = 0; margin <= span; margin += step) {
    int st;
    S = cu_state_new(base + margin);
    if (S == NULL || cu_state_open(S, 42, 1) != CU_OK) {
      cu_state_close(S);
      continue;
    }
    cu_ext_setstore(S, on_load, on_commit);
    if (cu_ext_setroot(S, "_home", 1) != CU_OK) {
      cu_state_close(S);
      continue;
    }
    st = cut_run(S, code, CU_RESULT_LAST);
    if (st == CU_OK)
      ok++;
    else if (st == CU_ERRMEM)
      nomem++;
    if ((st != CU_OK && st != CU_ERRMEM) || cut_out_has(S, "stack overflow")) {
      fprintf(stderr, "  %s, limit +%lld: status %d: %.*s\n", what, (long long)margin, st,
              (int)cu_state_info(S)->outlen, (const char *)cu_state_info(S)->out);
      CHECK(0);
      cu_state_close(S);
      return;
    }
    cu_state_close(S);
  }
  if (ok == 0 || nomem == 0)
    fprintf(stderr, "  %s: %lld ok, %lld out of memory\n", what, (long long)ok, (long long)nomem);
  CHECK(ok > 0 && nomem > 0);
}

#define NEST "local t = {} local c = t for i = 1, 190 do c.x = {} c = c.x end "

/*
** The result's encoder is where the check decides (a refused growth there
** failed as "stack overflow (value nested too deeply)"); in json and in
** _home's copy the message of a stack overflow mostly cannot be allocated
** either, so those sweeps check the rest of their paths under the limit.
*/
int main (void) {
  sweep("json.encode",
        "local json = require('json') " NEST "collectgarbage() return #json.encode(t)", 96 * 1024);
  sweep("json.decode",
        "local json = require('json') local s = string.rep('[', 190) .. string.rep(']', 190) "
        "collectgarbage() return json.decode(s) ~= nil",
        96 * 1024);
  sweep("_home", NEST "collectgarbage() _home.t = t return 1", 256 * 1024);
  sweep("result", NEST "collectgarbage() return t", 96 * 1024);
  return cut_done();
}
