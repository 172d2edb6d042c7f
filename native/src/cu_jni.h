/*
** cu_jni.h - the host-function and object upcalls through JNI: when Java
** bound a state (cu_jni_bind), they call methods of its Java object
** directly; otherwise they call the JNR closures of cu_host_setfn and
** cu_object_setfn. Both ways have the closures' contract (cu.h).
*/
#ifndef cu_jni_h
#define cu_jni_h

#include "cu_core.h"

/* Calls Java's host function 'fn' (cu_HostFn's contract). */
int cu_jni_host (cu_State *S, int32_t fn, const unsigned char *args, size_t len);

/* Calls Java's object upcall (cu_ObjectFn's contract). */
int cu_jni_object (cu_State *S, int32_t op, int64_t id, int32_t cls, int32_t method,
                   const unsigned char *args, size_t len);

/* Whether host functions have an upcall: bound or a closure. */
int cu_jni_hashost (cu_State *S);

/* Whether exported objects have an upcall: bound or a closure. */
int cu_jni_hasobject (cu_State *S);

/* Releases the binding; called by cu_state_close. */
void cu_jni_close (cu_State *S);

#endif
