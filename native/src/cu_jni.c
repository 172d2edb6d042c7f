/*
** cu_jni.c - the host-function and object upcalls through JNI.
**
** A JNR closure reaches Java through libffi's closure entry, which
** classifies the arguments again on every call, and jffi's generic
** invoker, which passes them as an array: a direct JNI call does neither
** (docs/BENCHMARKS.md, "Lua -> Java host calls"). The other upcalls are
** rare (a load, a commit, a print line, a module) and stay JNR closures.
**
** cu_jni_bind finds a state's Java object once: FindClass with the class
** loader of the Java code that made the downcall, then a static method
** that hands out the object Java registered under a token. The state keeps
** a global reference to it until cu_jni_close.
**
** Invariants:
** - Only a thread inside a call from Java reaches an upcall, so it is
**   attached to the JVM; its JNIEnv is asked for on each call (an env is
**   valid on its own thread only, and a state moves between threads).
** - Java's object reaches the unit only weakly, as the closures do
**   (dev.cu.internal.Upcalls): the global reference keeps no unit alive.
** - The object must answer the address of the state it serves: a loader
**   that sees another copy of cu's classes finds no object under the token
**   (tokens are random) or one of another state, and a build or process
**   without JNI has no binding; then the closures stay in use, with the
**   same contract.
** - Java catches every Throwable; one that escapes anyway (a stack
**   overflow before the handler) is cleared here, handed back to Java as
**   the failure's cause when that works, and fails the upcall.
*/
#include <stdint.h>
#include <stdlib.h>

#include "cu_core.h"
#include "cu_jni.h"

#if CU_JNI

#include <jni.h>

/* libjvm's, when the launcher loaded it into the global scope (java does) */
#pragma weak JNI_GetCreatedJavaVMs

#define JNI_CLASS "dev/cu/internal/Upcalls"

typedef struct Jni {
  JavaVM *vm;
  jobject target;      /* a global reference: the state's Upcalls */
  jmethodID host;      /* int jniHost(int fn, long args, long len) */
  jmethodID hostslots; /* int jniHost(int fn): the arguments in the slots */
  jmethodID object; /* int jniObject(int op, long id, int cls, int method, long args, long len) */
  jmethodID objectslots; /* int jniObject(long id, int cls, int method): a call, slots */
  jmethodID failed;      /* void jniFailed(Throwable) */
  jmethodID state;       /* long jniState(): the address of the state it serves */
} Jni;

static const char ESCAPED[] = "a Java upcall failed";

/* The calling thread's env, or NULL when it is not attached. */
static JNIEnv *env_of (JavaVM *vm) {
  void *env = NULL;
  if ((*vm)->GetEnv(vm, &env, JNI_VERSION_1_8) != JNI_OK)
    return NULL;
  return (JNIEnv *)env;
}

/* Clears a pending exception; returns whether there was one. */
static int cleared (JNIEnv *env) {
  if (!(*env)->ExceptionCheck(env))
    return 0;
  (*env)->ExceptionClear(env);
  return 1;
}

/* The object Java registered under 'token' (a local reference), or NULL. */
static jobject take (JNIEnv *env, int64_t token) {
  jclass c = (*env)->FindClass(env, JNI_CLASS);
  jmethodID m;
  jobject o = NULL;
  if (c != NULL) {
    m = (*env)->GetStaticMethodID(env, c, "jniTake", "(J)Ljava/lang/Object;");
    if (m != NULL)
      o = (*env)->CallStaticObjectMethod(env, c, m, (jlong)token);
  }
  return cleared(env) ? NULL : o;
}

/* Method 'name' of class c with signature 'sig', or NULL (no exception left). */
static jmethodID method (JNIEnv *env, jclass c, const char *name, const char *sig) {
  jmethodID m = (*env)->GetMethodID(env, c, name, sig);
  return cleared(env) ? NULL : m;
}

/* Fills j's method ids from o's class; 0 when one is missing. */
static int methods (JNIEnv *env, Jni *j, jobject o) {
  jclass c = (*env)->GetObjectClass(env, o);
  if (c == NULL) {
    cleared(env);
    return 0;
  }
  j->host = method(env, c, "jniHost", "(IJJ)I");
  j->hostslots = method(env, c, "jniHost", "(I)I");
  j->object = method(env, c, "jniObject", "(IJIIJJ)I");
  j->objectslots = method(env, c, "jniObject", "(JII)I");
  j->failed = method(env, c, "jniFailed", "(Ljava/lang/Throwable;)V");
  j->state = method(env, c, "jniState", "()J");
  return j->state != NULL && j->host != NULL && j->hostslots != NULL && j->object != NULL &&
         j->objectslots != NULL && j->failed != NULL;
}

/*
** Whether object o serves state S: another copy of cu's classes may have
** handed out one of its own objects under the same token.
*/
static int serves (JNIEnv *env, Jni *j, jobject o, cu_State *S) {
  jlong at = (*env)->CallLongMethod(env, o, j->state);
  return !cleared(env) && at == (jlong)(intptr_t)S;
}

