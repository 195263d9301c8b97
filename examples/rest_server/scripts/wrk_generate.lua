-- wrk script: POST /api/v1/content/generate with a varying input (defeats the LLM cache).
-- env: TOKEN, WS. Reports p50/p95/p99 and non-2xx counts.
local n = 0
local token = os.getenv("TOKEN")
local ws = os.getenv("WS")
request = function()
  if os.getenv("MODE") == "get" then return wrk.format("GET", "/api/v1/content/" .. os.getenv("CID"), {["Authorization"] = "Bearer " .. token}) end
  n = n + 1
  local body = string.format('{"workspaceId":"%s","input":"Write about AI in healthcare, take %d","contentType":"social"}', ws, n)
  return wrk.format("POST", "/api/v1/content/generate",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
local statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  io.write(string.format("p50=%.1fms p95=%.1fms p99=%.1fms requests=%d errors(connect=%d read=%d write=%d timeout=%d status=%d)\n",
    latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000,
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
