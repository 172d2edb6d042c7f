/*
** cu_floor.c - the floor of the Java -> Lua crossings, for the benchmarks
** only (bench/, FloorBenchmark): a plain Lua state without cu, and one C
** function per crossing that does the least Lua work the crossing needs,
** called through one JNR downcall as cu's shim functions are. Built beside
** libcu from the same Lua objects, as libcufloor; no product code links it.
**
** For the host calls (Lua -> Java), cu_floor_hostloop runs a Lua loop
** that calls a C function whose whole work is one JNI upcall into an
** empty Java method, made as cu's shim makes it (native/src/cu_jni.c).
**
** Invariants: nothing here raises outside a lua_pcall (a longjmp never
** crosses the Java frame); the stack is empty between calls; the three
** values the crossings use sit in the registry, at the references the
** Floor holds.
*/

#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#if CU_JNI
#include <jni.h>
#pragma weak JNI_GetCreatedJavaVMs
#endif

#if defined(_WIN32)
#define FLOOR_API __declspec(dllexport)
#else
#define FLOOR_API __attribute__((visibility("default")))
#endif

/*
** The crossings' values, made by cu_floor_new: f is empty, as the
** benchmarks' f is, unless the Floor counts (a test's check that the call
** happens), when it adds one to the global 'calls'.
*/
static const char DEFINE[] = "calls = 0\n"
                             "function add3(a, b, c) return a + b + c end\n"
                             "t = { k = 1 }\n";
static const char EMPTY[] = "function f() end\n";
static const char COUNTING[] = "function f() calls = calls + 1 end\n";

/* A plain state and the registry references of f, add3 and t. */
typedef struct Floor {
  lua_State *L;
  int counting;
  int ref[3];
  int loop; /* registry reference of the host-call loop, 0 before cu_floor_jnibind */
#if CU_JNI
  JavaVM *vm;
  jobject target;   /* a global reference */
  jmethodID upcall; /* int upcall(int) */
#endif
} Floor;

enum { F, ADD3, T };

