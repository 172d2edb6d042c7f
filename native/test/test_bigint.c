/*
** test_bigint.c - the bigint module (cu_bigint.c and cu_bigop.c over
** cu_bignum.c, cu_bigmont.c and cu_bigtext.c) in a plain lua_State with Lua's base,
** string, table and math libraries: known values (factorials, Fibonacci
** numbers, Mersenne numbers), text in every base, Lua's sign rules for '//'
** and '%', every operator and function, powmod's Montgomery path against
** its division path, errors with their messages, stops raised through
** luai_loopstep inside long operations, and allocation failures.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "cu_bigint.h"
#include "cu_json.h"
#include "check.h"

/* luai_loopstep's function (cu_loopstep.h): counts steps, raises "stopped" at stop_at. */
static long steps, stop_at;

void cu_limits_loopstep (lua_State *L) {
  *(int *)lua_getextraspace(L) = 0; /* call back on every step */
  if (++steps == stop_at)
    luaL_error(L, "stopped");
}

/* An allocator that refuses to hold more than 'limit' bytes (0: no limit). */
typedef struct Mem {
  size_t used, limit;
} Mem;

static void *limited_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  Mem *m = (Mem *)ud;
  size_t old = ptr != NULL ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    m->used -= old;
    return NULL;
  }
  if (m->limit > 0 && nsize > old && m->used + (nsize - old) > m->limit)
    return NULL;
  ptr = realloc(ptr, nsize);
  if (ptr != NULL)
    m->used += nsize - old;
  return ptr;
}

/* Helpers the Lua snippets use: B(s) makes a bigint, fails() checks an error's message. */
static const char prelude[] =
  "B = bigint.new\n"
  "function eq(x, s) if tostring(x) ~= s then error(tostring(x) .. ' ~= ' .. s, 2) end end\n"
  "function fails(msg, f, ...)\n"
  "  local ok, err = pcall(f, ...)\n"
  "  if ok then error('no error, expected: ' .. msg, 2) end\n"
  "  if not string.find(err, msg, 1, true) then\n"
  "    error('error \"' .. tostring(err) .. '\", expected: ' .. msg, 2)\n"
  "  end\n"
  "  return true\n"
  "end\n";

static lua_State *new_state (Mem *m) {
  lua_State *L = lua_newstate(limited_alloc, m);
  if (L == NULL) {
    fprintf(stderr, "cannot create a state\n");
    exit(2);
  }
  *(int *)lua_getextraspace(L) = 0;
  luaL_requiref(L, "_G", luaopen_base, 1);
  luaL_requiref(L, "string", luaopen_string, 1);
  luaL_requiref(L, "table", luaopen_table, 1);
  luaL_requiref(L, "math", luaopen_math, 1);
  luaL_requiref(L, "bigint", cu_bigint_open, 1);
  luaL_requiref(L, "json", cu_json_open, 1);
  lua_settop(L, 0);
  if (luaL_dostring(L, prelude) != LUA_OK) {
    fprintf(stderr, "prelude: %s\n", lua_tostring(L, -1));
    exit(2);
  }
  return L;
}

/* Runs a snippet; a failure prints the snippet's error. Returns whether it ran. */
static int run (lua_State *L, const char *code) {
  if (luaL_dostring(L, code) == LUA_OK) {
    lua_settop(L, 0);
    return 1;
  }
  fprintf(stderr, "snippet failed: %s\n", lua_tostring(L, -1));
  lua_settop(L, 0);
  return 0;
}

/* Runs a snippet that must fail with a message containing 'msg'. */
static int run_fails (lua_State *L, const char *code, const char *msg) {
  int ok = luaL_dostring(L, code) != LUA_OK && strstr(lua_tostring(L, -1), msg) != NULL;
  if (!ok)
    fprintf(stderr, "expected \"%s\", got: %s\n", msg, lua_tostring(L, -1));
  lua_settop(L, 0);
  return ok;
}

