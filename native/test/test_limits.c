/* test_limits.c - memory, time and instruction limits, interrupts. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
** The step of a thread's CPU clock: Windows advances it by the scheduler's
** tick (Wine by its host's clock ticks, 10 ms), and the difference of two
** readings can exceed the CPU time spent by one step, so a CPU limit can
** stop up to one step early.
*/
#if defined(_WIN32)
#define CPU_CLOCK_STEP 0.016
#else
#define CPU_CLOCK_STEP 0.0
#endif

#include "cutest.h"

static double now (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs an endless loop on another thread: the timer follows the state. */
static void *looper (void *ud) {
  cu_State *S = (cu_State *)ud;
  double t0 = now();
  int st = cut_run(S, "while true do end", CU_RESULT_LAST);
  return (void *)(intptr_t)(st == CU_ERRSTOP && now() - t0 < 0.4);
}

#if !defined(_WIN32)
/* The same on a thread that blocks every signal: the hook polls. */
static void *blocked_looper (void *ud) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  return looper(ud);
}
#endif

static void *interrupter (void *ud) {
  cu_State *S = (cu_State *)ud;
  usleep(100 * 1000);
  while (!cu_state_interrupt(S)) usleep(1000);
  return NULL;
}

int main (void) {
  cu_State *S = cut_state(8 * 1024 * 1024, 1);
  const cu_Info *I = cu_state_info(S);
  double t0;
  pthread_t th;

  /* memory: bombs stop, the limit holds, the state stays usable */
  CHECK(I->mem_limit == 8 * 1024 * 1024 && I->mem_used > 0);
  CHECK(cut_run(S, "local s = string.rep('x', 100 * 1024 * 1024) return #s", CU_RESULT_LAST) ==
        CU_ERRMEM);
  CHECK(cut_run(S, "local t = {} for i = 1, 1e8 do t[i] = i end", CU_RESULT_LAST) == CU_ERRMEM);
  CHECK(cut_run(S, "local t = {} for i = 1, 1e8 do t[#t + 1] = tostring(i) .. 'abc' end",
                CU_RESULT_LAST) == CU_ERRMEM);
  CHECK(I->mem_peak <= I->mem_limit + 64 * 1024);
  { /* the request the limit refused stays reported until the next export */
    const char *big = "return string.rep('x', 100 * 1024 * 1024)";
    int ref;
    CHECK(cu_chunk_load(S, big, strlen(big), "=test", &ref) == CU_OK);
    CHECK(cu_chunk_run(S, ref, CU_RESULT_LAST) == CU_ERRMEM);
    CHECK(I->mem_refused >= 100 * 1024 * 1024);
    CHECK(I->mem_refused_used > 0 && I->mem_refused_used <= I->mem_limit);
    CHECK(cu_chunk_free(S, ref) == CU_OK && I->mem_refused == 0);
  }
  CHECK(cut_run(S, "return pcall(string.rep, 'x', 100 * 1024 * 1024)", CU_RESULT_ALL) == CU_OK);
  CHECK(cut_out_has(S, "not enough memory"));
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "1"));

  /* time: stops within twice the limit; pcall cannot swallow it */
  CHECK(cu_state_limit(S, 200 * 1000000LL, 0) == CU_OK);
  t0 = now();
  CHECK(cut_run(S, "while true do end", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_TIME && now() - t0 < 0.4);
  CHECK(cut_out_has(S, "time limit exceeded"));
  t0 = now();
  CHECK(cut_run(S, "while true do pcall(function() while true do end end) end", CU_RESULT_LAST) ==
        CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_TIME && now() - t0 < 0.4);
  CHECK(cut_run(S, "local co = coroutine.wrap(function() while true do end end) co()",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(cut_run(S,
                "xpcall(function() while true do end end, function() while true do end end) "
                "while true do end",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(cut_run(S,
                "local co = coroutine.create(function() "
                "  local inner = coroutine.wrap(function() while true do end end) inner() end) "
                "while true do coroutine.resume(co) end",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_TIME);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK && I->reason == CU_STOP_NONE);
#if defined(__linux__)
  CHECK(I->instructions == -1); /* no hook runs: nothing counts */
#else
  CHECK(I->instructions >= 0);
#endif
  for (int i = 0; i < 2; i++) { /* another thread, then this one again */
    void *ok = NULL;
    pthread_create(&th, NULL, looper, S);
    pthread_join(th, &ok);
    CHECK(ok != NULL && I->reason == CU_STOP_TIME);
    t0 = now();
    CHECK(cut_run(S, "while true do end", CU_RESULT_LAST) == CU_ERRSTOP);
    CHECK(I->reason == CU_STOP_TIME && now() - t0 < 0.4);
  }
#if !defined(_WIN32)
  {
    void *ok = NULL;
    pthread_create(&th, NULL, blocked_looper, S);
    pthread_join(th, &ok);
    CHECK(ok != NULL && I->reason == CU_STOP_TIME);
  }
#endif
  CHECK(cu_state_limit(S, 100 * 1000000LL, 0) == CU_OK); /* runs far shorter than it */
  for (int i = 0; i < 1000; i++)
    if (cut_run(S, "return 1", CU_RESULT_LAST) != CU_OK || I->reason != CU_STOP_NONE)
      CHECK(!"a short run was stopped");
  usleep(5000); /* a timer that fired late finds no run */
  CHECK(cut_run(S, "local s = 0 for i = 1, 1000 do s = s + i end return s", CU_RESULT_LAST) ==
        CU_OK);

  /* instructions */
  CHECK(cu_state_limit(S, 0, 100000) == CU_OK);
  CHECK(cut_run(S, "for i = 1, 1e9 do end", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_INSTRUCTIONS && I->instructions >= 100000);
  CHECK(cut_run(S, "for i = 1, 100 do end return 1", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_state_limit(S, 0, 0) == CU_OK);
  CHECK(cu_state_limit(S, -1, 0) == CU_ERRARG);

  /* interrupt from another thread; idle interrupts are not remembered */
  CHECK(cu_state_interrupt(S) == 0);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);
  pthread_create(&th, NULL, interrupter, S);
  CHECK(cut_run(S, "while true do end", CU_RESULT_LAST) == CU_ERRSTOP);
  pthread_join(th, NULL);
  CHECK(I->reason == CU_STOP_INTERRUPT && cut_out_has(S, "interrupted"));
  pthread_create(&th, NULL, interrupter, S);
  CHECK(
    cut_run(S,
            "local co = coroutine.wrap(function() while true do pcall(coroutine.yield) end end) "
            "while true do co() end",
            CU_RESULT_LAST) == CU_ERRSTOP);
  pthread_join(th, NULL);
  CHECK(I->reason == CU_STOP_INTERRUPT);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);

  /* library loops that allocate nothing stop too, with the bare message */
  CHECK(cu_state_limit(S, 100 * 1000000LL, 0) == CU_OK);
  t0 = now();
  CHECK(cut_run(S, "string.rep('', math.maxinteger)", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_TIME && now() - t0 < 0.4);
  CHECK(OUT_IS(S, "[\"time limit exceeded\", null, \"time limit exceeded\", []]"));
  t0 = now();
  CHECK(cut_run(S, "string.find(string.rep('a', 1e5), '.-.-.-.-b')", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_TIME && now() - t0 < 0.4);
  /* a table that is its own __call: Lua resolves the chain in C */
  t0 = now();
  CHECK(cut_run(S, "local t = setmetatable({}, {}) getmetatable(t).__call = t return t()",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_TIME && now() - t0 < 0.2);
  CHECK(OUT_IS(S, "[\"time limit exceeded\", null, \"time limit exceeded\", []]"));
  CHECK(cut_run(S,
                "local t = setmetatable({}, {}) local c = setmetatable({}, {__call = t}) "
                "getmetatable(t).__call = function(...) return select('#', ...) end "
                "return c(1, 2)",
                CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "4"));
  /* a stop inside a coroutine whose resumer's results are returned */
  CHECK(cut_run(S, "return coroutine.resume(coroutine.create(function() while true do end end))",
                CU_RESULT_ALL) == CU_ERRSTOP);
  CHECK(OUT_IS(S, "[\"time limit exceeded\", null, \"time limit exceeded\", []]"));
  CHECK(cu_state_limit(S, 0, 100000) == CU_OK);
  CHECK(cut_run(S, "local t = setmetatable({}, {}) getmetatable(t).__call = t return t()",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_INSTRUCTIONS && I->instructions >= 100000);
  CHECK(cut_run(S, "table.move({}, 1, 1 << 50, 2)", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_INSTRUCTIONS && I->instructions >= 100000);
  /* a stop a resumer caught still ends the run; __close handlers stop */
  CHECK(cut_run(S,
                "coroutine.resume(coroutine.create(function() while true do end end)) "
                "return 1",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_INSTRUCTIONS && cut_out_has(S, "instruction limit exceeded"));
  CHECK(cut_run(S,
                "local co = coroutine.create(function() local x <close> = setmetatable({}, "
                "{__close = function() while true do end end}) coroutine.yield() end) "
                "coroutine.resume(co) coroutine.close(co) return 1",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_INSTRUCTIONS);
  CHECK(cut_run(S,
                "coroutine.wrap(function() local x <close> = setmetatable({}, "
                "{__close = function() while true do end end}) while true do end end)()",
                CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_INSTRUCTIONS);
  /* outside a run nothing is counted: a large chunk still loads */
  {
    static char big[400001];
    int ref;
    for (int i = 0; i < 100000; i++) memcpy(big + 4 * i, "x=1 ", 4);
    CHECK(cu_chunk_load(S, big, 400000, "=big", &ref) == CU_OK);
    CHECK(cu_chunk_free(S, ref) == CU_OK);
  }
  CHECK(cu_state_limit(S, 0, 0) == CU_OK);

  /* CPU time */
  CHECK(cu_state_cpulimit(S, -1) == CU_ERRARG);
  CHECK(cu_state_cpulimit(S, 100 * 1000000LL) == CU_OK);
  t0 = now();
  CHECK(cut_run(S, "while true do end", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_CPU && cut_out_has(S, "cpu time limit exceeded"));
  CHECK(now() - t0 >= 0.099 - CPU_CLOCK_STEP);
  CHECK(cut_run(S, "string.rep('', math.maxinteger)", CU_RESULT_LAST) == CU_ERRSTOP);
  CHECK(I->reason == CU_STOP_CPU);
  CHECK(cu_state_cpulimit(S, 0) == CU_OK);
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK);
  cu_state_close(S);

  /* limits need the hook */
  S = cut_state(0, 0);
  CHECK(cu_state_limit(S, 1000, 0) == CU_ERRARG);
  CHECK(cu_state_limit(S, 0, 1000) == CU_ERRARG);
  CHECK(cu_state_cpulimit(S, 1000) == CU_ERRARG);
  cu_state_close(S);

  /* a limit too small to open the libraries is a clean failure */
  S = cu_state_new(8 * 1024);
  if (S != NULL) {
    CHECK(cu_state_open(S, 1, 1) == CU_ERRMEM);
    cu_state_close(S);
  }
  return cut_done();
}
