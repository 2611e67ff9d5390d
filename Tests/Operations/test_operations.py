"""connect-server as an operator runs it: the real executable, its metrics listener
scraped and checked by Prometheus' own promtool, its JSON log read back line by line, and
SIGHUP. Run by `make test` after the Swift build."""
import hashlib
import json
import re
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".build" / "debug"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXVzZXI.SIGNATURE-7421"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "public"
    subprocess.run([str(BIN / "build-site"), "--output", str(out)], cwd=REPO, check=True, capture_output=True)
    return out


class Server:
    def __init__(self, tmp, public, *extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "stderr.log"
        self.banner = tmp / "stdout.log"
        command = [str(BIN / "connect-server"), "--port", str(self.port), "--public", str(public),
                   "--sandbox-port", str(free_port()), "--sandbox-dir", str(tmp / "sandbox"), "--rate-limit", "0", *extra]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=open(self.banner, "w"), stderr=open(self.log, "w"))
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz/live", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("connect-server did not start:\n" + self.log.read_text())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)


def test_metrics_are_on_their_own_loopback_listener_and_pass_promtool(tmp_path, public):
    metrics_port = free_port()
    server = Server(tmp_path, public, "--metrics-port", str(metrics_port))
    try:
        assert get(server.base + "/")[0] == 200
        assert get(server.base + "/no-such-page")[0] == 404
        assert get(server.base + "/v1/connect/requirements")[0] == 401
        assert get(server.base + "/v1/connect/requirements", {"Authorization": "Bearer " + TOKEN})[0] == 401
        # The numbers are not on the public port.
        assert get(server.base + "/metrics")[0] == 404
        status, headers, body = get(f"http://127.0.0.1:{metrics_port}/metrics")
        assert status == 200
        assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = body.decode()
        assert 'connect_requests_total{route="static",status="200"} 1' in text
        # /no-such-page and /metrics on the public port.
        assert 'connect_requests_total{route="static",status="404"} 2' in text
        assert 'connect_requests_total{route="refused",status="401"} 1' in text
        # The sandbox refuses the token: a whole answer, so the upstream call is ok.
        assert 'connect_requests_total{route="list_requirements",status="401"} 1' in text
        assert 'connect_upstream_calls_total{outcome="ok"} 1' in text
        assert "connect_ready 1" in text
        assert "SIGNATURE" not in text and "no-such-page" not in text
        assert f"metrics at http://127.0.0.1:{metrics_port}/metrics" in server.banner.read_text()
        lint = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True)
        assert lint.returncode == 0, lint.stdout.decode() + lint.stderr.decode()
        assert lint.stdout.decode().strip() == "" and lint.stderr.decode().strip() == ""
    finally:
        server.stop()


def test_json_log_is_one_object_a_line_with_the_same_redaction(tmp_path, public):
    server = Server(tmp_path, public, "--log-format", "json", "--log-level", "info")
    try:
        get(server.base + f"/connect/?token={TOKEN}&lang=de", {"X-Request-Id": "req-7", "Authorization": "Bearer " + TOKEN})
        get(server.base + "/v1/connect/requirements/status", {"Authorization": "Bearer " + TOKEN})
    finally:
        server.stop()
    text = server.log.read_text()
    assert TOKEN not in text and "SIGNATURE" not in text and "Bearer" not in text
    lines = [line for line in text.split("\n") if line]
    objects = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "message"} <= set(o) for o in objects)
    requests = [o for o in objects if o["message"] == "request"]
    page = next(o for o in requests if o["target"].startswith("/connect/"))
    assert page["target"] == "/connect/?token=REDACTED&lang=de"
    assert page["request_id"] == "req-7"
    assert page["status"] == 200 and page["route"] == "static" and page["client"] == "127.0.0.1"
    assert isinstance(page["bytes"], int) and isinstance(page["duration_ms"], float)
    proxied = next(o for o in requests if o["target"].startswith("/v1/"))
    assert proxied["route"] == "requirement_statuses" and proxied["status"] == 401
    assert isinstance(proxied["upstream_ms"], float)


def test_sighup_reloads_the_manifest_and_keeps_serving(tmp_path, public):
    site = tmp_path / "public"
    shutil.copytree(public, site)
    server = Server(tmp_path, site, "--log-level", "info")
    try:
        manifest = json.loads((site / ".manifest.json").read_text())
        robots = next(e for e in manifest["entries"] if e["path"] == "/robots.txt")
        before = get(server.base + "/robots.txt")[2]
        changed = b"User-agent: *\nDisallow: /private/\n"
        (site / "robots.txt").write_bytes(changed)
        robots["size"] = len(changed)
        robots["sha256"] = hashlib.sha256(changed).hexdigest()
        (site / ".manifest.json").write_text(json.dumps(manifest))
        server.process.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        while time.time() < deadline and "SIGHUP: reloading the manifest" not in server.log.read_text():
            time.sleep(0.05)
        assert "SIGHUP: reloading the manifest" in server.log.read_text()
        assert server.process.poll() is None, "SIGHUP must not stop the server"
        while time.time() < deadline and get(server.base + "/robots.txt")[2] != changed:
            time.sleep(0.02)
        assert get(server.base + "/robots.txt")[2] == changed != before
        # A broken manifest: the old site stays, and the replica says it is not ready.
        (site / ".manifest.json").write_text("{broken")
        server.process.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        while time.time() < deadline and get(server.base + "/healthz")[0] != 503:
            time.sleep(0.05)
        status, _, body = get(server.base + "/healthz")
        assert status == 503 and json.loads(body)["alive"] is True
        assert get(server.base + "/healthz/live")[0] == 200
        assert get(server.base + "/robots.txt")[2] == changed
    finally:
        server.stop()
    assert server.process.returncode == 0


def guide_blocks(language):
    """The fenced blocks of one language in the operators' guide."""
    text = (REPO / "content" / "docs" / "running-connect-server.md").read_text()
    blocks, inside, current = [], False, []
    for line in text.split("\n"):
        if not inside and line.strip() == "```" + language:
            inside, current = True, []
        elif inside and line.strip() == "```":
            inside = False
            blocks.append("\n".join(current) + "\n")
        elif inside:
            current.append(line)
    return blocks


def test_the_guides_prometheus_config_and_alerts_are_valid_and_name_real_metrics(tmp_path, public):
    blocks = guide_blocks("yaml")
    scrape = next(b for b in blocks if "scrape_configs:" in b)
    rules = next(b for b in blocks if "groups:" in b)
    (tmp_path / "rules.yml").write_text(rules)
    (tmp_path / "prometheus.yml").write_text(scrape + "rule_files: [rules.yml]\n")
    for command in (["promtool", "check", "config", str(tmp_path / "prometheus.yml")],
                    ["promtool", "check", "rules", str(tmp_path / "rules.yml")]):
        checked = subprocess.run(command, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    metrics_port = free_port()
    server = Server(tmp_path, public, "--metrics-port", str(metrics_port))
    try:
        text = get(f"http://127.0.0.1:{metrics_port}/metrics")[2].decode()
    finally:
        server.stop()

    for name in set(re.findall(r"\b(connect_[a-z_]+)", rules)):
        assert f"# TYPE {name} " in text, name