static void test_known (lua_State *L) {
  /* 100! by a loop of products with Lua integers */
  CHECK(run(L,
            "local f = B(1) for i = 2, 100 do f = f * i end\n"
            "eq(f, '93326215443944152681699238856266700490715968264381621468592963895217599993'\n"
            "   .. '229915608941463976156518286253697920827223758251185210916864000000000000'\n"
            "   .. '000000000000')\n"
            "fact100 = f"));
  /* F(1000) by additions; F(100) = gcd(F(300), F(200)) */
  CHECK(run(L,
            "local a, b = B(0), B(1)\n"
            "local fib = {}\n"
            "for i = 1, 1000 do a, b = b, a + b fib[i] = a end\n"
            "eq(fib[100], '354224848179261915075')\n"
            "eq(fib[1000], '4346655768693745643568852767504062580256466051737178040248172908953'\n"
            "   .. '655541794905189040387984007925516929592259308032263477520968962323987332'\n"
            "   .. '2471161642996440906533187938298969649928516003704476137795166849228875')\n"
            "eq(bigint.gcd(fib[300], fib[200]), tostring(fib[100]))\n"
            "eq(bigint.gcd(fact100, fib[1000]), '1183875')"));
  /* Mersenne numbers: 2^127 - 1 and 2^521 - 1, by shift and by power */
  CHECK(run(L,
            "local m127 = (B(1) << 127) - 1\n"
            "eq(m127, '170141183460469231731687303715884105727')\n"
            "assert(m127 == B(2) ^ 127 - 1 and m127 == B('0x7fffffffffffffffffffffffffffffff'))\n"
            "local m521 = B(2) ^ 521 - 1\n"
            "eq(m521, '686479766013060971498190079908139321726943530014330540939446345918554318'\n"
            "   .. '339765605212255964066145455497729631139148085803712198799971664381257402'\n"
            "   .. '8291115057151')\n"
            "assert(m521:tostring(16) == '1' .. string.rep('f', 130))\n"
            "eq(bigint.powmod(3, 1000, m127), '154345368912201178109425541818297590387')\n"
            /* Fermat: 3^(p-1) = 1 mod p for the primes 2^127 - 1 and 2^521 - 1 */
            "eq(bigint.powmod(3, m127 - 1, m127), '1')\n"
            "eq(bigint.powmod(3, m521 - 1, m521), '1')\n"
            "eq(bigint.sqrt(fact100), '9660549437994929731330008703623090686749740703966627'\n"
            "   .. '762447361940629179634967623')"));
}

