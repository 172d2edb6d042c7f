/*
** cu_perm.c - the permanents (cu_perm.h). A C function is stored by the
** name it had when its state opened, so it loads back as the same
** function whatever a script did to the globals since.
**
** The library's C functions without upvalues are the same in every state:
** the first state to open records them in 'lib', which the process shares
** and never changes once published; every other state reads it. A state's
** own tables (perm: function -> name, names: name -> function) hold only
** what differs per state: C closures (math.random keeps its generator in
** an upvalue), host functions and placeholders; they are made at the first
** such permanent. A state that opens while another is recording 'lib'
** keeps every permanent in its own tables.
**
** Invariant: for a state with S->fn.permlib set, lib.n > 0 and both of
** lib's arrays are sorted (by function, by name) and immutable.
*/
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cu_core.h"
#include "cu_perm.h"

typedef struct Perm {
  lua_CFunction f;
  char *name; /* malloc, NUL-terminated */
} Perm;

static struct {
  Perm *byf;    /* sorted by function */
  Perm *byname; /* the same entries, sorted by name */
  int n;
} lib;

enum { LIB_NONE, LIB_RECORDING, LIB_READY };
static atomic_int libstate = LIB_NONE;


/* ------------------------------------------------------- this state's own */

void cu_perm_add (lua_State *L, cu_State *S, int f, const char *name) {
  f = lua_absindex(L, f);
  if (S->fn.perm == 0) {
    S->fn.perm = cu_newref(L, NULL);
    S->fn.permnames = cu_newref(L, NULL);
  }
  lua_pushstring(L, name);
  cu_refset(L, S->fn.perm, f, -1);
  cu_refset(L, S->fn.permnames, -1, f);
  lua_pop(L, 1);
}


/* ------------------------------------------------------ the shared record */

static int cmpf (const void *a, const void *b) {
  /* function pointers compared through their addresses as integers */
  uintptr_t x = (uintptr_t)((const Perm *)a)->f, y = (uintptr_t)((const Perm *)b)->f;
  return (x > y) - (x < y);
}

static int cmpname (const void *a, const void *b) {
  return strcmp(((const Perm *)a)->name, ((const Perm *)b)->name);
}

static void freeperms (Perm *p, int n) {
  for (int i = 0; i < n; i++) free(p[i].name);
  free(p);
}

/* Whether the C function at f has no upvalues (the same in every state). */
static int plain (lua_State *L, int f) {
  if (lua_getupvalue(L, f, 1) == NULL)
    return 1;
  lua_pop(L, 1);
  return 0;
}

/* What a walk does with the plain functions it finds (the others go to the state's tables). */
enum { WALK_OWN, WALK_SKIP, WALK_RECORD };

