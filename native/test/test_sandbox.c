/* test_sandbox.c - what a unit can and cannot reach. */
#include "cutest.h"

static const char *const absent[] = {
  "io",        "package",    "debug",     "dofile",    "loadfile",   "string.dump",  "os.exit",
  "os.getenv", "os.execute", "os.remove", "os.rename", "os.tmpname", "os.setlocale", NULL};

static const char *const present[] = {"print",        "load",       "pcall",     "string.format",
                                      "table.concat", "math.floor", "utf8.char", "coroutine.wrap",
                                      "os.time",      "os.clock",   "os.date",   "os.difftime",
                                      "require",      NULL};

/*
** What S reaches, and its os: the four kept functions, working. The first
** state of the process takes them from Lua's os library, later ones from
** its record (cu_sandbox.c): both are checked.
*/
static void reach (cu_State *S) {
  char code[256];
  for (const char *const *n = absent; *n; n++) {
    snprintf(code, sizeof code, "return %s == nil", *n);
    CHECK(cut_run(S, code, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
    if (!OUT_IS(S, "true"))
      fprintf(stderr, "  still present: %s\n", *n);
  }
  for (const char *const *n = present; *n; n++) {
    snprintf(code, sizeof code, "return %s ~= nil", *n);
    CHECK(cut_run(S, code, CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  }
  CHECK(cut_run(S,
                "local n = 0 for _ in pairs(os) do n = n + 1 end "
                "return n, math.type(os.time()), os.date('!%Y', 0), os.difftime(7, 2), "
                "type(os.clock())",
                CU_RESULT_ALL) == CU_OK &&
        OUT_IS(S, "[4, \"integer\", \"1970\", 5.0, \"number\"]"));
}

int main (void) {
  cu_State *S = cut_state(0, 1);
  reach(S);
  cu_state_close(S);
  S = cut_state(0, 1);
  reach(S);
  /* load: text only */
  CHECK(cut_run(S, "return load('return 7')()", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "7"));
  CHECK(cut_run(S, "return load('\\27Lua', 'x', 'b')", CU_RESULT_ALL) == CU_OK);
  CHECK(cut_out_has(S, "binary chunk"));
  CHECK(cut_run(S, "local e = {v = 5} return load('return v', 'x', 'bt', e)()", CU_RESULT_LAST) ==
          CU_OK &&
        OUT_IS(S, "5"));
  /* collectgarbage: count, collect, step only */
  CHECK(cut_run(S, "return type(collectgarbage('count'))", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_run(S, "collectgarbage() collectgarbage('step')", CU_RESULT_LAST) == CU_OK);
  CHECK(cut_run(S, "collectgarbage('stop')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "not allowed"));
  CHECK(cut_run(S, "collectgarbage('generational')", CU_RESULT_LAST) == CU_ERRRUN);
  /* no finalizers */
  CHECK(cut_run(S, "setmetatable({}, {__gc = function() end})", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "__gc"));
  CHECK(cut_run(S, "return getmetatable(setmetatable({}, {__index = {a = 1}})).__index.a",
                CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "1"));
  /* replaced functions run in the caller's frame: Lua's names and positions */
  CHECK(cut_run(S, "setmetatable(1, {})", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "test:1: bad argument #1 to 'setmetatable' (table expected, got number)"));
  CHECK(cut_run(S, "\nrawlen(nil)", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "test:2: bad argument #1 to 'rawlen'"));
  CHECK(cut_run(S, "collectgarbage('nope')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "test:1: bad argument #1 to 'collectgarbage' (invalid option 'nope')"));
  CHECK(cut_run(S, "return pairs({}) == next", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cut_run(S,
                "local function f(n) if n == 0 then return 0 end "
                "local ok, v = xpcall(f, print, n - 1) return v end return f(150)",
                CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "0"));
  /* the library registry gives nothing back */
  CHECK(cut_run(S, "return os.exit == nil and os.getenv == nil", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "true"));
  cu_state_close(S);

  /* a fixed seed gives the same random sequence */
  {
    cu_State *A = cut_state(0, 0), *B = cut_state(0, 0);
    CHECK(cut_run(A, "return math.random(1, 1000000)", CU_RESULT_LAST) == CU_OK);
    {
      const cu_Info *IA = cu_state_info(A);
      unsigned char a[16];
      size_t n = (size_t)IA->outlen;
      memcpy(a, IA->out, n);
      CHECK(cut_run(B, "return math.random(1, 1000000)", CU_RESULT_LAST) == CU_OK);
      CHECK(cut_out_is(B, (const char *)a, n));
    }
    cu_state_close(A);
    cu_state_close(B);
  }
  return cut_done();
}