static void test_text (lua_State *L) {
  CHECK(run(
    L,
    "eq(B('0'), '0') eq(B('-0'), '0') eq(B('+12'), '12') eq(B('-000120'), '-120')\n"
    "eq(B(0), '0') eq(B(-5), '-5') eq(B(3.0), '3')\n"
    "eq(B(math.mininteger), '-9223372036854775808')\n"
    "eq(B(math.maxinteger), '9223372036854775807')\n"
    "eq(B('0x1F'), '31') eq(B('-0X1f'), '-31') eq(B('0x1f', 16), '31')\n"
    "eq(B('ff', 16), '255') eq(B('zz', 36), '1295') eq(B('ZZ', 36), '1295')\n"
    "eq(B('HelloWorld', 36), '1767707668033969') eq(B('-101', 2), '-5')\n"
    "local x = B(1) << 64\n"
    "assert(x:tostring(36) == '3w5e11264sgsg' and x:tostring(16) == '1' .. string.rep('0', 16))\n"
    "assert(B(-2) ^ 100 == B(2) ^ 100 and (-(B(2) ^ 100)):tostring(7) ==\n"
    "       '-322653455556104044451560330542514132')\n"
    "assert(((B(1) << 127) - 1):tostring(3) == '10110020102200101012100010200212012211012222101'\n"
    "       .. '0202000122201220121120010200022001')\n"
    "assert(((B(1) << 70) + 1):tostring(2) == '1' .. string.rep('0', 69) .. '1')\n"
    "assert((B(1) << 100):tostring(8) == '2' .. string.rep('0', 33))\n"
    "assert(B(-255):tostring(16) == '-ff' and B(0):tostring(2) == '0')\n"
    /* every base round-trips a large value */
    "local v = B(7) ^ 300 + 12345\n"
    "for base = 2, 36 do\n"
    "  assert(B(v:tostring(base), base) == v, base)\n"
    "  assert(B('-' .. v:tostring(base), base) == -v, base)\n"
    "end\n"
    "assert(B(string.rep('9', 1000)) + 1 == B(10) ^ 1000)\n"
    "assert(B(string.rep('f', 1000), 16) + 1 == B(1) << 4000)\n"
    "assert(tostring(B(10) ^ 50) == '1' .. string.rep('0', 50))\n"
    "assert('x=' .. B(5) .. '/' .. 7 == 'x=5/7')\n"
    "assert(B(12):tointeger() == 12 and math.type(B(12):tointeger()) == 'integer')\n"
    "assert(B(math.mininteger):tointeger() == math.mininteger)\n"
    "assert(B('-9223372036854775808'):tointeger() == math.mininteger)"));
  CHECK(run(L, "fails('bigint.new: no digits at position 1', B, '')\n"
               "fails('bigint.new: no digits at position 2', B, '-')\n"
               "fails('bigint.new: no digits at position 3', B, '0x')\n"
               "fails('bigint.new: invalid digit at position 2 for base 10', B, '1a')\n"
               "fails('bigint.new: invalid digit at position 1 for base 10', B, ' 1')\n"
               "fails('bigint.new: invalid digit at position 2 for base 10', B, '1 ')\n"
               "fails('bigint.new: invalid digit at position 3 for base 2', B, '102', 2)\n"
               "fails('bigint.new: invalid digit at position 2 for base 10', B, '0x1', 10)\n"
               "fails('bigint.new: invalid digit at position 2 for base 10', B, '1.5')\n"
               "fails('bigint.new: invalid digit at position 2 for base 10', B, '1\\0')\n"
               "fails('bigint.new: invalid digit at position 2 for base 10', B, '--1')\n"
               "fails('bad argument #2 to', B, '1', 1) fails('(base out of range)', B, '1', 1)\n"
               "fails('(base out of range)', B, '1', 37)\n"
               "fails('(base out of range)', B(1).tostring, B(1), 37)\n"
               "fails(\"bad argument #1 to 'tostring' (base out of range)\",\n"
               "      function() return B(1):tostring(37) end)\n"
               "fails('(string expected, got number)', B, 12, 10)\n"
               "fails('(number has no integer representation)', B, 1.5)\n"
               "fails('(integer, string or bigint expected, got table)', B, {})\n"
               "fails('bigint.tointeger: value out of integer range',\n"
               "      function() return (B(2) ^ 63):tointeger() end)\n"
               "fails('bigint.tointeger: value out of integer range',\n"
               "      function() return (-B(2) ^ 63 - 1):tointeger() end)"));
}

