-- A persistent counter: ./cu run examples/counter.lua prints 1, then 2, then 3...
-- _home lives in ./.cu (see --state); --ephemeral forgets it.
_home.count = (_home.count or 0) + 1
return _home.count
