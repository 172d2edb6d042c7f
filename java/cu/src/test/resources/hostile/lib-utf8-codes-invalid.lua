-- expect: LuaRuntimeException: compute:2: invalid UTF-8 code
for p, c in utf8.codes('a\xffb') do end
