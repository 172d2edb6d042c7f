/*
** cu_limits.c - the count hook, time, CPU time and instruction limits,
** library-loop steps, and interrupts from other threads (the memory
** limit is the allocator's, cu_alloc.c).
**
** How a run is stopped. Lua 5.4's count hook makes the VM call into the
** debug library before every instruction of every hooked function, which
** about halves the speed of tight Lua code. So the hook is installed only
** when something needs it:
**  - an instruction limit counts all the time (the hook stays on);
**  - without a way to reach the running thread (CU_ASYNC is 0: Windows,
**    macOS), every interruptible state keeps the hook on, and the hook
**    checks the deadline, the CPU clock and the interrupt flag every
**    CU_HOOK_STEP instructions;
**  - with CU_ASYNC (Linux), the hook is off while the code runs. A stop
**    reaches the running thread as CU_SIGNAL: cu_state_interrupt sends it
**    with tgkill, and the deadline and the CPU time limit are per-state
**    POSIX timers (on CLOCK_MONOTONIC and on the thread's CPU clock)
**    that the kernel fires at that thread. The handler, on that thread,
**    installs the hook with lua_sethook, which Lua allows inside a signal
**    handler (lua.c stops scripts on Ctrl-C this way: jumps and loops
**    re-read the trap flag). The hook then raises the stop. If a timer
**    cannot be set, that run falls back to the hook checking the clocks.
** Library loops run no instruction: Lua is patched to call luai_loopstep
** in them (cu_loopstep.h), and every CU_HOOK_STEP iterations
** cu_limits_loopstep checks like the hook does. Once stopped, the hook
** fires on every instruction of each thread that runs, so pcall cannot
** swallow the stop. Coroutines: resume, wrap and close (cu_coro.c) name
** the thread that runs through cu_limits_switch ('current'), and a
** resumer whose coroutine ended stopped is armed again.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lualib.h"

#include "cu_core.h"
#include "cu_alloc.h"
#include "cu_limits.h"
#include "cu_loopstep.h"

#if defined(__linux__)
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#define CU_ASYNC 1
#else
#define CU_ASYNC 0
#endif


static int64_t now_ns (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}


/*
** CPU time used by the calling thread, in ns (async-signal-safe). Where
** the platform has no thread CPU clock, the wall clock stands in.
*/
static int64_t thread_cpu_ns (void) {
#if defined(CLOCK_THREAD_CPUTIME_ID)
  struct timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
  return now_ns();
}


const char *cu_limits_message (int reason) {
  switch (reason) {
    case CU_STOP_TIME: return "time limit exceeded";
    case CU_STOP_INSTRUCTIONS: return "instruction limit exceeded";
    case CU_STOP_CPU: return "cpu time limit exceeded";
    default: return "interrupted";
  }
}


/* Whether a stop was requested for the run in progress. */
static int stop_pending (cu_State *S) {
  return atomic_load(&S->lim.stop) == atomic_load(&S->lim.epoch);
}


/* Whether the run in progress is stopped: raised already, or requested. */
static int stopped (cu_State *S) {
  return S->info.reason != CU_STOP_NONE || stop_pending(S);
}


/* ---------------------------------------------------------- the signal */

#if CU_ASYNC

/* The signal that reaches a running thread; glibc keeps the first two. */
#define CU_SIGNAL (SIGRTMIN + 6)

/*
** The state whose run is in progress on this thread, or NULL, and the
** thread's kernel id. Written by the thread itself only; read by the
** handler on the same thread. Initial-exec TLS (24 bytes of the static
** TLS block) is a plain load: safe in a signal handler, and it needs no
** __tls_get_addr, so libcu depends on libc and libm only.
*/
#define CU_TLS __thread __attribute__((tls_model("initial-exec")))
static CU_TLS cu_State *running;
static CU_TLS pid_t mytid;
static CU_TLS int myblocked; /* this thread blocks CU_SIGNAL */
/*
** A number no other thread of the process ever gets: kernel thread ids
** are reused once a thread exits, and a timer aimed at an exited thread
** would never fire for its successor with the same id.
*/
static CU_TLS uint64_t myserial;
static _Atomic uint64_t serials;

