-- wrk script: every request posts a new, unique comment (held for moderation).
-- Set by the runner through the environment: BENCH_PATH, BENCH_ORIGIN (the POST
-- proves its origin, as a browser's does) and BENCH_TIMESTAMP (the form token).
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
local timestamp = os.getenv("BENCH_TIMESTAMP")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")

request = function()
  counter = counter + 1
  local tag = tostring(thread_id) .. "-" .. tostring(counter) .. "-" .. tostring(math.random(1, 1000000000))
  local body = "name=Bench+Reader&email=bench-" .. tag .. "%40example.org&url=&comment=Load+test+comment+"
    .. tag .. "&parent=&homepage=&timestamp=" .. timestamp
  return wrk.format("POST", path, nil, body)
end