/* Floor division and modulo: Lua's rules, against values worked out independently. */
static void test_signs (lua_State *L) {
  CHECK(run(
    L, "local rows = {\n"
       "{'7','2','3','1'}, {'7','-2','-4','-1'},\n"
       "{'7','7','1','0'}, {'7','-7','-1','0'},\n"
       "{'7','8589934593','0','7'}, {'7','-8589934593','-1','-8589934586'},\n"
       "{'7','1180591620717411303429','0','7'}, "
       "{'7','-18446744073709551616','-1','-18446744073709551609'},\n"
       "{'-7','2','-4','1'}, {'-7','-2','3','-1'},\n"
       "{'-7','7','-1','0'}, {'-7','-7','1','0'},\n"
       "{'-7','8589934593','-1','8589934586'}, {'-7','-8589934593','0','-7'},\n"
       "{'-7','1180591620717411303429','-1','1180591620717411303422'}, "
       "{'-7','-18446744073709551616','0','-7'},\n"
       "{'0','2','0','0'}, {'0','-2','0','0'},\n"
       "{'0','7','0','0'}, {'0','-7','0','0'},\n"
       "{'0','8589934593','0','0'}, {'0','-8589934593','0','0'},\n"
       "{'0','1180591620717411303429','0','0'}, {'0','-18446744073709551616','0','0'},\n"
       "{'1180591620717411303429','2','590295810358705651714','1'}, "
       "{'1180591620717411303429','-2','-590295810358705651715','-1'},\n"
       "{'1180591620717411303429','7','168655945816773043347','0'}, "
       "{'1180591620717411303429','-7','-168655945816773043347','0'},\n"
       "{'1180591620717411303429','8589934593','137438953456','21'}, "
       "{'1180591620717411303429','-8589934593','-137438953457','-8589934572'},\n"
       "{'1180591620717411303429','1180591620717411303429','1','0'}, "
       "{'1180591620717411303429','-18446744073709551616','-65','-18446744073709551611'},\n"
       "{'-1180591620717411303429','2','-590295810358705651715','1'}, "
       "{'-1180591620717411303429','-2','590295810358705651714','-1'},\n"
       "{'-1180591620717411303429','7','-168655945816773043347','0'}, "
       "{'-1180591620717411303429','-7','168655945816773043347','0'},\n"
       "{'-1180591620717411303429','8589934593','-137438953457','8589934572'}, "
       "{'-1180591620717411303429','-8589934593','137438953456','-21'},\n"
       "{'-1180591620717411303429','1180591620717411303429','-1','0'}, "
       "{'-1180591620717411303429','-18446744073709551616','64','-5'},\n"
       "{'18446744073709551616','2','9223372036854775808','0'}, "
       "{'18446744073709551616','-2','-9223372036854775808','0'},\n"
       "{'18446744073709551616','7','2635249153387078802','2'}, "
       "{'18446744073709551616','-7','-2635249153387078803','-5'},\n"
       "{'18446744073709551616','8589934593','2147483647','6442450945'}, "
       "{'18446744073709551616','-8589934593','-2147483648','-2147483648'},\n"
       "{'18446744073709551616','1180591620717411303429','0','18446744073709551616'}, "
       "{'18446744073709551616','-18446744073709551616','-1','0'},\n"
       "{'-18446744073709551616','2','-9223372036854775808','0'}, "
       "{'-18446744073709551616','-2','9223372036854775808','0'},\n"
       "{'-18446744073709551616','7','-2635249153387078803','5'}, "
       "{'-18446744073709551616','-7','2635249153387078802','-2'},\n"
       "{'-18446744073709551616','8589934593','-2147483648','2147483648'}, "
       "{'-18446744073709551616','-8589934593','2147483647','-6442450945'},\n"
       "{'-18446744073709551616','1180591620717411303429','-1','1162144876643701751813'}, "
       "{'-18446744073709551616','-18446744073709551616','1','0'},\n"
       "{'237684487542793012780631851008','2','118842243771396506390315925504','0'}, "
       "{'237684487542793012780631851008','-2','-118842243771396506390315925504','0'},\n"
       "{'237684487542793012780631851008','7','33954926791827573254375978715','3'}, "
       "{'237684487542793012780631851008','-7','-33954926791827573254375978716','-4'},\n"
       "{'237684487542793012780631851008','8589934593','27670116107343101952','3221225472'}, "
       "{'237684487542793012780631851008','-8589934593','-27670116107343101953','-5368709121'},\n"
       "{'237684487542793012780631851008','1180591620717411303429','201326591','"
       "1180591620716404670469'}, "
       "{'237684487542793012780631851008','-18446744073709551616','-12884901888','0'},\n"
       "}\n"
       "for _, r in ipairs(rows) do\n"
       "  local a, b = B(r[1]), B(r[2])\n"
       "  eq(a // b, r[3]) eq(a % b, r[4])\n"
       "  local q, m = bigint.divmod(a, b) eq(q, r[3]) eq(m, r[4])\n"
       "  assert(q * b + m == a)\n"
       "end\n"
       /* the same rules as Lua's integers, on small values */
       "for a = -20, 20 do for b = -6, 6 do if b ~= 0 then\n"
       "  local q, r = B(a // b), B(a % b)\n"
       "  assert(B(a) // b == q and B(a) % b == r and a // B(b) == q and a % B(b) == r, a .. ' ' "
       ".. b)\n"
       "end end end"));
  CHECK(run(L, "fails('bigint: division by zero', function() return B(1) // 0 end)\n"
               "fails('bigint: division by zero', function() return B(1) % B(0) end)\n"
               "fails('bigint: division by zero', bigint.divmod, B(10) ^ 30, 0)"));
}

