"""Requests per second against a running server: ``wrk`` when installed, else a threaded Python client.

Both spread requests over a list of paths (e.g. one verify token per certificate sampled), keep
connections alive, and report req/s, p50/p95 latency and the count of non-2xx answers.
"""

from __future__ import annotations

import http.client
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = "%(accept)s"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ZONE p50=%%d p95=%%d non2xx=%%d\n", latency:percentile(50), latency:percentile(95),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Throughput:
    label: str
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    tool: str
    first_status: int = 0  # the status of a single request made first, to tell what the errors were


def measure(base: str, label: str, paths: list[str], *, seconds: float = 10, connections: int = 16,
            accept: str = "*/*") -> Throughput:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", paths[0], headers={"Accept": accept})
    first_status = conn.getresponse().status
    conn.close()
    if shutil.which("wrk"):
        result = _wrk(base, label, paths, seconds, connections, accept)
    else:
        result = _python(base, label, paths, seconds, connections, accept)
    result.first_status = first_status
    return result


def _wrk(base, label, paths, seconds, connections, accept) -> Throughput:
    with tempfile.TemporaryDirectory() as tmp:
        paths_file = Path(tmp) / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "zone.lua"
        script.write_text(WRK_SCRIPT % {"paths": paths_file, "accept": accept})
        out = subprocess.run(  # noqa: S603
            ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script), base + paths[0]],  # noqa: S607
            capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"ZONE p50=(\d+) p95=(\d+) non2xx=(\d+)", out)
    errors = int(m.group(3))  # status errors (non-2xx/3xx) plus connect, read, write and timeout errors
    return Throughput(label, rps, int(m.group(1)) / 1000, int(m.group(2)) / 1000, errors, "wrk")


def _python(base, label, paths, seconds, connections, accept) -> Throughput:
    parts = urlsplit(base)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        rng = random.Random(n)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", rng.choice(paths), headers={"Accept": accept})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            bad += response.status >= 300
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=20)
    return Throughput(label, len(latencies) / elapsed, statistics.median(latencies) * 1000, q[18] * 1000, errors,
                      "python threads")
