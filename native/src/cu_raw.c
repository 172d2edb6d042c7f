/*
** cu_raw.c - raw access through Lua's internals (cu_raw.h): with
** cu_stack.c, the module of the shim that includes Lua's private headers. Through the API, a raw
** read of a handle's table at a string key takes a dozen calls (the
** registry, the table of handles, the key, the value, each pushed and
** checked), and pushing the key from C bytes may allocate, which outside
** a protected call could raise; here it is two array reads, one walk of
** the string table and one hash lookup, with nothing pushed.
**
** Invariants this relies on, from Lua 5.4.7's sources (the build pins the
** release): a short string (at most LUAI_MAXSHORTLEN bytes) is interned,
** the one string of its bytes in the string table, so when the table has
** none, no table holds such a key. A string found dead (not marked by the
** cycle's atomic step, awaiting the sweep) is no table's key either: that
** step marks the key of every entry that holds a value in every reachable
** table, and a key added since came from a live value or from
** luaS_newlstr, which resurrects the string; so a read answers nil, while
** a write or a call by name takes the API path. Nothing here allocates,
** so no collector step can run and the string table cannot be resized
** meanwhile. Writing a value that is not collectable (nil, a boolean, a
** number) into an existing entry needs no barrier, only the table's
** metamethod cache cleared, as luaH_finishset does.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lobject.h"
#include "lstate.h"
#include "lstring.h"
#include "ltable.h"
#include "lgc.h"

#include "cu_cbor.h"
#include "cu_slots.h"
#include "cu_raw.h"

#if LUA_VERSION_RELEASE_NUM != 50407
#error "cu_raw.c reads Lua 5.4.7's internals: check them against this release"
#endif


/* registry[reg][i], raw; NULL when registry[reg] is not a table. */
static const TValue *rawindex (lua_State *L, int reg, lua_Integer i) {
  const TValue *t = luaH_getint(hvalue(&G(L)->l_registry), reg);
  return ttistable(t) ? luaH_getint(hvalue(t), i) : NULL;
}

/* The table registry[reg][i] when it has no metatable, else NULL. */
static Table *plaintable (lua_State *L, int reg, lua_Integer i) {
  const TValue *t = rawindex(L, reg, i);
  if (t == NULL || !ttistable(t) || hvalue(t)->metatable != NULL)
    return NULL;
  return hvalue(t);
}

/* The live short string of bytes s[0, len), or NULL when there is none. */
static TString *findshort (lua_State *L, const char *s, size_t len) {
  global_State *g = G(L);
  stringtable *tb = &g->strt;
  TString *ts;
  if (len > LUAI_MAXSHORTLEN)
    return NULL;
  ts = tb->hash[lmod(luaS_hash(s, len, g->seed), tb->size)];
  for (; ts != NULL; ts = ts->u.hnext)
    if (len == ts->shrlen && memcmp(s, getshrstr(ts), len) == 0)
      return isdead(g, ts) ? NULL : ts;
  return NULL;
}

/*
** The entry of 't' at the key of slot 's': NULL when this module cannot
** look it up (another kind of key, a long string), or when the key is a
** short string no table holds (none of its bytes, or only a dead one),
** which sets *nostring; else the value, or the absent key.
*/
static const TValue *lookup (lua_State *L, Table *t, const cu_Slots *f, const cu_Slot *s,
                             int *nostring) {
  const char *text;
  TString *ts;
  *nostring = 0;
  if (s->type == CU_SLOT_INT)
    return luaH_getint(t, (lua_Integer)s->v);
  if ((text = cu_slots_text(f, s)) == NULL || (size_t)s->len > LUAI_MAXSHORTLEN)
    return NULL;
  if ((ts = findshort(L, text, (size_t)s->len)) != NULL)
    return luaH_getshortstr(t, ts);
  *nostring = 1; /* no live string of these bytes: no table's key */
  return NULL;
}


int cu_raw_pushindex (lua_State *L, int reg, lua_Integer i) {
  const TValue *v = rawindex(L, reg, i);
  if (v == NULL || isempty(v)) /* the stack holds no empty or absent-key variant of nil */
    setnilvalue(s2v(L->top.p));
  else
    setobj2s(L, L->top.p, v);
  L->top.p++;
  return ttype(s2v(L->top.p - 1));
}


/* Puts value 'v' into slot 0 of 'f' when it is a scalar that fits; 1 when done. */
static int putvalue (cu_Slots *f, const TValue *v) {
  cu_Slot *s = &f->slot[0];
  int32_t used = 0;
  if (ttisnil(v))
    s->type = CU_SLOT_NIL;
  else if (ttisfalse(v))
    s->type = CU_SLOT_FALSE;
  else if (ttistrue(v))
    s->type = CU_SLOT_TRUE;
  else if (ttisinteger(v)) {
    s->type = CU_SLOT_INT;
    s->v = (int64_t)ivalue(v);
  }
  else if (ttisfloat(v)) {
    double d = (double)fltvalue(v);
    s->type = CU_SLOT_FLOAT;
    memcpy(&s->v, &d, sizeof d);
  }
  else if (ttisstring(v)) {
    TString *ts = tsvalue(v);
    size_t len = tsslen(ts);
    if (len > CU_SLOTS_TEXT)
      return 0;
    memcpy(f->text, getstr(ts), len);
    s->type = cu_cbor_utf8(f->text, len) ? CU_SLOT_TEXT : CU_SLOT_BYTES;
    s->v = 0;
    s->len = used = (int32_t)len;
  }
  else
    return 0; /* tables, functions, userdata: CBOR's work */
  f->n = 1;
  f->used = used;
  return 1;
}