static void test_ops (lua_State *L) {
  /* mixing with integers, both sides; comparisons */
  CHECK(run(L,
            "local x = B(2) ^ 64\n"
            "eq(x + 1, '18446744073709551617') eq(1 + x, '18446744073709551617')\n"
            "eq(x - 1, '18446744073709551615') eq(1 - x, '-18446744073709551615')\n"
            "eq(x * -3, '-55340232221128654848') eq(-x, '-18446744073709551616') eq(-B(0), '0')\n"
            "eq(x - x, '0') eq(x + -x, '0') eq(x * 0, '0') eq(B(-3) * B(-3), '9')\n"
            "eq(math.maxinteger + B(1), '9223372036854775808')\n"
            "eq(math.mininteger - B(1), '-9223372036854775809')\n"
            "eq(B(math.mininteger) * math.mininteger, '85070591730234615865843651857942052864')\n"
            "assert(x > 1 and 1 < x and x >= x and -x < x and not (x < x) and x <= x + 1)\n"
            "assert(B(-5) < B(-4) and B(-5) <= -5 and B(0) == B('-0') and B(3) ~= B(4))\n"
            "assert(B(5) ~= 5) -- Lua compares a userdata and a number as different values\n"
            "assert(bigint.isbigint(x) and not bigint.isbigint(5) and not bigint.isbigint('5'))\n"
            "assert(B(x) == x and rawequal(B(x), x))\n"
            "assert(getmetatable(x) == 'bigint')\n"
            "assert(B(2) == B(2.0) and x + 2.0 == x + 2)"));
  /* powers, roots, gcd, powmod, abs */
  CHECK(run(
    L,
    "eq(B(-2) ^ 3, '-8') eq(B(-2) ^ 4, '16') eq(B(0) ^ 0, '1') eq(B(0) ^ 5, '0')\n"
    "eq(B(-1) ^ (1 << 62), '1') eq(B(-1) ^ ((1 << 62) + 1), '-1') eq(B(1) ^ math.maxinteger, '1')\n"
    "eq(2 ^ B(100), '1267650600228229401496703205376') eq(B(10) ^ B(3), '1000')\n"
    "eq(bigint.sqrt(0), '0') eq(bigint.sqrt(1), '1') eq(bigint.sqrt(3), '1')\n"
    "eq(bigint.sqrt(4), '2') eq(bigint.sqrt(B(10) ^ 100), tostring(B(10) ^ 50))\n"
    "eq(bigint.sqrt(B(10) ^ 100 - 1), tostring(B(10) ^ 50 - 1))\n"
    "for i = 0, 300 do local s = bigint.sqrt(i) assert(s * s <= i and (s + 1) * (s + 1) > i) end\n"
    "local n = B(3) ^ 999\n"
    "local s = n:sqrt() assert(s * s <= n and (s + 1) ^ 2 > n)\n"
    "eq(bigint.gcd(0, 0), '0') eq(bigint.gcd(0, -5), '5') eq(bigint.gcd(-12, 18), '6')\n"
    "eq(bigint.gcd(B(2) ^ 200, B(6) ^ 100), tostring(B(2) ^ 100))\n"
    "local p = (B(1) << 127) - 1\n"
    "eq(bigint.powmod(-3, 1001, p), '47387443644804160866785285692759546020')\n"
    "eq(bigint.powmod(3, 1001, -p), '-47387443644804160866785285692759546020')\n"
    "eq(bigint.powmod(-3, 1001, -p), '-122753739815665070864902018023124559707')\n"
    "eq(bigint.powmod(12345, 0, 1), '0') eq(bigint.powmod(5, 0, 7), '1')\n"
    "eq(bigint.powmod(2, B(10) ^ 20, 1000000007), '855473248')\n"
    "eq(bigint.abs(-7), '7') eq(B(7):abs(), '7') eq(bigint.abs(0), '0')"));
  /* bitwise operators and shifts on values >= 0 */
  CHECK(run(
    L, "local x = B(1) << 100\n"
       "eq((x + (B(1) << 50)) & ((B(1) << 60) - 1), '1125899906842624')\n"
       "eq(x | 5, '1267650600228229401496703205381') eq((x + 7) ~ (x + 5), '2')\n"
       "eq(x & 0, '0') eq(x ~ x, '0') eq(0 | x, tostring(x)) eq(B(12) & 10, '8')\n"
       "eq(x >> 100, '1') eq(x >> 101, '0') eq(x >> 1000, '0') eq(x << -100, '1')\n"
       "eq(x >> -1, tostring(x * 2)) eq(B(0) << 100000, '0') eq(1 << B(70), tostring(B(2) ^ 70))\n"
       "eq(B(5) >> math.maxinteger, '0') eq(B(5) << math.mininteger, '0')\n"
       "for s = 0, 70 do assert((B(3) << s) >> s == B(3) and B(3) << s == 3 * B(2) ^ s) end"));
  /* nearest floats, ties to even */
  CHECK(run(L, "local t = B(1) << 64\n"
               "assert(B(0):tonumber() == 0 and math.type(B(0):tonumber()) == 'float')\n"
               "assert(B(-3):tonumber() == -3.0 and t:tonumber() == 2.0 ^ 64)\n"
               "assert((t + 2048):tonumber() == 2.0 ^ 64)\n"
               "assert((t + 2049):tonumber() == 2.0 ^ 64 + 4096)\n"
               "assert((t + 3 * 2048):tonumber() == 2.0 ^ 64 + 8192)\n"
               "assert(-(t + 2049):tonumber() == -(2.0 ^ 64 + 4096))\n"
               "local u = B(1) << 200\n"
               "assert((u + (B(1) << 147)):tonumber() == 2.0 ^ 200)\n"
               "assert((u + (B(1) << 147) + 1):tonumber() == 2.0 ^ 200 + 2.0 ^ 148)\n"
               "local top = (B(1) << 1024) - (B(1) << 970)\n"
               "assert((top - 1):tonumber() == 1.7976931348623157e308)\n"
               "assert(top:tonumber() == math.huge and (-top):tonumber() == -math.huge)\n"
               "assert((B(1) << 100000):tonumber() == math.huge)"));
}

