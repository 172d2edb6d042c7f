-- expect: LuaRuntimeException: compute:2: invalid value (table) at index 1 in table for 'concat'
return table.concat({{}})
