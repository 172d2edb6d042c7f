-- expect: LuaMemoryException: not enough memory
local code = 'return 1'
for i = 1, 100 do code = 'return load(' .. string.format('%q', code) .. ')()' end
return load(code)()
