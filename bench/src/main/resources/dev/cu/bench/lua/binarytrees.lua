-- Binary trees of depth 14: build, check and drop complete trees of every
-- even depth from 4 to 14 plus one long-lived tree; returns the total count.
local function build(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { build(depth), build(depth) }
end

local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end

local maxDepth = 14
local total = check(build(maxDepth + 1))
local longLived = build(maxDepth)
for depth = 4, maxDepth, 2 do
  local iterations = 1 << (maxDepth - depth + 4)
  for _ = 1, iterations do total = total + check(build(depth)) end
end
return total + check(longLived)
