/*
** cu_bigop.h - the arithmetic of the 'bigint' module (cu_bigop.c), as
** lists of C functions for cu_bigint.c to put into the values' metatable
** and the module table. Each function raises a Lua error on a bad
** operand, and a memory error or a stop like every function of the
** module (cu_bigint.h).
*/
#ifndef cu_bigop_h
#define cu_bigop_h

#include "lua.h"
#include "lauxlib.h"

/*
** The metamethods of Lua's 17 arithmetic, comparison and bitwise
** operators (__add to __shr; '/' and unary '~' raise), then {NULL, NULL}.
*/
extern const luaL_Reg cu_bigop_metamethods[17 + 1];

/*
** abs, sqrt, divmod, powmod and gcd, which are methods of the values and
** functions of the module, then {NULL, NULL}.
*/
extern const luaL_Reg cu_bigop_functions[5 + 1];

#endif