/* 1 when the handler is installed, -1 when it cannot be, 0 before trying. */
static _Atomic int signal_ready;

/*
** Runs out the library-loop countdown of thread L (cu_loopstep.h), so its
** next loop iteration checks for the stop: one iteration can cost as much
** as its data (a match step against a bracket class of a million bytes),
** and a stop must not wait for CU_HOOK_STEP of them. A plain volatile
** store: safe in the signal handler.
*/
static void run_out (lua_State *L) {
  *(volatile int *)lua_getextraspace(L) = 0;
}

/*
** Arms the hook of the thread running S's code (and of the main thread)
** and runs out their loop countdowns: the stop reaches the next
** instruction or library loop iteration, whichever comes first.
*/
static void arm (cu_State *S) {
  lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, 1);
  run_out(S->L);
  if (S->lim.current != S->L) {
    lua_sethook(S->lim.current, cu_limits_hook, LUA_MASKCOUNT, 1);
    run_out(S->lim.current);
  }
}

/*
** Runs on the owner thread, between any two of its instructions. A timer
** signal (its value says which timer) whose deadline has passed records
** the time or CPU time stop (a late signal of an earlier run finds a later
** deadline, or no run, and does nothing).
*/
static void on_signal (int sig, siginfo_t *si, void *uc) {
  cu_State *S = running;
  int saved = errno;
  int64_t epoch;
  (void)sig;
  (void)uc;
  if (S != NULL) {
    epoch = atomic_load(&S->lim.epoch);
    if (si->si_code == SI_TIMER && (epoch & 1) && !stop_pending(S)) {
      int why = si->si_value.sival_int;
      if ((why == CU_STOP_TIME && S->lim.deadline != 0 && now_ns() >= S->lim.deadline) ||
          (why == CU_STOP_CPU && S->lim.cpudeadline != 0 &&
           thread_cpu_ns() >= S->lim.cpudeadline)) {
        atomic_store(&S->lim.stopwhy, why);
        atomic_store(&S->lim.stop, epoch);
      }
    }
    if (stop_pending(S))
      arm(S);
  }
  errno = saved;
}

