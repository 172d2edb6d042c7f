-- expect: LuaRuntimeException: compute:2: invalid UTF-8 code
return utf8.codepoint('\xff')
