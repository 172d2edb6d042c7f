-- Runs whenever a user's unit is built (again): functions and settings live in the unit,
-- everything the rules remember lives in _home, which is the user's Flink keyed state.
WINDOW = 60000        -- failed logins count within one minute (event time, milliseconds)
MAX_FAILURES = 3      -- this many failed logins in the window raise an alert
DAILY_LIMIT = 2000    -- spending above this in one day raises an alert
DAY = 86400000

-- an event-time timer set by a failed login: forget the failures once the window has passed
function on_timer(t)
  local f = _home.failures
  if f and #f > 0 and t - f[#f] >= WINDOW then
    _home.failures = nil
  end
end