/*
** Installs the handler once per process. Leaves CU_SIGNAL alone when
** somebody else already handles it; states then keep the hook on.
*/
static int signal_install (void) {
  static atomic_flag busy = ATOMIC_FLAG_INIT;
  int ready = atomic_load(&signal_ready);
  if (ready != 0)
    return ready > 0;
  while (atomic_flag_test_and_set(&busy))
    ;
  if (atomic_load(&signal_ready) == 0) {
    struct sigaction old, sa;
    int ok = sigaction(CU_SIGNAL, NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
             !(old.sa_flags & SA_SIGINFO);
    if (ok) {
      memset(&sa, 0, sizeof(sa));
      sa.sa_sigaction = on_signal;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = SA_RESTART | SA_SIGINFO;
      ok = sigaction(CU_SIGNAL, &sa, NULL) == 0;
    }
    atomic_store(&signal_ready, ok ? 1 : -1);
  }
  atomic_flag_clear(&busy);
  return atomic_load(&signal_ready) > 0;
}

/* Called with S->lim.lock held while the run is in progress. */
static void signal_send (cu_State *S) {
  syscall(SYS_tgkill, (pid_t)getpid(), (pid_t)atomic_load(&S->lim.owner), CU_SIGNAL);
}

/*
** Sets timer t, on 'clock', to fire CU_SIGNAL with value 'why' at the
** owner thread after 'ns' nanoseconds of that clock (0 disarms it). The
** timer targets one thread (and CLOCK_THREAD_CPUTIME_ID is the CPU clock
** of the thread that creates it), so a state that moved to another thread
** gets a new one. Raw system calls: the kernel's timer id is an int, and
** librt is not needed. Returns 1 on success.
*/
static int timer_set (cu_Timer *t, clockid_t clock, int why, int64_t ns) {
  struct itimerspec its;
  if (ns > 0 && t->serial != myserial) {
    struct sigevent sev;
    if (t->tid != 0)
      syscall(SYS_timer_delete, t->id);
    t->tid = 0;
    t->serial = 0;
    memset(&sev, 0, sizeof(sev));
    sev.sigev_value.sival_int = why;
    sev.sigev_signo = CU_SIGNAL;
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev._sigev_un._tid = mytid;
    if (syscall(SYS_timer_create, clock, &sev, &t->id) != 0)
      return 0;
    t->tid = mytid;
    t->serial = myserial;
  }
  t->armed = 0;
  if (t->tid == 0)
    return ns == 0;
  memset(&its, 0, sizeof(its));
  its.it_value.tv_sec = (time_t)(ns / 1000000000);
  its.it_value.tv_nsec = (long)(ns % 1000000000);
  if (syscall(SYS_timer_settime, t->id, 0, &its, NULL) != 0)
    return 0;
  t->armed = ns > 0;
  return 1;
}

static void timer_free (cu_Timer *t) {
  if (t->tid != 0)
    syscall(SYS_timer_delete, t->id);
  t->tid = 0;
  t->serial = 0;
  t->armed = 0;
}

#endif


/*
** Without a CPU timer, the CPU clock is read every CU_CPU_POLL steps (a
** power of 2): reading it is a system call, unlike the monotonic clock.
*/
#define CU_CPU_POLL 16


/* Whether the hook must stay on during runs. */
static int counting (cu_State *S) {
  return S->lim.hooked && (S->lim.max_insn > 0 || !S->lim.async || S->lim.polling);
}


/*
** One step of CU_HOOK_STEP instructions (or library loop iterations):
** counts it and checks the instruction budget, the deadline and, without
** a CPU timer, the CPU clock. Returns the reason of the stop it records,
** or CU_STOP_NONE.
*/
static int count_step (cu_State *S) {
  S->lim.steps++;
  if (S->lim.max_insn > 0 && S->lim.steps * CU_HOOK_STEP >= S->lim.max_insn)
    S->info.reason = CU_STOP_INSTRUCTIONS;
  else if (S->lim.deadline != 0 && now_ns() >= S->lim.deadline)
    S->info.reason = CU_STOP_TIME;
  else if (S->lim.cpudeadline != 0 && !S->lim.cputimer.armed &&
           (S->lim.steps & (CU_CPU_POLL - 1)) == 0 && thread_cpu_ns() >= S->lim.cpudeadline)
    S->info.reason = CU_STOP_CPU;
  return S->info.reason;
}


/*
** Raises the stop of the run on thread L, after arming L's hook to fire on
** its every instruction: a pcall that catches the error cannot go on. The
** error is the bare message, without a position.
*/
static CU_NORETURN void raise_stop (lua_State *L, cu_State *S) {
  lua_sethook(L, cu_limits_hook, LUA_MASKCOUNT, 1);
  lua_pushstring(L, cu_limits_message(S->info.reason));
  lua_error(L);
  abort(); /* not reached: lua_error does not return */
}


/*
** The count hook. Once a run is stopped, it re-arms itself to fire on
** every instruction of the thread that runs and raises the stop. Without
** a stop, it counts and checks the limits when counting; otherwise it was
** armed by a stop meant for an earlier run and turns itself off.
*/
void cu_limits_hook (lua_State *L, lua_Debug *ar) {
  cu_State *S = cu_getstate(L);
  (void)ar;
  if (S->info.reason == CU_STOP_NONE) {
    if (stop_pending(S))
      S->info.reason = atomic_load(&S->lim.stopwhy);
    else if (!counting(S)) {
      lua_sethook(L, NULL, 0, 0);
      if (!stop_pending(S)) /* a stop that arrived meanwhile re-arms it */
        return;
      S->info.reason = atomic_load(&S->lim.stopwhy);
    }
    else if (count_step(S) == CU_STOP_NONE) {
      if (lua_gethookcount(L) != CU_HOOK_STEP)
        lua_sethook(L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
      return;
    }
  }
  raise_stop(L, S);
}


/*
** luai_loopstep's slow path (cu_loopstep.h), every CU_HOOK_STEP iterations
** of a library loop: the loop is a stretch of work without instructions,
** so it is checked like the hook checks code. With the hook counting, the
** iterations count as instructions. Outside a run (epoch even: chunks are
** loaded, values decoded) nothing is checked.
*/
void cu_limits_loopstep (lua_State *L) {
  cu_State *S = cu_getstate(L);
  *(int *)lua_getextraspace(L) = CU_HOOK_STEP;
  if (!S->lim.hooked || !(atomic_load(&S->lim.epoch) & 1))
    return;
  if (S->info.reason == CU_STOP_NONE) {
    if (stop_pending(S))
      S->info.reason = atomic_load(&S->lim.stopwhy);
    else if (!counting(S) || count_step(S) == CU_STOP_NONE)
      return;
  }
  raise_stop(L, S);
}


/*
** luai_usehandler (cu_loopstep.h): whether an error raised now may call a
** message handler, the script's (xpcall) or cu's own. Not once the run is
** stopped: the stop is raised inside the count hook, where hooks are
** disabled, so a handler that looped could never be stopped; the error
** then propagates unchanged, as if the handler had returned it.
*/
int cu_limits_usehandler (lua_State *L) {
  return cu_getstate(L)->info.reason == CU_STOP_NONE;
}


static void lock (cu_State *S) {
  while (atomic_flag_test_and_set_explicit(&S->lim.lock, memory_order_acquire))
    ;
}

static void unlock (cu_State *S) {
  atomic_flag_clear_explicit(&S->lim.lock, memory_order_release);
}


/* Called once by cu_state_open. */
void cu_limits_open (cu_State *S, int hooked) {
  S->lim.hooked = hooked != 0;
  S->lim.current = S->L;
#if CU_ASYNC
  S->lim.async = S->lim.hooked && signal_install();
#else
  S->lim.async = 0;
#endif
  if (counting(S))
    lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
}


/* Called once by cu_state_close, after lua_close: no block is live. */
void cu_limits_close (cu_State *S) {
  cu_alloc_close(S);
#if CU_ASYNC
  timer_free(&S->lim.timer);
  timer_free(&S->lim.cputimer);
#endif
}


/*
** Moves the epoch on. Only the owning thread writes it, so a store does:
** its release publishes what the run's start wrote (owner, polling) to an
** interrupter that reads the new epoch. An interrupter that still reads
** the old one acted before the run began, and its stop is not for it.
*/
static void advance (cu_State *S) {
  int64_t e = atomic_load_explicit(&S->lim.epoch, memory_order_relaxed);
  atomic_store_explicit(&S->lim.epoch, e + 1, memory_order_release);
}

/* Called by the owning thread before a run. */
void cu_limits_begin (cu_State *S) {
  S->info.reason = CU_STOP_NONE;
  S->lim.steps = 0;
  S->up.failed = 0;
  S->alloc.inhandler = 0;
  S->lim.current = S->L;
  S->lim.deadline = (S->lim.timeout_ns > 0) ? now_ns() + S->lim.timeout_ns : 0;
  S->lim.cpudeadline = (S->lim.cpu_ns > 0) ? thread_cpu_ns() + S->lim.cpu_ns : 0;
  atomic_store_explicit(&S->lim.polling, 0, memory_order_relaxed);
#if CU_ASYNC
  if (S->lim.async) {
    if (mytid == 0) { /* first run on this thread */
      sigset_t set;
      mytid = (pid_t)syscall(SYS_gettid);
      myserial = atomic_fetch_add(&serials, 1) + 1;
      /* a query of this thread's mask (glibc: per thread, an old symbol) */
      myblocked = sigprocmask(SIG_BLOCK, NULL, &set) != 0 || sigismember(&set, CU_SIGNAL) != 0;
    }
    /* relaxed: the epoch increment below publishes owner and polling */
    atomic_store_explicit(&S->lim.owner, mytid, memory_order_relaxed);
    running = S;
    if (myblocked) /* no signal can reach this thread: poll */
      atomic_store_explicit(&S->lim.polling, 1, memory_order_relaxed);
    else { /* the hook polls what a timer cannot watch */
      /* timers also with an instruction limit: the hook and library loops
         poll the clocks only every CU_HOOK_STEP steps, and a step of a
         library loop can be long (one match step against a long class) */
      if (S->lim.deadline != 0 &&
          !timer_set(&S->lim.timer, CLOCK_MONOTONIC, CU_STOP_TIME, S->lim.timeout_ns))
        atomic_store_explicit(&S->lim.polling, 1, memory_order_relaxed);
      if (S->lim.cpudeadline != 0 &&
          !timer_set(&S->lim.cputimer, CLOCK_THREAD_CPUTIME_ID, CU_STOP_CPU, S->lim.cpu_ns))
        atomic_store_explicit(&S->lim.polling, 1, memory_order_relaxed);
    }
  }
#endif
  if (counting(S)) /* restart the step count of the main thread */
    lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
  advance(S); /* now odd: running */
}


/* Called by the owning thread after a run. */
void cu_limits_end (cu_State *S) {
#if CU_ASYNC
  if (S->lim.async) {
    if (S->lim.timer.armed)
      timer_set(&S->lim.timer, CLOCK_MONOTONIC, CU_STOP_TIME, 0);
    if (S->lim.cputimer.armed)
      timer_set(&S->lim.cputimer, CLOCK_THREAD_CPUTIME_ID, CU_STOP_CPU, 0);
    lock(S);    /* no stop is being sent to this thread any more */
    advance(S); /* now even: idle */
    unlock(S);
    running = NULL;
  }
  else
#endif
    advance(S);
  S->alloc.inhandler = 0;
  S->lim.current = S->L;
  S->info.instructions = counting(S) ? S->lim.steps * CU_HOOK_STEP : -1;
  if (S->lim.hooked && S->info.reason != CU_STOP_NONE) {
    if (counting(S))
      lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
    else
      lua_sethook(S->L, NULL, 0, 0);
  }
}


CU_API int cu_state_limit (cu_State *S, int64_t timeout_ns, int64_t instructions) {
  if (timeout_ns < 0 || instructions < 0)
    return CU_ERRARG;
  if (!S->lim.hooked && (timeout_ns > 0 || instructions > 0))
    return CU_ERRARG;
  S->lim.timeout_ns = timeout_ns;
  S->lim.max_insn = instructions;
  if (counting(S))
    lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
  else
    lua_sethook(S->L, NULL, 0, 0);
  return CU_OK;
}


CU_API int cu_state_cpulimit (cu_State *S, int64_t cpu_ns) {
  if (cpu_ns < 0 || (!S->lim.hooked && cpu_ns > 0))
    return CU_ERRARG;
  S->lim.cpu_ns = cpu_ns;
  return CU_OK;
}


/*
** Records a stop for the run in progress (with S->lim.lock held) and, where
** the hook is off, sends the signal that arms it.
*/
static void request_stop (cu_State *S, int64_t epoch, int why) {
  atomic_store(&S->lim.stopwhy, why);
  atomic_store(&S->lim.stop, epoch);
#if CU_ASYNC
  if (S->lim.async && !atomic_load(&S->lim.polling))
    signal_send(S);
#endif
}


CU_API int cu_state_interrupt (cu_State *S) {
  int64_t epoch;
  if (!S->lim.hooked)
    return 0;
  lock(S);
  epoch = atomic_load(&S->lim.epoch);
  if (epoch & 1)
    request_stop(S, epoch, CU_STOP_INTERRUPT);
  unlock(S);
  return (int)(epoch & 1);
}


/* ------------------------------------------------------- thread switches */

lua_State *cu_limits_switch (lua_State *L, lua_State *co) {
  cu_State *S = cu_getstate(L);
  lua_State *prev = S->lim.current;
  S->lim.current = co;
  if (S->lim.hooked && stopped(S))
    lua_sethook(co, cu_limits_hook, LUA_MASKCOUNT, 1);
  return prev;
}


void cu_limits_switchback (lua_State *L, lua_State *prev) {
  cu_State *S = cu_getstate(L);
  S->lim.current = prev;
  if (S->lim.hooked && stopped(S))
    lua_sethook(L, cu_limits_hook, LUA_MASKCOUNT, 1);
}
