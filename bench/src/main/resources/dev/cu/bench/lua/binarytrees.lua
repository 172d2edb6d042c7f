-- Binary trees of depth 14: allocation and garbage collection of small tables.
-- Builds a stretch tree of depth 15, keeps a long-lived tree of depth 14, and for each even
-- depth d from 4 to 14 builds and walks 2^(18 - d) short-lived trees of depth d.
-- Returns the total number of nodes visited (plain Lua 5.2+ syntax, no bit operators).
local function build(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { build(depth), build(depth) }
end

local function count(tree)
  local left = tree[1]
  if left == nil then return 1 end
  return 1 + count(left) + count(tree[2])
end

local mindepth, maxdepth = 4, 14
local total = count(build(maxdepth + 1))
local longlived = build(maxdepth)
for depth = mindepth, maxdepth, 2 do
  local iterations = 1
  for _ = 1, maxdepth - depth + mindepth do iterations = iterations * 2 end
  for _ = 1, iterations do
    total = total + count(build(depth))
  end
end
return total + count(longlived)
