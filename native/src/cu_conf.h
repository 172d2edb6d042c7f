/*
** cu_conf.h - compiler facts the shim's headers share (as luaconf.h and
** llimits.h do for Lua). No dependency: any header may include it.
*/
#ifndef cu_conf_h
#define cu_conf_h

/* A function that never returns (it raises a Lua error). */
#if defined(__GNUC__)
#define CU_NORETURN __attribute__((noreturn))
#else
#define CU_NORETURN
#endif

/* A static function of a header, which a file that includes it may leave unused. */
#if defined(__GNUC__)
#define CU_UNUSED __attribute__((unused))
#else
#define CU_UNUSED
#endif

#endif