static void test_errors (lua_State *L) {
  CHECK(run(
    L, "local x = B(5)\n"
       "fails(\"bigint: bad operand #2 to '+' (number has no integer representation)\",\n"
       "      function() return x + 0.5 end)\n"
       "fails(\"bigint: bad operand #1 to '*' (bigint or integer expected, got string)\",\n"
       "      function() return '3' * x end)\n"
       "fails(\"bigint: bad operand #2 to '<' (bigint or integer expected, got table)\",\n"
       "      function() return x < {} end)\n"
       "fails(\"bigint: bad operand #2 to 'gcd' (bigint or integer expected, got no value)\",\n"
       "      bigint.gcd, 1)\n"
       "fails(\"bigint: bad operand #2 to '^' (out of integer range)\",\n"
       "      function() return x ^ (B(2) ^ 64) end)\n"
       "fails('bigint: negative exponent', function() return x ^ -1 end)\n"
       "fails(\"'/' is not defined for bigint\", function() return x / 2 end)\n"
       "fails(\"unary '~' is not defined for bigint\", function() return ~x end)\n"
       "fails(\"bigint: bad operand #1 to '&' (negative: bitwise operators need values >= 0)\",\n"
       "      function() return -x & 1 end)\n"
       "fails(\"bigint: bad operand #2 to '|' (negative\", function() return x | -1 end)\n"
       "fails(\"bigint: bad operand #1 to '<<' (negative\", function() return -x << 1 end)\n"
       "fails('bigint.sqrt: negative argument', bigint.sqrt, -1)\n"
       "fails('bigint.powmod: modulus is zero', bigint.powmod, 2, 3, 0)\n"
       "fails('bigint.powmod: negative exponent', bigint.powmod, 2, -3, 5)\n"
       "fails('bigint: number too large', function() return x ^ math.maxinteger end)\n"
       "fails('bigint: number too large', function() return x << (1 << 40) end)\n"
       "fails('attempt to concatenate a table value', function() return x .. {} end)\n"
       "fails('attempt to call a nil value', function() return x:nosuchmethod() end)\n"
       "fails(\"bad argument #1 to 'setmetatable' (table expected\", setmetatable, x, nil)"));
}

