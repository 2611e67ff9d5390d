#!/usr/bin/env python3
"""ConnectSite against its peers, side by side in one run, as ratios.

    python3 Benchmarks/bench.py all        # what `make bench` runs; rewrites BENCHMARKS.md
    python3 Benchmarks/bench.py build|incremental|serve|proxy|page|soak|floor|reload   # one part, printed
    python3 Benchmarks/bench.py update floor   # one part again, into results.json and BENCHMARKS.md

Peers are Debian's: hugo, nginx, caddy; load from wrk, timings from hyperfine. Release
builds of build-site and connect-server are used. These are benchmarks, not tests: the
numbers move with the machine, and the tables say which ran when.
"""
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# BENCH_BIN points at other binaries (a debug build) for a quick look; BENCHMARKS.md is
# from release builds.
RELEASE = Path(os.environ.get("BENCH_BIN", REPO / ".build" / "release"))
WORK = Path(os.environ.get("BENCH_WORK", "/var/tmp/connectsite-bench"))
TMPFS = Path("/dev/shm/connectsite-bench")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,4000,10000").split(",")]
SERVE_ROUNDS = int(os.environ.get("BENCH_SERVE_ROUNDS", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def peak_kib(pid):
    """The resident high-water mark of a process, in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_peak_kib(pid):
    """The process's peak plus its children's (nginx and caddy fork workers)."""
    total = peak_kib(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(peak_kib(int(c)) for c in children)


def versions():
    def first_line(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "not found"
    return {
        "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB",
        "swift": first_line("swift", "--version"),
        "hugo": first_line("hugo", "version"),
        "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
        "caddy": first_line("caddy", "version"),
        "wrk": first_line("wrk", "--version") or "wrk 4.1.0",
        "hyperfine": first_line("hyperfine", "--version"),
    }


# ---------------------------------------------------------------------------------- build

def corpus(root, pages, shape):
    sh(sys.executable, str(REPO / "Benchmarks" / "generate_corpus.py"), str(root), str(pages), shape)


def build_commands(root):
    site = root / "connectsite"
    ours = (f"{RELEASE / 'build-site'} --content {site / 'content'} --templates {site / 'templates'} "
            f"--output {root / 'out-connectsite'}")
    hugo = f"hugo --quiet --source {root / 'hugo'} --destination {root / 'out-hugo'} --cleanDestinationDir"
    return ours, hugo


def max_rss_kib(command):
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", command + " > /dev/null"], capture_output=True, text=True)
    return int(result.stderr.strip().splitlines()[-1])


def bench_build():
    rows = []
    for fs_name, base in (("tmpfs", TMPFS), ("disk", WORK)):
        for shape in ("plain", "rich"):
            sizes = SIZES if shape == "plain" else [SIZES[min(1, len(SIZES) - 1)]]
            for pages in sizes:
                root = base / f"build-{shape}-{pages}"
                corpus(root, pages, shape)
                ours, hugo = build_commands(root)
                export = root / "hyperfine.json"
                sh("hyperfine", "--warmup", "1", "--runs", str(RUNS), "--export-json", str(export), "-n", "build-site", ours, "-n", "hugo", hugo)
                results = {r["command"]: r for r in json.loads(export.read_text())["results"]}
                row = {"fs": fs_name, "shape": shape, "pages": pages}
                for name, command in (("build-site", ours), ("hugo", hugo)):
                    mean = results[name]["mean"]
                    row[name] = {"mean_s": mean, "stddev_s": results[name]["stddev"], "pages_per_s": pages / mean,
                                 "peak_mib": max_rss_kib(command) / 1024}
                row["ratio"] = row["build-site"]["pages_per_s"] / row["hugo"]["pages_per_s"]
                if fs_name == "tmpfs" and shape == "plain":
                    # Into an empty folder each time: build-site then has nothing to reuse.
                    outputs = f"rm -rf {root / 'out-connectsite'} {root / 'out-hugo'}"
                    cold = root / "hyperfine-cold.json"
                    sh("hyperfine", "--warmup", "1", "--runs", str(RUNS), "--prepare", outputs, "--export-json", str(cold),
                       "-n", "build-site", ours, "-n", "hugo", hugo)
                    means = {r["command"]: r["mean"] for r in json.loads(cold.read_text())["results"]}
                    row["cold"] = {"build-site_s": means["build-site"], "hugo_s": means["hugo"],
                                   "ratio": means["hugo"] / means["build-site"]}
                rows.append(row)
                print(json.dumps(row), flush=True)
                shutil.rmtree(root, ignore_errors=True)
    return rows


def bench_incremental():
    """Saving one page of the 10,000-page corpus under --watch: until its output is in place."""
    pages = max(SIZES)
    root = TMPFS / "incremental"
    corpus(root, pages, "plain")
    site = root / "connectsite"
    out = root / "out"
    process = subprocess.Popen([str(RELEASE / "build-site"), "--watch", "--content", str(site / "content"),
                                "--templates", str(site / "templates"), "--output", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        process.stdout.readline()  # the first full build
        times, reported, whole = [], [], []
        page = site / "content" / "docs" / "page-5.md"
        target = out / "docs" / "page-5" / "index.html"
        manifest = out / ".manifest.json"
        for i in range(7):
            time.sleep(1)
            marker = f"Edit number {i} {time.time()}"
            listed = manifest.stat().st_mtime_ns
            started = time.perf_counter()
            page.write_text(page.read_text() + f"\n{marker}\n")
            # In place means served: the page's new HTML, and a manifest that lists it.
            while marker not in (target.read_text() if target.exists() else "") or manifest.stat().st_mtime_ns == listed:
                time.sleep(0.0005)
            times.append((time.perf_counter() - started) * 1000)
            # "Updated /docs/page-5/ in 3.1 ms; search index and llms-full.txt at 180 ms"
            line = process.stdout.readline()
            found = re.search(r"in ([\d.]+) ms; search index and llms-full.txt at ([\d.]+) ms", line)
            if found:
                reported.append(float(found.group(1)))
                whole.append(float(found.group(2)))
        return {"pages": pages, "ms": times, "median_ms": statistics.median(times),
                "build_site_ms": reported, "whole_site_ms": whole,
                "whole_site_median_ms": statistics.median(whole) if whole else None}
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------------- serving

NGINX_CONF = """
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fcgi;
  uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  {servers}
}}
"""


def start_nginx(servers, name):
    prefix = WORK / name
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(NGINX_CONF.format(prefix=prefix, servers=servers))
    process = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                               stderr=subprocess.DEVNULL)
    return process


def start_caddy(root, port):
    config = WORK / "Caddyfile"
    config.write_text("{\n  admin off\n  auto_https off\n  log {\n    output discard\n  }\n}\n"
                      f":{port} {{\n  root * {root}\n  file_server {{\n    precompressed gzip\n  }}\n}}\n")
    return subprocess.Popen(["caddy", "run", "--config", str(config), "--adapter", "caddyfile"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_connect_server(public, port, upstream="http://127.0.0.1:9"):
    return subprocess.Popen([str(RELEASE / "connect-server"), "--port", str(port), "--public", str(public),
                             "--upstream", upstream, "--rate-limit", "0", "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wrk(url, threads=2, connections=50, seconds=10, headers=()):
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    output = sh(*args, url).stdout
    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50_ms": latency("50"), "p99_ms": latency("99"), "non_2xx": int(errors.group(1)) if errors else 0,
            "requests": int(re.search(r"(\d+) requests in", output).group(1))}


def serving_site():
    """A 1,000-page corpus plus a 10 KiB hashed asset, built once for every server."""
    root = WORK / "serve"
    corpus(root, 1000, "plain")
    assets = root / "connectsite" / "templates" / "assets"
    (assets / "bench.css").write_text(("/* 10 KiB of CSS for the benchmark */\n" + ".b{color:#123456}\n" * 600)[:10240])
    sh(str(RELEASE / "build-site"), "--content", str(root / "connectsite" / "content"), "--templates",
       str(root / "connectsite" / "templates"), "--output", str(root / "public"))
    public = root / "public"
    manifest = json.loads((public / ".manifest.json").read_text())
    asset = next(e for e in manifest["entries"] if e["path"].startswith("/assets/bench."))
    page = next(e for e in manifest["entries"] if e["path"] == "/docs/page-1/")
    return public, asset, page


def etag(url):
    request = urllib.request.Request(url, method="HEAD", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        return response.headers["ETag"]


def bench_serve():
    public, asset, page = serving_site()
    ports = {"connect-server": free_port(), "nginx": free_port(), "caddy": free_port()}
    servers = {
        "connect-server": lambda: start_connect_server(public, ports["connect-server"]),
        "nginx": lambda: start_nginx(f"server {{ listen 127.0.0.1:{ports['nginx']}; root {public}; gzip_static on; etag on;"
                                     f" location / {{ try_files $uri $uri/index.html =404; }} }}", "nginx-static"),
        "caddy": lambda: start_caddy(public, ports["caddy"]),
    }
    # All three run at once and take turns, round after round; each figure is the median of
    # the rounds, so that a noisy moment of the machine does not decide a ratio.
    processes = {name: start() for name, start in servers.items()}
    rounds = {name: [] for name in servers}
    try:
        tags = {}
        for name in servers:
            base = f"http://127.0.0.1:{ports[name]}"
            wait_http(base + "/")
            tags[name] = etag(base + page["path"])
        for round_number in range(SERVE_ROUNDS):
            for name in servers:
                base = f"http://127.0.0.1:{ports[name]}"
                page_url = base + page["path"]
                measured = {
                    "asset": wrk(base + asset["path"]),
                    "page_gzip": wrk(page_url, headers=["Accept-Encoding: gzip"]),
                    "revalidate_304": wrk(page_url, headers=["Accept-Encoding: gzip", f"If-None-Match: {tags[name]}"]),
                }
                rounds[name].append(measured)
                print(f"round {round_number + 1}", name, json.dumps(measured), flush=True)
        results = {}
        for name, process in processes.items():
            results[name] = {test: {key: statistics.median(r[test][key] for r in rounds[name])
                                    for key in ("rps", "p50_ms", "p99_ms", "non_2xx")}
                             for test in ("asset", "page_gzip", "revalidate_304")}
            results[name]["rounds"] = rounds[name]
            results[name]["peak_mib"] = tree_peak_kib(process.pid) / 1024
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
            process.wait()
    return {"asset_bytes": asset["size"], "page_bytes": page["size"], "page_gzip_bytes": (page.get("gzip") or {}).get("size"),
            "servers": results}


def bench_proxy():
    public, _, _ = serving_site()
    upstream_port, nginx_port, ours_port = free_port(), free_port(), free_port()
    body = '{"data":[{"id":"9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6","status":"pending"}]}'
    upstream = start_nginx(
        f"server {{ listen 127.0.0.1:{upstream_port}; location / {{ default_type application/json; return 200 '{body}'; }} }}\n"
        f"upstream api {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}\n"
        f"server {{ listen 127.0.0.1:{nginx_port}; location /v1/connect/ {{ proxy_pass http://api; proxy_http_version 1.1;"
        f" proxy_set_header Connection \"\"; }} }}", "nginx-proxy")
    ours = start_connect_server(public, ours_port, upstream=f"http://127.0.0.1:{upstream_port}")
    path = "/v1/connect/requirements/status"
    headers = ["Authorization: Bearer bench-token"]
    try:
        for port in (upstream_port, nginx_port, ours_port):
            wait_http(f"http://127.0.0.1:{port}/healthz/live")
        results = {}
        for label, threads, connections in (("load", 2, 50), ("one_connection", 1, 1)):
            results[label] = {
                "direct": wrk(f"http://127.0.0.1:{upstream_port}{path}", threads, connections, headers=headers),
                "nginx": wrk(f"http://127.0.0.1:{nginx_port}{path}", threads, connections, headers=headers),
                "connect-server": wrk(f"http://127.0.0.1:{ours_port}{path}", threads, connections, headers=headers),
            }
            print(label, json.dumps(results[label]), flush=True)
        return results
    finally:
        for process in (upstream, ours):
            process.send_signal(signal.SIGTERM)
            process.wait()


# ---------------------------------------------------------------------------------- soak

SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "300"))
SOAK_SCRIPT = """
local paths = {"/", "/docs/page-1/", "/v1/connect/requirements/status", "/assets/missing.css", "/v1/connect/requirements"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {["Authorization"] = "Bearer bench-token", ["Accept-Encoding"] = "gzip"})
end
"""


def bench_soak():
    """Static and proxied calls mixed for SOAK_SECONDS, connect-server's RSS sampled every
    10 s: a leak shows as a climb after the first minute's warm-up."""
    public, _, _ = serving_site()
    upstream_port, ours_port = free_port(), free_port()
    body = '{"data":[{"id":"9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6","status":"pending"}]}'
    upstream = start_nginx(f"server {{ listen 127.0.0.1:{upstream_port}; location / {{ default_type application/json;"
                           f" return 200 '{body}'; }} }}", "nginx-soak")
    ours = start_connect_server(public, ours_port, upstream=f"http://127.0.0.1:{upstream_port}")
    script = WORK / "soak.lua"
    script.write_text(SOAK_SCRIPT)
    try:
        wait_http(f"http://127.0.0.1:{upstream_port}/")
        wait_http(f"http://127.0.0.1:{ours_port}/healthz/live")
        def rss():
            for line in Path(f"/proc/{ours.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        idle = rss()
        load = subprocess.Popen(["wrk", "-t", "2", "-c", "50", "-d", f"{SOAK_SECONDS}s", "-s", str(script),
                                 f"http://127.0.0.1:{ours_port}/"], stdout=subprocess.PIPE, text=True)
        samples = []
        started = time.time()
        while load.poll() is None:
            time.sleep(10)
            samples.append({"second": round(time.time() - started), "rss_mib": round(rss(), 1)})
            print("soak", json.dumps(samples[-1]), flush=True)
        output = load.stdout.read()
        requests = int(re.search(r"(\d+) requests in", output).group(1))
        warm = [s["rss_mib"] for s in samples if s["second"] >= 60] or [s["rss_mib"] for s in samples]
        return {"seconds": SOAK_SECONDS, "requests": requests, "idle_mib": round(idle, 1), "samples": samples,
                "after_warmup_mib": warm[0], "end_mib": warm[-1], "max_mib": max(warm)}
    finally:
        for process in (upstream, ours):
            process.send_signal(signal.SIGTERM)
            process.wait()


# ---------------------------------------------------------------------------------- connect page

def bench_page():
    """The connect page: its first flight on the wire, the time to the checklist on this
    machine, and the round trips to the first requirement title at an emulated 100 ms RTT."""
    sys.path.insert(0, str(REPO / "Tests" / "Browser"))
    from conftest import make_driver  # noqa: E402
    root = WORK / "page"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    output = sh(str(RELEASE / "build-site"), "--output", str(root / "public"), cwd=REPO).stdout
    weight = re.search(r"connect page first flight ([\d.]+) KiB", output).group(1)
    embed_bytes = len(gzip.compress((root / "public" / "connect-embed.js").read_bytes(), 9))
    port, sandbox_port = free_port(), free_port()
    server = subprocess.Popen([str(RELEASE / "connect-server"), "--port", str(port), "--sandbox-port", str(sandbox_port),
                               "--public", str(root / "public"), "--sandbox-dir", str(root / "sandbox"), "--log-level", "warning",
                               "--rate-limit", "0"],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    key = "dynamiq_acc_SandboxDemoKeyForLocalUseOnly00000000000000000000000000000000000"
    host = "4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai"

    def token(user):
        request = urllib.request.Request(f"http://127.0.0.1:{sandbox_port}/apps/{host}/v1/connect/tokens", method="POST",
                                         data=json.dumps({"user_id": user}).encode(),
                                         headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(request))["token"]

    # Recorded in the page itself: the moment the checklist stops being busy, and the moment
    # the first requirement title is on screen.
    recorder = """
        new MutationObserver(function (m, o) {
          var list = document.getElementById('requirements'), title = document.querySelector('.requirement-title');
          if (list && list.getAttribute('aria-busy') === 'false' && !window.__rendered) window.__rendered = performance.now();
          if (title && title.textContent && !window.__title) window.__title = performance.now();
          if (window.__rendered && window.__title) o.disconnect();
        }).observe(document, {subtree: true, attributes: true, childList: true, characterData: true});"""

    def load(driver, url):
        driver.get("about:blank")  # a new fragment alone would not load the page again
        driver.get(url)
        deadline = time.time() + 15
        while driver.execute_script("return window.__title && window.__rendered") is None and time.time() < deadline:
            time.sleep(0.01)
        return driver.execute_script("return [window.__rendered, window.__title, "
                                     "performance.getEntriesByType('navigation')[0].transferSize]")

    driver = make_driver()
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz/live")
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": recorder})
        times = []
        for i in range(11):
            rendered, _, _ = load(driver, f"http://127.0.0.1:{port}/connect/#token={token(f'bench-{i}')}")
            if i:  # the first load warms the server's and the browser's caches
                times.append(rendered)
    finally:
        driver.quit()

    # Cold, at an emulated 100 ms round trip: the HTTP cache off and cleared before each
    # load, so the page and everything it asks for cross the network. One browser, warmed on
    # a docs page first: a new browser per run measured its own start (font and profile
    # caches, several hundred ms of layout here), not the page.
    rtt_ms = 100
    cold = {}
    driver = make_driver()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": recorder})
        driver.get(f"http://127.0.0.1:{port}/docs/overview/")
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": rtt_ms,
                                                                     "downloadThroughput": -1, "uploadThroughput": -1})
        for language in ("en", "de"):
            cold[language] = []
            for i in range(7):
                driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                query = "" if language == "en" else f"?lang={language}"
                _, title, transfer = load(driver, f"http://127.0.0.1:{port}/connect/{query}#token={token(f'cold-{language}-{i}')}")
                cold[language].append({"title_ms": title, "round_trips": title / rtt_ms, "first_flight_bytes": transfer})
    finally:
        driver.quit()
    server.send_signal(signal.SIGTERM)
    server.wait()
    return {"gzip_kib": float(weight), "embed_gzip_bytes": embed_bytes, "rendered_ms": times, "median_ms": statistics.median(times), "rtt_ms": rtt_ms,
            "cold": {language: {"runs": runs, "median_round_trips": statistics.median(r["round_trips"] for r in runs),
                                "first_flight_bytes": runs[0]["first_flight_bytes"]} for language, runs in cold.items()}}


