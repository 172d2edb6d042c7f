/* test_module.c - require: built-in modules, the loader upcall, the cache. */
#include "cutest.h"

static cu_State *S;
static int opened, asked;

/* A built-in module's open function: counts its calls, returns nothing. */
static int tiny_open (struct lua_State *L) {
  (void)L;
  opened++;
  return 0;
}

/* The loader upcall: modules written in C strings, as Java would reply. */
static int loader (const char *name, size_t len) {
  static const char *const mods[][2] = {
    {"two",   "return 2"                         },
    {"none",  "local n = ... assert(n == 'none')"},
    {"cycle", "return require('cycle')"          },
    {"bad",   "error('boom')"                    },
    {"bin",   "\x1bLua return 1"                 },
    {"loop",  "while true do end"                },
    {"tbl",   "return {}"                        },
    {"wrong", "return +"                         },
  };
  char reply[128];
  asked++;
  for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
    if (strlen(mods[i][0]) == len && memcmp(mods[i][0], name, len) == 0) {
      int n = snprintf(reply, sizeof reply, "mods/%s.lua", mods[i][0]);
      memcpy(reply + n + 1, mods[i][1], strlen(mods[i][1]));
      cu_upcall_reply(S, (const unsigned char *)reply, (size_t)n + 1 + strlen(mods[i][1]));
      return CU_MODULE_FOUND;
    }
  if (len == 4 && memcmp(name, "fail", 4) == 0)
    return CU_MODULE_FAILED;
  cu_upcall_reply(S, (const unsigned char *)"no file 'a'\nno file 'b'", 23);
  return CU_MODULE_MISSING;
}

/*
** require's tables are made at the first require or preload. Under every
** memory limit from too small to enough, the first of each works or fails
** with a memory error that leaves the unit usable, and a retry works once
** the memory is there.
*/
static void first_require_under_limits (void) {
  cu_State *saved = S;
  int64_t base;
  int ok = 0, failed = 0;
  S = cut_state(0, 1);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK && cu_state_gc(S) == CU_OK);
  base = cu_state_info(S)->mem_used;
  cu_state_close(S);
  for (int64_t margin = 0; margin <= 4096; margin += 32) {
    S = cu_state_new(base + margin);
    if (S == NULL || cu_state_open(S, 42, 1) != CU_OK) {
      cu_state_close(S);
      continue;
    }
    cu_module_setfn(S, loader);
    for (int tries = 0; tries < 3; tries++) {
      int st = cu_module_preload(S, "tiny", tiny_open);
      CHECK(st == CU_OK || st == CU_ERRMEM);
      st = cut_run(S, "return require('tiny') and require('two') + require('two')", CU_RESULT_LAST);
      CHECK(st == CU_OK || st == CU_ERRMEM);
      if (st == CU_OK) {
        CHECK(OUT_IS(S, "4"));
        ok++;
        break;
      }
      failed++;
    }
    CHECK(cut_run(S, "return 1", CU_RESULT_LAST) != CU_ERRRUN);
    cu_state_close(S);
  }
  CHECK(ok > 0 && failed > 0); /* the sweep crossed the first require's cost */
  S = saved;
  opened = 0;
}

int main (void) {
  first_require_under_limits();
  S = cut_state(0, 1);
  /* without a loader: built-ins only, Java never asked */
  CHECK(cut_run(S, "return require('x')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "module 'x' not found"));
  CHECK(cut_out_has(S, "no module loader is set"));
  CHECK(cu_module_preload(S, "tiny", tiny_open) == CU_OK);
  CHECK(cu_module_preload(S, "../x", tiny_open) == CU_ERRARG);
  CHECK(cu_module_preload(S, "a..b", tiny_open) == CU_ERRARG);
  CHECK(cut_run(S, "return require('tiny') == true and require('tiny') == true", CU_RESULT_LAST) ==
          CU_OK &&
        OUT_IS(S, "true"));
  CHECK(opened == 1);
  /* names that could leave a directory never reach a loader */
  CHECK(cut_run(S, "return require('../etc')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "invalid module name '../etc'"));
  CHECK(cut_run(S, "return require('a/b')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "return require('.a')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_run(S, "return require('a.')", CU_RESULT_LAST) == CU_ERRRUN);

  cu_module_setfn(S, loader);
  CHECK(cut_run(S, "return require('two') + require('two')", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "4"));
  CHECK(cut_run(S, "return require('none')", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  CHECK(cut_run(S, "return require('tbl') == require('tbl')", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "true"));
  asked = 0;
  CHECK(cut_run(S, "return require('two')", CU_RESULT_LAST) == CU_OK && asked == 0);
  CHECK(cut_run(S, "return require('cycle')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "require cycle"));
  /* the mark of a failed chunk is gone: the cycle is found again, not cached */
  CHECK(cut_run(S, "return require('cycle')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "require cycle"));
  CHECK(cut_run(S, "return require('bad')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "mods/bad.lua:1: boom"));
  asked = 0;
  CHECK(cut_run(S, "return pcall(require, 'bad')", CU_RESULT_LAST) == CU_OK && asked == 1);
  CHECK(cut_run(S, "return require('bin')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "binary chunk"));
  CHECK(cut_run(S, "return require('wrong')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "error loading module 'wrong' from 'mods/wrong.lua'"));
  CHECK(cut_run(S, "return require('nope')", CU_RESULT_LAST) == CU_ERRRUN);
  CHECK(cut_out_has(S, "module 'nope' not found:\n\tno built-in module 'nope'\n\tno file 'a'\n\t"
                       "no file 'b'"));
  CHECK(cut_run(S, "return require('fail')", CU_RESULT_LAST) == CU_ERRUPCALL);
  CHECK(cut_out_has(S, "the module loader failed"));
  /* limits hold inside a module */
  CHECK(cu_state_limit(S, 50 * 1000 * 1000, 0) == CU_OK);
  CHECK(cut_run(S, "return require('loop')", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);
  cu_state_close(S);
  return cut_done();
}