/* json.encode writes a bigint as the number it is, every digit kept. */
static void test_json (lua_State *L) {
  CHECK(run(L, "local s = json.encode({B('123456789012345678901234567890'), -B(2) ^ 70, B(0)})\n"
               "if s ~= '[123456789012345678901234567890,-1180591620717411303424,0]' then\n"
               "  error(s)\n"
               "end\n"
               "local t = json.decode(json.encode({n = B('18446744073709551616')}))\n"
               "if t.n ~= 2^64 then error(tostring(t.n)) end\n"
               "fails('cannot encode a table key of type userdata', json.encode, {[B(1)] = 1})"));
}

/*
** powmod with an odd modulus (Montgomery, sliding window) against the
** plain power and '%', and against the division path that an even
** modulus takes: x mod m is (x mod 2m) mod m. The moduli have one limb,
** all-ones limbs (2^k - 1), a top limb of 1, or many limbs; the bases are
** 0, 1, negative, or beyond the modulus; the exponents start at 0 and 1.
*/
static void test_powmod (lua_State *L) {
  CHECK(run(
    L, "local ms = {B(1), B(3), B(7), B(65521), (B(1) << 32) - 1, (B(1) << 64) - 1,\n"
       "  (B(1) << 64) + 1, (B(1) << 128) - 1, (B(1) << 2048) - 1, B(3) ^ 200, (B(1) << 521) - 1}\n"
       "local bs = {B(0), B(1), B(2), B(-1), B(-12345), (B(1) << 100) + 17, B(7) ^ 500}\n"
       "local es = {B(0), B(1), B(2), B(3), B(17), B(255), B(65537)}\n"
       "for _, m in ipairs(ms) do for _, b in ipairs(bs) do for _, e in ipairs(es) do\n"
       "  local r = bigint.powmod(b, e, m)\n"
       "  assert(r >= 0 and r < m)\n"
       "  if e <= 17 then eq(r, tostring(b ^ e % m)) end\n"
       "  eq(r, tostring(bigint.powmod(b, e, 2 * m) % m))\n"
       "  eq(bigint.powmod(b, e, -m), tostring(r == B(0) and r or r - m))\n"
       "end end end\n"
       /* an exponent of 2,378 bits: windows of 6 */
       "local e = B(3) ^ 1500 + 12345\n"
       "for _, m in ipairs(ms) do\n"
       "  local b = B(5) ^ 300 % m\n"
       "  local r = bigint.powmod(b, e, m)\n"
       "  eq(r, tostring(bigint.powmod(b, e, 2 * m) % m))\n"
       "  eq(bigint.powmod(b, e + 1, m), tostring(r * b % m))\n"
       "  eq(bigint.powmod(b, 2 * e, m), tostring(r * r % m))\n"
       "end\n"
       /* Fermat: b^(p-1) = 1 mod a prime p */
       "local p = (B(1) << 127) - 1\n"
       "for b = 2, 40 do eq(bigint.powmod(b, p - 1, p), '1') end\n"
       /* moduli of every size around the limb boundaries */
       "for k = 1, 70 do local m = (B(1) << k) + 1\n"
       "  eq(bigint.powmod(B(3) ^ 50, 123, m), tostring((B(3) ^ 50 % m) ^ 123 % m)) end"));
}

