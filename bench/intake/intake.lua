-- wrk script: each request files a single-subject erasure request with a user id no other request uses
-- (run tag from the environment, thread number, counter). Needs BENCH_KEY and BENCH_TAG in the environment.
local counter = 0
local thread_no = 0
local threads = {}
local key = os.getenv("BENCH_KEY")
local tag = os.getenv("BENCH_TAG") or "intake"

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"user_ids":["%s-%d-%d"],"regulation":"gdpr","requested_by":"bench:intake"}', tag, thread_no, counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT_WRK requests=%d errors_status=%d errors_other=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
