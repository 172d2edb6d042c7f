/*
** cu_ext.h - external tables: Lua proxies whose content lives in a Java
** TableStore (cu_ext.c, docs/ARCHITECTURE.md#external-tables).
*/
#ifndef cu_ext_h
#define cu_ext_h

#include <stdint.h>

#include "cu_cbor.h"
#include "cu_core.h"
#include "cu_raw.h"

/* Reads in a row that give an external table a metatable of its own. */
#define CU_HOT_READS 64

/*
** The hidden keys of a proxy: addresses in cu_ext_keys, as light userdata,
** which no script can produce (docs/ARCHITECTURE.md#external-tables).
*/
#define CU_K_COUNT 5
extern const char cu_ext_keys[CU_K_COUNT];
#define CU_K_ID       (&cu_ext_keys[0]) /* the table's id */
#define CU_K_CACHE    (&cu_ext_keys[1]) /* the loaded entries */
#define CU_K_DIRTY    (&cu_ext_keys[2]) /* true, or the set of changed keys */
#define CU_K_META     (&cu_ext_keys[3]) /* proxy of the stored metatable */
#define CU_K_DETACHED (&cu_ext_keys[4]) /* the store removed the table */

/*
** Pushes p[k] for hidden key k; returns its type. Does not raise. A proxy
** has at most 8 hash nodes, which cu_raw_getp searches without hashing.
*/
static inline int cu_ext_hidden (lua_State *L, int p, const char *k) {
  return cu_raw_getp(L, p, k);
}

/* p[k] = the value at the top (popped). Raises only on memory errors. */
static inline void cu_ext_sethidden (lua_State *L, int p, const char *k) {
  lua_rawsetp(L, lua_absindex(L, p), k);
}

/* Whether the value at idx is a proxy; its id in *id (if not NULL). */
int cu_ext_id (lua_State *L, int idx, int64_t *id);

/* Pushes the proxy of table 'id' (one live proxy per id). */
void cu_ext_push (lua_State *L, cu_State *S, int64_t id);

/* Pushes the cache of proxy p, loading it on first use. */
void cu_ext_pushcache (lua_State *L, cu_State *S, int p);

/* Like cu_ext_pushcache; a load decodes the rows at 'depth' (rows nested in rows). */
void cu_ext_loadcache (lua_State *L, cu_State *S, int p, int depth);

/* Pushes the cache of proxy p if it is loaded, else nil; returns its type. */
int cu_ext_peekcache (lua_State *L, int p);

/*
** Pushes the proxy of a new table 'id' and its empty cache above it; the
** table is dirty as a whole. Returns the proxy's index.
*/
int cu_ext_fresh (lua_State *L, cu_State *S, int64_t id);

/* Pushes the cache key a stored metatable's row decodes to. */
void cu_ext_pushmetakey (lua_State *L);

/*
** Pushes the storable form of value v (a plain table becomes a new
** external table); 'copied' is the index of the map of tables already
** copied in this assignment, or 0.
*/
void cu_ext_convert (lua_State *L, cu_State *S, int v, int copied, int depth);

/* Key k of proxy p changed in this run. */
void cu_ext_markdirty (lua_State *L, cu_State *S, int p, int k);

/*
** If the value at idx is a proxy, pushes its cache (loading it) and
** returns 1; else pushes nothing and returns 0 (the plain codec's view).
*/
int cu_ext_view (lua_State *L, int idx);

/* Like cu_ext_view for proxies and _io, else pushes the value itself (returns 0). */
int cu_ext_content (lua_State *L, int idx);

/*
** The store codec's tag hook for tables: EXTREF (a proxy; its rows load
** on first use), META (the key of a stored metatable's row), ARRAY (the
** key of the row that makes a table an array) and NULL (json.null as a
** stored value). Returns 0 for any other tag.
*/
int cu_ext_rowtag (lua_State *L, cu_State *S, cu_Reader *r, uint64_t tag);

/*
** If the value at idx is a proxy, marks its cache as an array (loading
** it), to be stored at the commit as the row (id, ARRAY) -> true, and
** returns 1; else returns 0. Raises on memory errors.
*/
int cu_ext_markarray (lua_State *L, int idx);

/* Whether the value at idx is the dirty-key a cu_ext_markarray leaves. Does not raise. */
int cu_ext_isarraykey (lua_State *L, int idx);

/* Raises unless the key at k can be stored (string, number but NaN, boolean). */
void cu_ext_checkkey (lua_State *L, int k);

#endif