int cu_raw_get (lua_State *L, int reg, lua_Integer i, cu_Slots *f) {
  Table *t;
  const TValue *v;
  int nostring;
  if (f->n != 1 || (t = plaintable(L, reg, i)) == NULL)
    return 0;
  v = lookup(L, t, f, &f->slot[0], &nostring);
  if (v == NULL) {
    if (!nostring)
      return 0;
    f->slot[0].type = CU_SLOT_NIL; /* no string of its bytes: no such key */
    return 1;
  }
  return putvalue(f, v);
}


int cu_raw_set (lua_State *L, int reg, lua_Integer i, const cu_Slots *f) {
  const cu_Slot *s = &f->slot[1];
  Table *t;
  TValue *v;
  int nostring;
  if (f->n != 2 || s->type < CU_SLOT_NIL || s->type > CU_SLOT_FLOAT ||
      (t = plaintable(L, reg, i)) == NULL)
    return 0;
  v = (TValue *)lookup(L, t, f, &f->slot[0], &nostring);
  if (v == NULL || isabstkey(v))
    return 0; /* a new key: the table may grow */
  switch (s->type) {
    case CU_SLOT_NIL: setnilvalue(v); break;
    case CU_SLOT_FALSE: setbfvalue(v); break;
    case CU_SLOT_TRUE: setbtvalue(v); break;
    case CU_SLOT_INT: setivalue(v, (lua_Integer)s->v); break;
    default: {
      double d;
      memcpy(&d, &s->v, sizeof d);
      setfltvalue(v, (lua_Number)d);
    }
  }
  invalidateTMcache(t);
  return 1;
}


int cu_raw_pushglobal (lua_State *L, const char *s, size_t len) {
  const TValue *g = luaH_getint(hvalue(&G(L)->l_registry), LUA_RIDX_GLOBALS);
  TString *ts;
  const TValue *v;
  if (!ttistable(g) || (ts = findshort(L, s, len)) == NULL)
    return 0;
  v = luaH_getshortstr(hvalue(g), ts);
  if (!ttisfunction(v))
    return 0;
  setobj2s(L, L->top.p, v);
  L->top.p++;
  return 1;
}


/* ----------------------------------------------------- tables on the stack */

/* The table at stack index idx (not a pseudo-index), or NULL. */
static Table *stacktable (lua_State *L, int idx) {
  const TValue *o;
  if (idx > 0) {
    StkId s = L->ci->func.p + idx;
    if (s >= L->top.p)
      return NULL;
    o = s2v(s);
  }
  else
    o = s2v(L->top.p + idx);
  return ttistable(o) ? hvalue(o) : NULL;
}

/* Pushes v (a nil for an empty slot) and returns its type; the caller checked the room. */
static int pushvalue (lua_State *L, const TValue *v) {
  if (isempty(v))
    setnilvalue(s2v(L->top.p));
  else
    setobj2s(L, L->top.p, v);
  L->top.p++;
  return ttype(s2v(L->top.p - 1));
}

int cu_raw_getp (lua_State *L, int idx, const void *p) {
  Table *t = idx > LUA_REGISTRYINDEX ? stacktable(L, idx) : NULL;
  if (t == NULL || sizenode(t) > 8)
    return lua_rawgetp(L, idx, p);
  for (int i = 0; i < sizenode(t); i++) { /* a light userdata is a key of the hash part only */
    const Node *n = gnode(t, i);
    if (keytt(n) == LUA_VLIGHTUSERDATA && keyval(n).p == p)
      return pushvalue(L, gval(n));
  }
  setnilvalue(s2v(L->top.p));
  L->top.p++;
  return LUA_TNIL;
}

/*
** Positions 0 .. asize-1 are the array part, asize .. asize+sizenode-1 the
** hash part, as in luaH_next; an entry is a slot whose value is not empty.
*/
int cu_raw_next (lua_State *L, int idx, unsigned int *i) {
  Table *t = stacktable(L, idx);
  unsigned int asize = luaH_realasize(t);
  for (; *i < asize; (*i)++) {
    if (!isempty(&t->array[*i])) {
      setivalue(s2v(L->top.p), (lua_Integer)*i + 1);
      L->top.p++;
      pushvalue(L, &t->array[*i]);
      (*i)++;
      return 1;
    }
  }
  for (; *i - asize < (unsigned int)sizenode(t); (*i)++) {
    const Node *n = gnode(t, *i - asize);
    if (!isempty(gval(n))) {
      getnodekey(L, s2v(L->top.p), n);
      L->top.p++;
      pushvalue(L, gval(n));
      (*i)++;
      return 1;
    }
  }
  return 0;
}

unsigned int cu_raw_count (lua_State *L, int idx) {
  Table *t = stacktable(L, idx);
  unsigned int asize = luaH_realasize(t), n = 0;
  for (unsigned int i = 0; i < asize; i++) n += !isempty(&t->array[i]);
  if (!isdummy(t))
    for (int i = 0; i < sizenode(t); i++) n += !isempty(gval(gnode(t, i)));
  return n;
}
