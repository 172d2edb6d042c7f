/*
** cu_href.h - handles: Lua values Java holds by reference, kept in one
** registry table, and the plain codec's hooks that pass them (cu_href.c).
** The table's invariants are those of cu_Refs (cu_core.h).
*/
#ifndef cu_href_h
#define cu_href_h

#include "cu_core.h"
#include "cu_value.h"

/* Creates the table of references and the list of fresh ones. Raises. */
void cu_href_open (lua_State *L, cu_State *S);

/*
** A new reference to the value at idx; with 'fresh' it is recorded as not
** handed over yet (cu_href_drop releases it). Raises only on memory errors,
** and then no reference was made.
*/
lua_Integer cu_href_new (lua_State *L, cu_State *S, int idx, int fresh);

/*
** The type of the value of reference 'ref', or LUA_TNONE when 'ref' is not
** a live reference. Needs two free stack slots; allocates nothing.
*/
int cu_href_type (lua_State *L, cu_State *S, lua_Integer ref);

/* Pushes the value of the live reference 'ref'. Does not raise. */
void cu_href_push (lua_State *L, cu_State *S, lua_Integer ref);

/*
** Releases 'ref'; returns 0 (changing nothing) when it is not a live
** reference. Needs three free stack slots; allocates nothing.
*/
int cu_href_free (lua_State *L, cu_State *S, lua_Integer ref);

/* Releases the fresh references above 'mark'. Allocates nothing. */
void cu_href_drop (lua_State *L, cu_State *S, int mark);

/*
** The plain codec's hooks (cu_Codec.other and .tag): a function is encoded
** as tag CU_TAG_HANDLE around [reference, description], the reference new
** and fresh, the description what Lua's tostring says; the tag around an
** unsigned reference (what Java sends) decodes to the value of a live
** reference. Both raise on errors.
*/
int cu_href_encode (lua_State *L, cu_Buf *b, int idx, void *ud);
int cu_href_decode (lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud);

/* Encodes the value at idx as a handle whatever its type (fresh). Raises. */
void cu_href_encodeany (lua_State *L, cu_Buf *b, int idx);

#endif
