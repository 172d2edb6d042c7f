-- Runs for each event of one user: _io.input is the event, _io.output the alerts it raises.
local e = _io.input
local alerts = {}
local function alert(rule, detail)
  alerts[#alerts + 1] = {user = e.user, rule = rule, detail = detail, time = e.time}
end

_home.countries = _home.countries or {}

if e.type == "login_failed" then
  local kept = {}
  for _, t in ipairs(_home.failures or {}) do
    if e.time - t < WINDOW then kept[#kept + 1] = t end
  end
  kept[#kept + 1] = e.time
  _home.failures = kept
  if #kept == MAX_FAILURES then
    alert("brute-force", #kept .. " failed logins within a minute")
  end
  flink.event_timer(e.time + WINDOW)
elseif e.type == "login" then
  _home.failures = nil
  _home.countries[e.country] = true
elseif e.type == "purchase" then
  if not _home.countries[e.country] and e.amount >= 500 then
    alert("new-country", "a purchase of " .. e.amount .. " from " .. e.country)
  end
  local day = e.time // DAY
  if _home.day ~= day then
    _home.day, _home.spent, _home.over = day, 0, false
  end
  _home.spent = _home.spent + e.amount
  if _home.spent > DAILY_LIMIT and not _home.over then
    _home.over = true
    alert("daily-limit", "spent " .. _home.spent .. " today")
  end
else
  error("unknown event type " .. tostring(e.type))
end

if #alerts > 0 then _io.output = alerts end
