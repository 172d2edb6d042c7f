/*
** cu_slots.h - the slots: scalars crossing between Java and Lua without
** CBOR (cu.h, cu_state_slots). Java writes a call's arguments into them and
** reads results from them; host functions get their arguments and give
** their results through them the other way round. The slots hold the values
** of one crossing at a time: each side reads it completely before any
** other crossing can start.
*/
#ifndef cu_slots_h
#define cu_slots_h

#include "cu_core.h"

/* The state's slots, made at the first use; NULL when out of memory. */
cu_Slots *cu_slots_get (cu_State *S);

/*
** Pushes the slots' values and returns how many. Raises on a memory
** error, and on slots that are not well formed (a bad count, type or
** text range), which only a broken caller writes.
*/
int cu_slots_push (lua_State *L, const cu_Slots *f);

/*
** How many values the slots hold when they are well formed and none is a
** string, so pushing them allocates nothing; -1 otherwise.
*/
int cu_slots_plain (const cu_Slots *f);

/* The bytes of string slot 's' of 'f', or NULL when it is not one or its range is bad. */
const char *cu_slots_text (const cu_Slots *f, const cu_Slot *s);

/*
** Pushes slot 's' and returns 1 when it is nil, a boolean or a number;
** otherwise pushes nothing and returns 0. Neither raises nor allocates;
** the caller has made room for it.
*/
int cu_slots_pushone (lua_State *L, const cu_Slot *s);

/*
** Pushes the values of slots cu_slots_plain accepted and returns how
** many. Neither raises nor allocates; the caller has made room for them.
*/
int cu_slots_pushplain (lua_State *L, const cu_Slots *f);

/*
** Writes the values at stack indices [from, to] into the slots and returns
** 1 when all are scalars (nil, boolean, number, string) that fit;
** otherwise returns 0 and sets the count to CU_SLOTS_CBOR. Neither raises
** nor allocates.
*/
int cu_slots_put (lua_State *L, cu_Slots *f, int from, int to);

#endif
