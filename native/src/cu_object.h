/*
** cu_object.h - exported Java objects (cu_object.c): the userdata that
** stands for one Java object, its methods, and the hooks through which the
** plain codec (cu_run.c) converts them. Objects cross only between Lua and
** Java, never into the store's rows.
*/
#ifndef cu_object_h
#define cu_object_h

#include <stdint.h>

#include "lua.h"

#include "cu_cbor.h"
#include "cu_buf.h"

/* Creates the objects' metatable and registry tables. Raises on memory errors. */
void cu_object_open (lua_State *L);

/*
** The plain codec's tag hook (cu_Codec.tag): decodes CU_TAG_OBJECT
** [id, class] into the object's userdata, the same one while Lua holds it;
** returns 0 for any other tag. Raises on malformed content.
*/
int cu_object_tag (lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud);

/*
** The plain codec's userdata hook (cu_Codec.udata): writes an object as
** CU_TAG_OBJECT [id, class] and returns 1; 0 for any other userdata.
*/
int cu_object_encode (lua_State *L, cu_Buf *b, int idx, void *ud);

#endif
