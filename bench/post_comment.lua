-- wrk script: every request posts a new, unique comment (held for moderation).
-- Set by the runner through the environment: BENCH_PATH, BENCH_TOKEN,
-- BENCH_COOKIE, BENCH_TIMESTAMP.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + (thread_id or 0))
end

local path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
local timestamp = os.getenv("BENCH_TIMESTAMP")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

request = function()
  counter = counter + 1
  local tag = tostring(thread_id) .. "-" .. tostring(counter) .. "-" .. tostring(math.random(1, 1000000000))
  local body = "name=Bench+Reader&email=bench-" .. tag .. "%40example.org&url=&comment=Load+test+comment+"
    .. tag .. "&parent=&homepage=&timestamp=" .. timestamp .. "&csrfmiddlewaretoken=" .. token
  return wrk.format("POST", path, nil, body)
end