static int pdefine (lua_State *L) {
  static const char *const names[] = {"f", "add3", "t"};
  Floor *fl = (Floor *)lua_touserdata(L, 1);
  int i;
  if (luaL_loadstring(L, DEFINE) != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 0);
  if (luaL_loadstring(L, fl->counting ? COUNTING : EMPTY) != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 0);
  for (i = 0; i < 3; i++) {
    lua_getglobal(L, names[i]);
    fl->ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  return 0;
}

/* A Floor holding f, add3 and t, or NULL when it could not be made. */
FLOOR_API Floor *cu_floor_new (int counting) {
  Floor *fl = (Floor *)calloc(1, sizeof *fl);
  if (fl == NULL)
    return NULL;
  fl->counting = counting != 0;
  fl->L = luaL_newstate();
  if (fl->L != NULL) {
    lua_pushcfunction(fl->L, pdefine);
    lua_pushlightuserdata(fl->L, fl);
    if (lua_pcall(fl->L, 1, 0, 0) == LUA_OK)
      return fl;
    lua_close(fl->L);
  }
  free(fl);
  return NULL;
}

FLOOR_API void cu_floor_close (Floor *fl) {
  if (fl != NULL) {
#if CU_JNI
    JNIEnv *env;
    if (fl->target != NULL && (*fl->vm)->GetEnv(fl->vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK)
      (*env)->DeleteGlobalRef(env, fl->target);
#endif
    lua_close(fl->L);
    free(fl);
  }
}

/* f(): one registry read and one protected call. Returns Lua's status. */
FLOOR_API int cu_floor_call (Floor *fl) {
  lua_State *L = fl->L;
  int st;
  lua_rawgeti(L, LUA_REGISTRYINDEX, fl->ref[F]);
  st = lua_pcall(L, 0, 0, 0);
  lua_settop(L, 0);
  return st;
}

/* add3(a, b, c): the sum, or LUA_MININTEGER when the call failed. */
FLOOR_API lua_Integer cu_floor_call3 (Floor *fl, lua_Integer a, lua_Integer b, lua_Integer c) {
  lua_State *L = fl->L;
  lua_Integer r = LUA_MININTEGER;
  lua_rawgeti(L, LUA_REGISTRYINDEX, fl->ref[ADD3]);
  lua_pushinteger(L, a);
  lua_pushinteger(L, b);
  lua_pushinteger(L, c);
  if (lua_pcall(L, 3, 1, 0) == LUA_OK)
    r = lua_tointeger(L, -1);
  lua_settop(L, 0);
  return r;
}

/*
** Whether 'key' is t's own key "k". Only that key is accepted: its string
** is interned already, so pushing it allocates nothing and cannot raise
** (cu's shim finds a key in Lua's string table instead of pushing it, for
** the same reason). The comparison stands in for that lookup.
*/
static int ownkey (const char *key, size_t len) {
  return len == 1 && memcmp(key, "k", 1) == 0;
}

/*
** t[key], read raw: the key's characters cross as cu's do, as bytes in
** native memory. Returns LUA_MININTEGER when the key is not t's own or
** t[key] is not an integer.
*/
FLOOR_API lua_Integer cu_floor_get (Floor *fl, const char *key, size_t len) {
  lua_State *L = fl->L;
  lua_Integer r;
  int isnum;
  if (!ownkey(key, len))
    return LUA_MININTEGER;
  lua_rawgeti(L, LUA_REGISTRYINDEX, fl->ref[T]);
  lua_pushlstring(L, key, len);
  lua_rawget(L, -2);
  r = lua_tointegerx(L, -1, &isnum);
  lua_settop(L, 0);
  return isnum ? r : LUA_MININTEGER;
}

/*
** t[key] = v, raw. The key exists, so the write allocates nothing and
** cannot raise. Returns 0, or -1 when the key is not t's own.
*/
FLOOR_API int cu_floor_set (Floor *fl, const char *key, size_t len, lua_Integer v) {
  lua_State *L = fl->L;
  if (!ownkey(key, len))
    return -1;
  lua_rawgeti(L, LUA_REGISTRYINDEX, fl->ref[T]);
  lua_pushlstring(L, key, len);
  lua_pushinteger(L, v);
  lua_rawset(L, -3);
  lua_settop(L, 0);
  return 0;
}

/* The number of times a counting Floor's f ran. */
FLOOR_API lua_Integer cu_floor_calls (Floor *fl) {
  lua_State *L = fl->L;
  lua_Integer n;
  lua_getglobal(L, "calls"); /* an existing global: no allocation */
  n = lua_tointeger(L, -1);
  lua_settop(L, 0);
  return n;
}


/* ---------------------------------------------------------- host calls */

#define HOST_LOOP "local up = ... return function() for i = 1, 1000 do up(0) end end"

#if CU_JNI

/* The host function: one JNI upcall, as cu_jni_host makes it. */
static int jup (lua_State *L) {
  Floor *fl = (Floor *)lua_touserdata(L, lua_upvalueindex(1));
  JNIEnv *env;
  jint r;
  if ((*fl->vm)->GetEnv(fl->vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
    return luaL_error(L, "not a JVM thread");
  r = (*env)->CallIntMethod(env, fl->target, fl->upcall, (jint)lua_tointeger(L, 1));
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    return luaL_error(L, "the upcall threw");
  }
  return r != 0 ? luaL_error(L, "the upcall failed") : 0;
}

static int pbind (lua_State *L) {
  Floor *fl = (Floor *)lua_touserdata(L, 1);
  if (luaL_loadstring(L, HOST_LOOP) != LUA_OK)
    return lua_error(L);
  lua_pushlightuserdata(L, fl);
  lua_pushcclosure(L, jup, 1);
  lua_call(L, 1, 1);
  fl->loop = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

/*
** Binds the host-call loop to the object that the static method
** dev.cu.bench.FloorBenchmark.jniTarget() returns, whose int upcall(int)
** is called. Returns 0, or -1 without a JVM, the class or the method.
*/
FLOOR_API int cu_floor_jnibind (Floor *fl) {
  JavaVM *vm;
  jsize n = 0;
  JNIEnv *env;
  jclass c;
  jmethodID m;
  jobject o;
  if (JNI_GetCreatedJavaVMs == NULL || JNI_GetCreatedJavaVMs(&vm, 1, &n) != JNI_OK || n < 1 ||
      (*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
    return -1;
  c = (*env)->FindClass(env, "dev/cu/bench/FloorBenchmark");
  m = (c != NULL) ? (*env)->GetStaticMethodID(env, c, "jniTarget", "()Ljava/lang/Object;") : NULL;
  o = (m != NULL) ? (*env)->CallStaticObjectMethod(env, c, m) : NULL;
  if (o != NULL)
    fl->upcall = (*env)->GetMethodID(env, (*env)->GetObjectClass(env, o), "upcall", "(I)I");
  if ((*env)->ExceptionCheck(env) || o == NULL || fl->upcall == NULL) {
    (*env)->ExceptionClear(env);
    return -1;
  }
  fl->vm = vm;
  fl->target = (*env)->NewGlobalRef(env, o);
  lua_pushcfunction(fl->L, pbind);
  lua_pushlightuserdata(fl->L, fl);
  return (fl->target != NULL && lua_pcall(fl->L, 1, 0, 0) == LUA_OK) ? 0 : -1;
}

#else

FLOOR_API int cu_floor_jnibind (Floor *fl) {
  (void)fl;
  return -1;
}

#endif

/* The host-call loop: 1,000 calls of the JNI host function. Returns Lua's status. */
FLOOR_API int cu_floor_hostloop (Floor *fl) {
  lua_State *L = fl->L;
  int st;
  if (fl->loop == 0)
    return -1;
  lua_rawgeti(L, LUA_REGISTRYINDEX, fl->loop);
  st = lua_pcall(L, 0, 0, 0);
  lua_settop(L, 0);
  return st;
}
