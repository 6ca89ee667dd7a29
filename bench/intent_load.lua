-- wrk script for bench_rounds.py: POST /api/rounds/{id}/intents as random signed-in units for
-- random villages of a hot pool, and tally what came back.
--   wrk ... -s bench/intent_load.lua URL -- <sessions file> <villages file> <round id> <seed>
-- sessions file: "sessionid csrftoken" per line; villages file: one village id per line.
-- The tallies are written to the file named by $WRK_OUT, one "kind key value" per line.

local sessions, villages, path = {}, {}, nil
statuses, codes, created, seconds = {}, {}, {}, {}
local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local sid, token = line:match("^(%S+)%s+(%S+)$")
    table.insert(sessions, { sid, token })
  end
  for line in io.lines(args[2]) do
    table.insert(villages, line)
  end
  path = "/api/rounds/" .. args[3] .. "/intents"
  math.randomseed(tonumber(args[4]) * 1000 + thread_no)
end

function request()
  local s = sessions[math.random(#sessions)]
  local body = '{"village_id": ' .. villages[math.random(#villages)] .. "}"
  return wrk.format("POST", path, {
    ["Cookie"] = "sessionid=" .. s[1] .. "; csrftoken=" .. s[2],
    ["X-CSRFToken"] = s[2],
    ["Content-Type"] = "application/json",
  }, body)
end

local function bump(t, key)
  t[key] = (t[key] or 0) + 1
end

function response(status, headers, body)
  bump(statuses, tostring(status))
  bump(seconds, tostring(os.time()))
  if status == 201 then
    local id = body:match('"id":%s*(%d+)')
    if id then
      table.insert(created, id)
    end
  elseif status == 409 then
    bump(codes, body:match('"code":%s*"([^"]*)"') or "")
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("WRK_OUT"), "w"))
  out:write("summary duration_us ", summary.duration, "\n")
  out:write("summary requests ", summary.requests, "\n")
  for _, kind in ipairs({ "connect", "read", "write", "status", "timeout" }) do
    out:write("errors ", kind, " ", summary.errors[kind], "\n")
  end
  for _, p in ipairs({ 50, 95, 99 }) do
    out:write("latency_us p", p, " ", latency:percentile(p), "\n")
  end
  for _, thread in ipairs(threads) do
    for _, kind in ipairs({ "statuses", "codes", "seconds" }) do
      for key, n in pairs(thread:get(kind)) do
        out:write(kind, " ", key == "" and "-" or key, " ", n, "\n")
      end
    end
    for _, id in ipairs(thread:get("created")) do
      out:write("created ", id, " 1\n")
    end
  end
  out:close()
end
