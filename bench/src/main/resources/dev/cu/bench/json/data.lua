-- The data of the json workloads (JsonBenchmark, bench/json-cjson): the same tables for cu's
-- json module and for lua-cjson. Returns {object = <about 1 KB encoded>, records = <about
-- 100 KB encoded>, document = <about 10 KB encoded>}. No nulls and no empty tables, which the two libraries spell differently.

local function object (i)
  return {
    id = i,
    uuid = string.format("%08x-4b1e-9c2d-%012x", i * 7919, i * 104729),
    name = "Customer " .. i,
    email = "customer" .. i .. "@example.com",
    active = i % 2 == 0,
    balance = i * 12.25,
    created = "2026-12-02T08:30:00Z",
    tags = {"retail", "priority", "eu-west", "newsletter"},
    address = {street = i .. " Long Street", city = "Springfield", zip = "12345", country = "DE"},
    preferences = {language = "en", currency = "EUR", notifications = {email = true, sms = false}},
    orders = {
      {id = i * 10 + 1, total = 99.5, items = 3, status = "shipped"},
      {id = i * 10 + 2, total = 12.25, items = 1, status = "delivered"},
      {id = i * 10 + 3, total = 250.0, items = 7, status = "processing"},
    },
    notes = "Prefers delivery after 5 pm; call before arrival. Gate code 4711.",
    payment = {method = "card", brand = "visa", last4 = "4242", expires = "12/28", verified = true},
    consents = {marketing = false, analytics = true, thirdParty = false, updated = "2026-11-30"},
    loyalty = {tier = "gold", points = i * 37, since = "2019-04-01", multiplier = 1.5},
    devices = {"ios-17.2", "web-chrome-131", "android-14"},
    support = {open = 1, closed = 14, lastContact = "2026-11-28T16:05:00Z", agent = "A. Smith"},
  }
end

local records = {}
for i = 1, 1500 do
  records[i] = {id = i, name = "name" .. i, score = i % 101, active = i % 3 == 0, ratio = i / 4}
end

-- The 10 KB document: ten customer objects under a small envelope.
local customers = {}
for i = 1, 10 do customers[i] = object(100 + i) end
local document = {
  kind = "customer-page", page = 3, pageSize = 10, total = 1234,
  generated = "2026-12-02T09:00:00Z", customers = customers,
}

return {object = object(42), records = records, document = document}