/* Long operations call luai_loopstep, so a time limit stops them wherever they are. */
static void test_stop (lua_State *L) {
  static const char *const slow[] = {
    "return big * big",
    "return big * (big + 1)",
    "return sq // (big + 12345)",
    "return big ^ 3",
    "return bigint.powmod(big, big, big + 2)",
    "return bigint.powmod(big, big, big + 1)",
    /* residues that reach 0: every later product is 0, and is counted all the same */
    "return bigint.powmod(3, big, 9)",
    "return bigint.powmod(0, big, big + 2)",
    "return bigint.powmod(big, big, 1)",
    "return bigint.sqrt(sq)",
    "return bigint.gcd(fa, fb)",
    "return tostring(sq)",
    "return bigint.new(text)",
  };
  CHECK(run(L, "big = B(3) ^ 20000 sq = big * big text = tostring(sq)\n"
               "fa, fb = B(0), B(1) for i = 1, 20000 do fa, fb = fb, fa + fb end"));
  for (size_t i = 0; i < sizeof slow / sizeof slow[0]; i++) {
    steps = 0;
    stop_at = 2000;
    if (!run_fails(L, slow[i], "stopped"))
      fprintf(stderr, "not stopped: %s\n", slow[i]);
    CHECK(steps == stop_at);
  }
  stop_at = 0;
  CHECK(run(L, "assert(bigint.sqrt(sq) == big and B(text) == sq and bigint.gcd(fa, fb) == B(1))"));
}

/*
** Every allocation may fail: under each limit from the state's size
** upwards, the operations either finish or fail with a memory error,
** and everything allocated is freed when the state closes.
*/
static void test_memory (void) {
  int okruns = 0, memerrs = 0, others = 0;
  size_t extra;
  for (extra = 0; extra < 4 * 1024 * 1024 && okruns < 3; extra += 97 + extra / 16) {
    Mem m = {0, 0};
    lua_State *L = new_state(&m);
    lua_gc(L, LUA_GCCOLLECT);
    m.limit = m.used + extra;
    if (luaL_dostring(L, "local x = B(7) ^ 2000 + B('123456789012345678901234567890')\n"
                         "local q, r = bigint.divmod(x * x, x - 1)\n"
                         "assert(q * (x - 1) + r == x * x)\n"
                         "assert(bigint.sqrt(x * x) == x and bigint.gcd(x, x * 5) == x)\n"
                         "assert(B(x:tostring(7), 7) == x and B(x:tostring(16), 16) == x)\n"
                         "assert(bigint.powmod(x, 65537, x + 2) >= 0)") == LUA_OK)
      okruns++;
    else if (strcmp(lua_tostring(L, -1), "not enough memory") == 0)
      memerrs++;
    else {
      fprintf(stderr, "under a memory limit: %s\n", lua_tostring(L, -1));
      others++;
    }
    m.limit = 0;
    lua_close(L);
    CHECK(m.used == 0);
  }
  CHECK(memerrs > 10);
  CHECK(okruns > 0);
  CHECK(others == 0);
  { /* a result far beyond the limit fails cleanly, and the state goes on */
    Mem m = {0, 0};
    lua_State *L = new_state(&m);
    m.limit = m.used + 3 * 1024 * 1024;
    CHECK(run_fails(L, "return B(2) ^ (1 << 29)", "not enough memory"));
    CHECK(run_fails(L, "return B(1) << (1 << 30)", "not enough memory"));
    CHECK(run(L, "y = B(3) ^ 1000000"));
    CHECK(run_fails(L, "return y:tostring(2)", "not enough memory"));
    CHECK(run(L, "assert(tostring(B(2) ^ 100) == '1267650600228229401496703205376')"));
    CHECK(m.used <= m.limit);
    m.limit = 0;
    lua_close(L);
    CHECK(m.used == 0);
  }
}

int main (void) {
  Mem m = {0, 0};
  lua_State *L = new_state(&m);
  test_known(L);
  test_text(L);
  test_signs(L);
  test_ops(L);
  test_errors(L);
  test_json(L);
  test_powmod(L);
  test_stop(L);
  lua_close(L);
  CHECK(m.used == 0);
  test_memory();
  return cut_done();
}
