/*
** cu_slots.c - the slots (cu_slots.h): a fixed block of slots and text
** that scalars cross in, so a call of few scalar arguments and results
** needs neither CBOR nor an allocation.
*/
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cu_cbor.h"
#include "cu_stack.h"
#include "cu_slots.h"

/* Java reads the slots at fixed offsets (dev.cu.internal.NativeSlots). */
_Static_assert(offsetof(cu_Slots, n) == 0, "cu_Slots.n moved: see NativeSlots");
_Static_assert(offsetof(cu_Slots, used) == 4, "cu_Slots.used moved: see NativeSlots");
_Static_assert(offsetof(cu_Slots, slot) == 16, "cu_Slots.slot moved: see NativeSlots");
_Static_assert(sizeof(cu_Slot) == 16, "cu_Slot changed size: see NativeSlots");
_Static_assert(offsetof(cu_Slot, type) == 8 && offsetof(cu_Slot, len) == 12,
               "cu_Slot changed: see NativeSlots");
_Static_assert(offsetof(cu_Slots, text) == 16 + 16 * CU_SLOTS_MAX,
               "cu_Slots.text moved: see NativeSlots");


cu_Slots *cu_slots_get (cu_State *S) {
  if (S->slots == NULL)
    S->slots = (cu_Slots *)calloc(1, sizeof(cu_Slots));
  return S->slots;
}

CU_API cu_Slots *cu_state_slots (cu_State *S) {
  return cu_slots_get(S);
}


const char *cu_slots_text (const cu_Slots *f, const cu_Slot *s) {
  if ((s->type != CU_SLOT_TEXT && s->type != CU_SLOT_BYTES) || s->v < 0 || s->len < 0 ||
      s->v > CU_SLOTS_TEXT || s->len > CU_SLOTS_TEXT - s->v)
    return NULL;
  return f->text + s->v;
}

int cu_slots_push (lua_State *L, const cu_Slots *f) {
  int n = f->n;
  if (n < 0 || n > CU_SLOTS_MAX)
    return luaL_error(L, "cu: bad slots (%d values)", n);
  cu_stack_check(L, n, "too many values");
  for (int i = 0; i < n; i++) {
    const cu_Slot *s = &f->slot[i];
    const char *text;
    if (cu_slots_pushone(L, s))
      continue;
    if (s->type != CU_SLOT_TEXT && s->type != CU_SLOT_BYTES)
      return luaL_error(L, "cu: bad slots (type %d)", (int)s->type);
    if ((text = cu_slots_text(f, s)) == NULL)
      return luaL_error(L, "cu: bad slots (text out of range)");
    lua_pushlstring(L, text, (size_t)s->len);
  }
  return n;
}


int cu_slots_plain (const cu_Slots *f) {
  int n = f->n;
  if (n < 0 || n > CU_SLOTS_MAX)
    return -1;
  for (int i = 0; i < n; i++)
    if (f->slot[i].type < CU_SLOT_NIL || f->slot[i].type > CU_SLOT_FLOAT)
      return -1;
  return n;
}

int cu_slots_pushone (lua_State *L, const cu_Slot *s) {
  switch (s->type) {
    case CU_SLOT_NIL: lua_pushnil(L); return 1;
    case CU_SLOT_FALSE: lua_pushboolean(L, 0); return 1;
    case CU_SLOT_TRUE: lua_pushboolean(L, 1); return 1;
    case CU_SLOT_INT: lua_pushinteger(L, (lua_Integer)s->v); return 1;
    case CU_SLOT_FLOAT: {
      double d;
      memcpy(&d, &s->v, sizeof d);
      lua_pushnumber(L, (lua_Number)d);
      return 1;
    }
    default: return 0;
  }
}

int cu_slots_pushplain (lua_State *L, const cu_Slots *f) {
  for (int i = 0; i < f->n; i++) cu_slots_pushone(L, &f->slot[i]);
  return f->n;
}


int cu_slots_put (lua_State *L, cu_Slots *f, int from, int to) {
  int n = to - from + 1, used = 0;
  if (n < 0)
    n = 0;
  if (n > CU_SLOTS_MAX)
    goto cbor;
  for (int i = 0; i < n; i++) {
    cu_Slot *s = &f->slot[i];
    int idx = from + i;
    switch (lua_type(L, idx)) {
      case LUA_TNIL: s->type = CU_SLOT_NIL; break;
      case LUA_TBOOLEAN: s->type = lua_toboolean(L, idx) ? CU_SLOT_TRUE : CU_SLOT_FALSE; break;
      case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
          s->type = CU_SLOT_INT;
          s->v = (int64_t)lua_tointeger(L, idx);
        }
        else {
          double d = (double)lua_tonumber(L, idx);
          s->type = CU_SLOT_FLOAT;
          memcpy(&s->v, &d, sizeof d);
        }
        break;
      case LUA_TSTRING: {
        size_t len;
        const char *p = lua_tolstring(L, idx, &len); /* a string: no conversion */
        if (len > (size_t)(CU_SLOTS_TEXT - used))
          goto cbor;
        memcpy(f->text + used, p, len);
        s->type = cu_cbor_utf8(p, len) ? CU_SLOT_TEXT : CU_SLOT_BYTES;
        s->v = used;
        s->len = (int32_t)len;
        used += (int)len;
        break;
      }
      default: goto cbor; /* tables, functions, userdata: CBOR's work */
    }
  }
  f->n = n;
  f->used = used;
  return 1;
cbor:
  f->n = CU_SLOTS_CBOR;
  return 0;
}
