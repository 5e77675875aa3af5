-- wrk's script for the small-query benchmarks (bench/wrk.py): GET PATH with the SPARQL JSON Accept header.
-- With UNIQUE=1 every request's text is new (a comment with the run, the thread and a counter is added to the
-- query), so that no answer can come from a cache; the report is one JSON line on stdout.
local path = os.getenv("WRK_PATH")
local unique = os.getenv("UNIQUE") == "1"
local run = os.getenv("RUN_ID") or "0"
local headers = {["Accept"] = "application/sparql-results+json"}
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function request()
  if not unique then
    return wrk.format("GET", path, headers)
  end
  counter = counter + 1
  -- "%23%20" is "# ", "%0A" a new line: the comment ends the query's last line
  return wrk.format("GET", path .. "%0A%23%20" .. run .. "-" .. id .. "-" .. counter .. "%0A", headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "microseconds": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
