/*
** cu_store.h - the store client: commit and rollback of a run's changes
** to external tables and stored functions (cu_store.c).
*/
#ifndef cu_store_h
#define cu_store_h

#include "cu_core.h"

/* Installs the loader of rows (S->store.load). */
void cu_store_open (cu_State *S);

/*
** Whether this run changed nothing a commit would send or forget: no dirty
** table, no function work (cu_persist_idle). Allocates nothing.
*/
int cu_store_idle (lua_State *L, cu_State *S);

/* Sends this run's changes to the store, then forgets them. Raises. */
void cu_store_commit (lua_State *L, cu_State *S);

/*
** Ends the run's bookkeeping; with 'discard', what the run changed is
** dropped so it reloads from the store. Allocates nothing.
*/
void cu_store_forget (lua_State *L, cu_State *S, int discard);

#endif