CU_API int cu_jni_bind (cu_State *S, int64_t token) {
  JavaVM *vm = NULL;
  jsize n = 0;
  JNIEnv *env;
  jobject o;
  Jni *j;
  if (S == NULL || S->up.jni != NULL || JNI_GetCreatedJavaVMs == NULL ||
      JNI_GetCreatedJavaVMs(&vm, 1, &n) != JNI_OK || n < 1 || (env = env_of(vm)) == NULL)
    return CU_ERRARG;
  if ((*env)->PushLocalFrame(env, 8) != 0) {
    cleared(env);
    return CU_ERRARG;
  }
  j = (Jni *)malloc(sizeof *j);
  o = take(env, token);
  if (j != NULL && o != NULL && methods(env, j, o) && serves(env, j, o, S)) {
    j->vm = vm;
    j->target = (*env)->NewGlobalRef(env, o);
    if (j->target != NULL) {
      S->up.jni = j;
      j = NULL;
    }
  }
  cleared(env);
  (*env)->PopLocalFrame(env, NULL);
  free(j); /* NULL once bound */
  return S->up.jni != NULL ? CU_OK : CU_ERRARG;
}

/*
** The upcall's result 'r', or when Java left an exception pending, the
** failure flag with a reply that says so (the exception, cleared, goes to
** Java as the failure's cause when that call works).
*/
static int outcome (cu_State *S, JNIEnv *env, Jni *j, int r) {
  jthrowable t;
  if (!(*env)->ExceptionCheck(env))
    return r;
  t = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  if (t != NULL) {
    (*env)->CallVoidMethod(env, j->target, j->failed, t);
    cleared(env);
    (*env)->DeleteLocalRef(env, t);
  }
  cu_upcall_reply(S, (const unsigned char *)ESCAPED, sizeof ESCAPED - 1);
  return 1;
}

/* An upcall on a thread the JVM does not know: cannot happen through Java. */
static int detached (cu_State *S) {
  static const char msg[] = "a Java upcall from a thread outside the JVM";
  cu_upcall_reply(S, (const unsigned char *)msg, sizeof msg - 1);
  return 1;
}

int cu_jni_host (cu_State *S, int32_t fn, const unsigned char *args, size_t len) {
  Jni *j = (Jni *)S->up.jni;
  JNIEnv *env;
  jint r;
  if (j == NULL)
    return S->up.hostfn(fn, args, len);
  if ((env = env_of(j->vm)) == NULL)
    return detached(S);
  /* JNI pushes each argument by walking the signature: the fewer the faster */
  if (args == NULL)
    r = (*env)->CallIntMethod(env, j->target, j->hostslots, (jint)fn);
  else
    r = (*env)->CallIntMethod(env, j->target, j->host, (jint)fn, (jlong)(intptr_t)args, (jlong)len);
  return outcome(S, env, j, (int)r);
}

int cu_jni_object (cu_State *S, int32_t op, int64_t id, int32_t cls, int32_t method,
                   const unsigned char *args, size_t len) {
  Jni *j = (Jni *)S->up.jni;
  JNIEnv *env;
  jint r;
  if (j == NULL)
    return S->up.objectfn(op, id, cls, method, args, len);
  if ((env = env_of(j->vm)) == NULL)
    return detached(S);
  if (args == NULL && op == CU_OBJECT_CALL) /* the arguments in the slots: fewer to push */
    r = (*env)->CallIntMethod(env, j->target, j->objectslots, (jlong)id, (jint)cls, (jint)method);
  else
    r = (*env)->CallIntMethod(env, j->target, j->object, (jint)op, (jlong)id, (jint)cls,
                              (jint)method, (jlong)(intptr_t)args, (jlong)len);
  return outcome(S, env, j, (int)r);
}

void cu_jni_close (cu_State *S) {
  Jni *j = (Jni *)S->up.jni;
  JNIEnv *env;
  if (j == NULL)
    return;
  S->up.jni = NULL;
  if ((env = env_of(j->vm)) != NULL) /* else the reference stays: no JVM thread to drop it */
    (*env)->DeleteGlobalRef(env, j->target);
  free(j);
}

#else /* no JNI in this build: the closures only */

CU_API int cu_jni_bind (cu_State *S, int64_t token) {
  (void)S;
  (void)token;
  return CU_ERRARG;
}

int cu_jni_host (cu_State *S, int32_t fn, const unsigned char *args, size_t len) {
  return S->up.hostfn(fn, args, len);
}

int cu_jni_object (cu_State *S, int32_t op, int64_t id, int32_t cls, int32_t method,
                   const unsigned char *args, size_t len) {
  return S->up.objectfn(op, id, cls, method, args, len);
}

void cu_jni_close (cu_State *S) {
  (void)S;
}

#endif


int cu_jni_hashost (cu_State *S) {
  return S->up.jni != NULL || S->up.hostfn != NULL;
}

int cu_jni_hasobject (cu_State *S) {
  return S->up.jni != NULL || S->up.objectfn != NULL;
}