/*
** Adds the C functions of table t (at the top) named prefix.key; the plain
** ones as 'how' says, to 'out' when recording. Returns 0 when malloc fails.
*/
static int addlib (lua_State *L, cu_State *S, const char *prefix, int how, Perm **out, int *n,
                   int *cap) {
  int t = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    /* a skipped function gets no name: each would be a string left for the collector */
    if (lua_iscfunction(L, -1) && lua_type(L, -2) == LUA_TSTRING &&
        !(how == WALK_SKIP && plain(L, -1))) {
      const char *name = prefix ? lua_pushfstring(L, "%s.%s", prefix, lua_tostring(L, -2))
                                : lua_pushstring(L, lua_tostring(L, -2));
      if (how == WALK_OWN || !plain(L, -2))
        cu_perm_add(L, S, -2, name);
      else if (how == WALK_RECORD) {
        if (*n == *cap) {
          int c = *cap ? *cap * 2 : 64;
          Perm *p = (Perm *)realloc(*out, sizeof(Perm) * (size_t)c);
          if (p == NULL)
            return 0;
          *out = p;
          *cap = c;
        }
        size_t len = strlen(name) + 1;
        char *copy = (char *)malloc(len);
        if (copy == NULL)
          return 0;
        memcpy(copy, name, len);
        (*out)[*n].f = lua_tocfunction(L, -2);
        (*out)[*n].name = copy;
        (*n)++;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return 1;
}

static const char *const libnames[] = {"string", "table", "math", "utf8", "coroutine", "os", NULL};

/*
** Walks the globals and the library tables, doing 'how' with the plain
** functions (recording them into out[0, n)); 0 when malloc failed.
*/
static int walk (lua_State *L, cu_State *S, int how, Perm **out, int *n) {
  int cap = 0, ok;
  lua_pushglobaltable(L);
  ok = addlib(L, S, NULL, how, out, n, &cap);
  for (const char *const *lib = libnames; ok && *lib; lib++) {
    if (lua_getfield(L, -1, *lib) == LUA_TTABLE)
      ok = addlib(L, S, *lib, how, out, n, &cap);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return ok;
}

/* Publishes the recorded 'p[0, n)' as 'lib'; 0 (and nothing published) when malloc fails. */
static int publish (Perm *p, int n) {
  Perm *byname = (Perm *)malloc(sizeof(Perm) * (size_t)(n > 0 ? n : 1));
  if (byname == NULL || n == 0) {
    free(byname);
    return 0;
  }
  qsort(p, (size_t)n, sizeof(Perm), cmpf);
  memcpy(byname, p, sizeof(Perm) * (size_t)n);
  qsort(byname, (size_t)n, sizeof(Perm), cmpname);
  lib.byf = p;
  lib.byname = byname;
  lib.n = n;
  return 1;
}

typedef struct Record {
  cu_State *S;
  Perm *p;
  int n;
  int ok; /* malloc did not fail */
} Record;

static int precord (lua_State *L) {
  Record *r = (Record *)lua_touserdata(L, 1);
  r->ok = walk(L, r->S, WALK_RECORD, &r->p, &r->n);
  return 0;
}

void cu_perm_open (lua_State *L, cu_State *S) {
  int expected = LIB_NONE, st;
  Record r;
  S->fn.perm = S->fn.permnames = 0;
  S->fn.permlib = 0;
  if (atomic_load_explicit(&libstate, memory_order_acquire) == LIB_READY) {
    S->fn.permlib = 1;
    walk(L, S, WALK_SKIP, NULL, NULL); /* this state's closures */
    return;
  }
  if (!atomic_compare_exchange_strong(&libstate, &expected, LIB_RECORDING)) {
    walk(L, S, WALK_OWN, NULL, NULL); /* another state is recording: all in this state's tables */
    return;
  }
  /* this state records, protected: whatever fails, 'lib' is left to the next state */
  memset(&r, 0, sizeof r);
  r.S = S;
  lua_pushcfunction(L, precord);
  lua_pushlightuserdata(L, &r);
  st = lua_pcall(L, 1, 0, 0);
  if (st == LUA_OK && r.ok && publish(r.p, r.n)) {
    S->fn.permlib = 1;
    atomic_store_explicit(&libstate, LIB_READY, memory_order_release);
    return;
  }
  freeperms(r.p, r.n);
  atomic_store_explicit(&libstate, LIB_NONE, memory_order_release);
  if (st != LUA_OK)
    lua_error(L); /* the open fails as it would have */
  walk(L, S, WALK_OWN, NULL, NULL);
}


/* ----------------------------------------------------------------- lookups */

int cu_perm_name (lua_State *L, cu_State *S, int f) {
  f = lua_absindex(L, f);
  if (S->fn.perm != 0) {
    if (cu_refget(L, S->fn.perm, f) != LUA_TNIL)
      return LUA_TSTRING;
    lua_pop(L, 1);
  }
  if (S->fn.permlib && lua_iscfunction(L, f) && plain(L, f)) {
    Perm key, *hit;
    key.f = lua_tocfunction(L, f);
    hit = (Perm *)bsearch(&key, lib.byf, (size_t)lib.n, sizeof(Perm), cmpf);
    if (hit != NULL) {
      lua_pushstring(L, hit->name);
      return LUA_TSTRING;
    }
  }
  lua_pushnil(L);
  return LUA_TNIL;
}

int cu_perm_func (lua_State *L, cu_State *S, int name) {
  name = lua_absindex(L, name);
  if (S->fn.perm != 0) {
    int t = cu_refget(L, S->fn.permnames, name);
    if (t != LUA_TNIL)
      return t;
    lua_pop(L, 1);
  }
  if (S->fn.permlib && lua_type(L, name) == LUA_TSTRING) {
    size_t len;
    Perm key, *hit;
    key.name = (char *)lua_tolstring(L, name, &len);
    hit = (strlen(key.name) == len) /* a name with a NUL names nothing */
            ? (Perm *)bsearch(&key, lib.byname, (size_t)lib.n, sizeof(Perm), cmpname)
            : NULL;
    if (hit != NULL) {
      lua_pushcfunction(L, hit->f);
      return LUA_TFUNCTION;
    }
  }
  lua_pushnil(L);
  return LUA_TNIL;
}
