"""Load generators: wrk with a generated Lua script when installed, else Python threads.

Both run in a process of their own and report the same JSON:
    {"tool", "requests", "duration_s", "p50_ms", "p99_ms", "statuses": {"200": n, ...},
     "socket_errors": n}
A 409 whose body holds error code 50020 (out of stock) is counted under "409-50020", a 404
holding 33010 (cart lines already checked out) under "404-33010", a 409 holding 52070 (the
coupon was used by an earlier request) under "409-52070".

With "sequential": true in the spec, the requests are sent in list order, each once, wrapping
around when the list is exhausted (wrk: each thread takes every n-th, n the thread count), and a
201 repeating an earlier 201 body (an Idempotency-Key replay) is counted under "201-replay".
The Python generator tells replays by their Idempotency-Key and also reports
"replay_mismatch": the keys whose 201 answers differ (wrk: null, it cannot tell).

Python generator, standalone:  python bench/loadgen.py SPEC.json
SPEC = {"host", "port", "duration", "concurrency", "requests": [[method, path, headers, body]]}
"""

import http.client
import itertools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SOLD_OUT = b"50020"
GONE = b"33010"
COUPON_USED = b"52070"


# ---------------------------------------------------------------------------------------- wrk


def _lua_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _lua_request(method: str, path: str, headers: dict, body: str | None) -> str:
    pairs = ", ".join(f"[{_lua_str(k)}] = {_lua_str(v)}" for k, v in headers.items())
    body_text = _lua_str(body) if body is not None else "nil"
    return f"  {{{_lua_str(method)}, {_lua_str(path)}, {{{pairs}}}, {body_text}}},"


LUA_TEMPLATE = """
local reqs = {
%(requests)s
}
local threads = {}
statuses = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local sequential, stride = %(sequential)s, %(threads)d
local seen = {}

function init(args)
  math.randomseed(os.time() * 100 + (tid or 0))
  formatted = {}
  for i, r in ipairs(reqs) do
    formatted[i] = wrk.format(r[1], r[2], r[3], r[4])
  end
  nextindex = tid or 1
end

function request()
  if sequential then
    local r = formatted[(nextindex - 1) %% #formatted + 1]
    nextindex = nextindex + stride
    return r
  end
  return formatted[math.random(#formatted)]
end

function response(status, headers, body)
  local key = tostring(status)
  if status == 409 and body and body:find("50020", 1, true) then key = "409-50020" end
  if status == 404 and body and body:find("33010", 1, true) then key = "404-33010" end
  if status == 409 and body and body:find("52070", 1, true) then key = "409-52070" end
  if sequential and status == 201 and body then
    if seen[body] then key = "201-replay" end
    seen[body] = true
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%%s": %%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"socket_errors": %%d, "statuses": {%%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""


def run_wrk(spec: dict, workdir: Path) -> dict:
    lines = "\n".join(_lua_request(*request) for request in spec["requests"])
    script = workdir / f"wrk-{random.getrandbits(32):08x}.lua"
    threads = wrk_threads(spec["concurrency"])
    sequential = "true" if spec.get("sequential") else "false"
    script.write_text(
        LUA_TEMPLATE % {"requests": lines, "sequential": sequential, "threads": threads},
        encoding="utf-8",
    )
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{spec['concurrency']}",
        f"-d{spec['duration']}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{spec['host']}:{spec['port']}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=spec["duration"] + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line[len("BENCH_JSON ") :])
            return {
                "tool": "wrk",
                "requests": raw["requests"],
                "duration_s": raw["duration_us"] / 1e6,
                "p50_ms": raw["p50_us"] / 1000,
                "p99_ms": raw["p99_us"] / 1000,
                "statuses": raw["statuses"],
                "socket_errors": raw["socket_errors"],
                "replay_mismatch": None,
            }
    raise RuntimeError(f"wrk gave no result: {done.stdout[-500:]} {done.stderr[-500:]}")


# ------------------------------------------------------------------------------------- Python


def wrk_threads(concurrency: int) -> int:
    return max(1, min(2, concurrency))


def _worker(spec, deadline, results, lock, turn):
    rng = random.Random()
    latencies, statuses, socket_errors, answers = [], {}, 0, {}
    connection = None
    requests = spec["requests"]
    while time.perf_counter() < deadline:
        index = next(turn) % len(requests) if turn is not None else rng.randrange(len(requests))
        method, path, headers, body = requests[index]
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(spec["host"], spec["port"], timeout=10)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            socket_errors += 1
            if connection is not None:
                connection.close()
            connection = None
            continue
        latencies.append(time.perf_counter() - started)
        key = str(response.status)
        if response.status == 409 and SOLD_OUT in payload:
            key = "409-50020"
        if response.status == 404 and GONE in payload:
            key = "404-33010"
        if response.status == 409 and COUPON_USED in payload:
            key = "409-52070"
        if turn is not None and response.status == 201 and "Idempotency-Key" in headers:
            answers.setdefault(headers["Idempotency-Key"], []).append(payload)
            continue  # counted once every thread is done (`_count_replays`)
        statuses[key] = statuses.get(key, 0) + 1
    if connection is not None:
        connection.close()
    with lock:
        results["latencies"].extend(latencies)
        results["socket_errors"] += socket_errors
        for key, bodies in answers.items():
            results["answers"].setdefault(key, []).extend(bodies)
        for key, count in statuses.items():
            results["statuses"][key] = results["statuses"].get(key, 0) + count


def _count_replays(results: dict) -> list[str]:
    """The 201s of keyed requests: the first per key under "201", the others (which must repeat
    its body) under "201-replay"; answers the keys whose 201 bodies differ."""
    statuses, mismatched = results["statuses"], []
    for key, bodies in results["answers"].items():
        statuses["201"] = statuses.get("201", 0) + 1
        if len(bodies) > 1:
            statuses["201-replay"] = statuses.get("201-replay", 0) + len(bodies) - 1
        if len(set(bodies)) > 1:
            mismatched.append(key)
    return mismatched


def run_python(spec: dict) -> dict:
    results = {"latencies": [], "statuses": {}, "socket_errors": 0, "answers": {}}
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + spec["duration"]
    turn = itertools.count() if spec.get("sequential") else None  # next() is atomic
    workers = [
        threading.Thread(target=_worker, args=(spec, deadline, results, lock, turn))
        for _ in range(spec["concurrency"])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(results["latencies"])
    mismatched = _count_replays(results)

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    return {
        "tool": "python",
        "requests": len(latencies),
        "duration_s": elapsed,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "statuses": results["statuses"],
        "socket_errors": results["socket_errors"],
        "replay_mismatch": len(mismatched) if spec.get("sequential") else None,
    }


# ------------------------------------------------------------------------------------ driver


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def drive(spec: dict, workdir: Path, tool: str) -> dict:
    """Run one load phase in a separate process and answer its result."""
    if tool == "wrk":
        return run_wrk(spec, workdir)
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=workdir, delete=False) as handle:
        json.dump(spec, handle)
    done = subprocess.run(
        [sys.executable, __file__, handle.name],
        capture_output=True,
        text=True,
        timeout=spec["duration"] + 60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed: {done.stderr[-1000:]}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    print(json.dumps(run_python(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))))