# ---------------------------------------------------------------------------------- proxy floor

FLOOR = REPO / "Benchmarks" / "floor"
FLOOR_ATTEMPTS = 4
FLOOR_OTHER_CPU_S = float(os.environ.get("BENCH_FLOOR_OTHER_CPU_S", "1.0"))  # of a 10 s run on every core


def building():
    """Swift builds running on the machine (zombies aside): on 2 cores they would be measured too."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if state != "Z" and (b"swift-frontend" in command or b"swift-build" in command):
            found.append(int(entry.name))
    return found


def wait_quiet():
    """Waits, polling every 30 s, until no build runs; returns the seconds waited."""
    waited = 0
    while building():
        print(f"a build is running ({building()}); waiting", flush=True)
        time.sleep(30)
        waited += 30
    return waited


def cpu_seconds(pid):
    """utime + stime of a process (all its threads) and of its children (nginx's workers)."""
    def own(p):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return own(pid) + sum(own(int(c)) for c in children)


def busy_seconds():
    """CPU time the whole machine spent busy (every core), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def build_floor():
    """The two floor relays: relay.c with cc -O2, NIORelay with swift build -c release (its
    own package; quick once built)."""
    relay = WORK / "floor-relay"
    sh("cc", "-O2", "-pthread", "-o", str(relay), str(FLOOR / "relay.c"))
    sh("swift", "build", "-c", "release", "--package-path", str(FLOOR / "NIORelay"))
    return relay, FLOOR / "NIORelay" / ".build" / "release" / "NIORelay"


def bench_floor():
    """The physical floor of the proxy: section 4's call through nginx, through the least a
    proxy can do (relay.c in C; NIORelay on swift-nio, with NIO's HTTP/1 decoders and with a
    raw head scan) and through connect-server, side by side in one run, taking turns, median
    of the rounds; with the CPU each proxy spends per request."""
    waited = wait_quiet()  # a build may be writing connect-server's binary
    relay, nio = build_floor()
    public, _, _ = serving_site()
    upstream_port = free_port()
    ports = {name: free_port() for name in ("nginx", "relay.c", "NIORelay", "NIORelay --raw", "connect-server")}
    body = '{"data":[{"id":"9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6","status":"pending"}]}'
    # The upstream is its own nginx, so that the proxying nginx's CPU is its own (section 4
    # runs both servers in one nginx, whose workers then share the upstream's work).
    upstream = start_nginx(f"server {{ listen 127.0.0.1:{upstream_port}; location / {{ default_type application/json;"
                           f" return 200 '{body}'; }} }}", "nginx-floor-upstream")
    processes = {
        "nginx": start_nginx(
            f"upstream api {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}\n"
            f"server {{ listen 127.0.0.1:{ports['nginx']}; location /v1/connect/ {{ proxy_pass http://api; proxy_http_version 1.1;"
            f" proxy_set_header Connection \"\"; }} }}", "nginx-floor-proxy"),
        "relay.c": subprocess.Popen([str(relay), str(ports["relay.c"]), str(upstream_port)]),
        "NIORelay": subprocess.Popen([str(nio), str(ports["NIORelay"]), str(upstream_port)], stdout=subprocess.DEVNULL),
        "NIORelay --raw": subprocess.Popen([str(nio), str(ports["NIORelay --raw"]), str(upstream_port), "--raw"],
                                           stdout=subprocess.DEVNULL),
        "connect-server": start_connect_server(public, ports["connect-server"], upstream=f"http://127.0.0.1:{upstream_port}"),
    }
    binary = RELEASE / "connect-server"
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(binary.stat().st_mtime))  # the binary started
    path = "/v1/connect/requirements/status"
    headers = ["Authorization: Bearer bench-token"]
    url = lambda port: f"http://127.0.0.1:{port}{path}"
    paths = {"direct": upstream_port, **ports}
    tests = (("load", 2, 50), ("one_connection", 1, 1))
    rounds = {label: {name: [] for name in paths} for label, _, _ in tests}
    try:
        wait_http(f"http://127.0.0.1:{upstream_port}/")
        for name, port in ports.items():
            wait_http(url(port))
        for name, port in paths.items():  # warm-up: pools filled, caches warm; not recorded
            wrk(url(port), 2, 50, seconds=2, headers=headers)
        for round_number in range(SERVE_ROUNDS):
            for label, threads, connections in tests:
                for name, port in paths.items():
                    process = upstream if name == "direct" else processes[name]
                    for attempt in range(FLOOR_ATTEMPTS):
                        waited += wait_quiet()
                        before = (cpu_seconds(process.pid), cpu_seconds(upstream.pid), busy_seconds(),
                                  os.times().children_user + os.times().children_system)
                        measured = wrk(url(port), threads, connections, headers=headers)
                        after = (cpu_seconds(process.pid), cpu_seconds(upstream.pid), busy_seconds(),
                                 os.times().children_user + os.times().children_system)
                        requests = measured["requests"] or 1
                        measured["cpu_us_per_request"] = (after[0] - before[0]) / requests * 1e6
                        measured["upstream_cpu_us_per_request"] = (after[1] - before[1]) / requests * 1e6
                        # CPU the rest of the machine used meanwhile (all but wrk, this proxy and the
                        # upstream): a build or anything else running shows here, and the run is redone.
                        own = (after[0] - before[0]) + (0 if name == "direct" else after[1] - before[1]) + (after[3] - before[3])
                        measured["other_cpu_s"] = max(0.0, (after[2] - before[2]) - own)
                        if measured["other_cpu_s"] <= FLOOR_OTHER_CPU_S and not building():
                            break
                        print(f"busy machine ({measured['other_cpu_s']:.2f} s of other CPU); again", flush=True)
                    rounds[label][name].append(measured)
                    print(f"round {round_number + 1}", label, name, json.dumps(measured), flush=True)
        keys = ("rps", "p50_ms", "p99_ms", "non_2xx", "cpu_us_per_request", "upstream_cpu_us_per_request", "other_cpu_s")
        results = {label: {name: {**{key: statistics.median(r[key] for r in runs) for key in keys}, "rounds": runs}
                           for name, runs in by_name.items()} for label, by_name in rounds.items()}
        return {**results, "rounds": SERVE_ROUNDS, "waited_for_builds_s": waited,
                "connect_server": {"binary": str(binary), "built": built},
                "commit": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()}
    finally:
        for process in (upstream, *processes.values()):
            process.send_signal(signal.SIGTERM)
            process.wait()


def bench_reload():
    """Live reload: from saving a guide to its new text in an open browser (live_reload.py)."""
    sys.path.insert(0, str(REPO / "Benchmarks"))
    from live_reload import bench_reload as run  # noqa: E402
    wait_quiet()
    return run(RELEASE, WORK)


PARTS = {"build": bench_build, "incremental": bench_incremental, "serve": bench_serve, "proxy": bench_proxy, "page": bench_page,
         "soak": bench_soak, "floor": bench_floor, "reload": bench_reload}


def main():
    part = sys.argv[1] if len(sys.argv) > 1 else "all"
    WORK.mkdir(parents=True, exist_ok=True)
    TMPFS.mkdir(parents=True, exist_ok=True)
    if part == "update":
        # Runs the named parts again into the recorded results, e.g. after a fix.
        path = REPO / "Benchmarks" / "results.json"
        fresh = {}
        for name in sys.argv[2:]:
            print(f"== {name}", flush=True)
            fresh[name] = PARTS[name]()
        results = json.loads(path.read_text())  # read after the runs, which can take a while
        results.update(fresh)
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        results.pop("updated", None)
        results.setdefault("parts_run_again", {}).update({name: when for name in sys.argv[2:]})
        path.write_text(json.dumps(results, indent=2) + "\n")
        # BENCH_REPORT=0: results.json only, BENCHMARKS.md left as it is (report.py --print shows the tables).
        if os.environ.get("BENCH_REPORT", "1") != "0":
            sh(sys.executable, str(REPO / "Benchmarks" / "report.py"))
        return
    if part != "all":
        print(json.dumps(PARTS[part](), indent=2))
        return
    results = {"versions": versions(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    for name, run in PARTS.items():
        print(f"== {name}", flush=True)
        results[name] = run()
    (REPO / "Benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    sh(sys.executable, str(REPO / "Benchmarks" / "report.py"))


if __name__ == "__main__":
    main()
