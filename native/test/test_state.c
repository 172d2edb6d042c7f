/* test_state.c - lifecycle, loading, running, results and errors. */
#include "cutest.h"

static int printed_lines;
static int print_fails;
static int on_print (const unsigned char *data, size_t len) {
  (void)data;
  printed_lines += (len > 0 && data[len - 1] == '\n');
  return print_fails;
}

int main (void) {
  cu_State *S = cut_state(0, 0);
  const cu_Info *I = cu_state_info(S);
  int ref;

  CHECK(cut_run(S, "return 2 + 2", CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "4"));
  CHECK(cut_run(S, "return 10, 20, 30", CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "30"));
  CHECK(cut_run(S, "return 10, 20, 30", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[10, 20, 30]"));
  CHECK(cut_run(S, "x = 1", CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "null"));
  CHECK(cut_run(S, "x = 1", CU_RESULT_ALL) == CU_OK);
  CHECK(OUT_IS(S, "[]"));
  CHECK(I->instructions == -1);

  /* the same chunk runs many times from one reference */
  CHECK(cu_chunk_load(S, "n = (n or 0) + 1 return n", 25, "=c", &ref) == CU_OK);
  CHECK(cu_chunk_run(S, ref, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "1"));
  CHECK(cu_chunk_run(S, ref, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "2"));
  CHECK(cu_chunk_free(S, ref) == CU_OK);
  CHECK(cu_chunk_run(S, ref, CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_chunk_run(S, 999999, CU_RESULT_LAST) == CU_ERRARG);
  CHECK(cu_chunk_free(S, 0) == CU_ERRARG);

  /* syntax errors */
  CHECK(cut_run(S, "return 1 +", CU_RESULT_LAST) == CU_ERRSYNTAX);
  CHECK(cut_out_has(S, "test:1:") && cut_out_has(S, "<eof>"));
  CHECK(cut_run(S, "\x1bLua", CU_RESULT_LAST) == CU_ERRSYNTAX);
  CHECK(cut_out_has(S, "binary"));

  /* runtime errors: [message, traceback, value] */
  CHECK(cut_run(S, "error('boom')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "test:1: boom") && cut_out_has(S, "stack traceback"));
  CHECK(cut_run(S, "error({code = 7})", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "(error object is a table value)"));
  CHECK(cut_out_hasdiag(S, "{\"code\": 7}"));
  CHECK(cut_run(S, "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
                CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "custom"));
  CHECK(cut_run(S, "local t = {} t[1] = t error(t)", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "(error object is a table value)"));
  CHECK(cut_run(S, "return 42", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "42"));

  /* the fourth element: the Lua frames, innermost first */
  CHECK(cut_run(S, "local function f()\n  error({})\nend\nf()", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_hasdiag(S, "[[\"test\", 2, \"f\"], [\"test\", 4, \"main chunk\"]]"));

  /* deep recursion is an error, not a crash */
  CHECK(cut_run(S, "local function f(n) return 1 + f(n + 1) end return f(1)", CU_RESULT_LAST) ==
        CU_ERRRUN);
  CHECK(cut_out_has(S, "stack overflow"));
  CHECK(cut_run(S,
                "local t = setmetatable({}, {}) getmetatable(t).__index = "
                "function(t, k) return t[k] end return t.x",
                CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);

  /* print capture, then streaming through the upcall */
  CHECK(cut_run(S, "print('a') print(1, 'x', true, nil, 2.5)", CU_RESULT_LAST) == CU_OK);
  CHECK(I->printlen == 19 && memcmp(I->print, "a\n1\tx\ttrue\tnil\t2.5\n", 19) == 0);
  cu_state_setprint(S, on_print);
  CHECK(cut_run(S, "print('a') print('b')", CU_RESULT_LAST) == CU_OK);
  CHECK(printed_lines == 2 && I->printlen == 0);
  print_fails = 1;
  CHECK(cut_run(S, "print('a')", CU_RESULT_LAST) == CU_ERRUPCALL);
  CHECK(cut_run(S, "return pcall(print, 'a')", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_out_has(S, "output consumer failed"));
  cu_state_setprint(S, NULL);

  /* 10,000 errors in a row leave memory where it was */
  {
    int64_t before;
    cu_state_gc(S);
    before = I->mem_used;
    for (int i = 0; i < 10000; i++) cut_run(S, "error('again ' .. tostring(i))", CU_RESULT_LAST);
    cu_state_gc(S);
    CHECK(I->mem_used <= before + 4096);
    CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);
  }
  cu_state_close(S);
  cu_state_close(NULL);

  /*
  ** The output buffer takes its registry slot at its first growth; after
  ** a payload beyond CU_BUF_KEEP the next load releases its block and the
  ** slot stays the buffer's: a reference made then is another slot, which
  ** the buffer's next growth leaves alone.
  */
  {
    cu_State *T = cut_state(0, 0);
    int a, b;
    CHECK(cut_run(T, "return string.rep('x', 2 * 1024 * 1024)", CU_RESULT_LAST) == CU_OK);
    CHECK(cu_chunk_load(T, "return 'a'", 10, "=a", &a) == CU_OK); /* releases the block */
    CHECK(cu_chunk_load(T, "return 'b'", 10, "=b", &b) == CU_OK);
    CHECK(cu_chunk_run(T, a, CU_RESULT_LAST) == CU_OK && OUT_IS(T, "\"a\"")); /* grows it */
    CHECK(cu_chunk_run(T, b, CU_RESULT_LAST) == CU_OK && OUT_IS(T, "\"b\""));
    cu_state_close(T);
  }

  /*
  ** Small blocks from the first, small slabs on to full-size ones, to the
  ** memory limit and back (cu_alloc.c): every byte is counted, and what is
  ** freed is found again.
  */
  {
    cu_State *T = cut_state(1024 * 1024, 1);
    const cu_Info *J = cu_state_info(T);
    int64_t before;
    cu_state_gc(T);
    before = J->mem_used;
    for (int round = 0; round < 3; round++) {
      CHECK(cut_run(T, "local t = {} for i = 1, 5000 do t[i] = {i} end return #t[5000]",
                    CU_RESULT_LAST) == CU_OK &&
            OUT_IS(T, "1"));
      CHECK(cut_run(T, "local t = {} for i = 1, 100000 do t[i] = {i} end", CU_RESULT_LAST) ==
            CU_ERRMEM);
      cu_state_gc(T);
      CHECK(J->mem_used <= before + 4096);
    }
    CHECK(cut_run(T, "return 2 + 2", CU_RESULT_LAST) == CU_OK && OUT_IS(T, "4"));
    cu_state_close(T);
  }
  return cut_done();
}
