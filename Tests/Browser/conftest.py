"""Browser tests of the hosted connect page: a real connect-server with the embedded
sandbox on free ports, and Debian's headless chromium driven by selenium."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".build" / "debug"
ACCESS_KEY = "dynamiq_acc_SandboxDemoKeyForLocalUseOnly00000000000000000000000000000000000"
PRIVATE_HOST = "4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai"
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", REPO / "Tests" / "Browser" / "screenshots"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_alive(base, timeout=30):
    """Waits until a connect-server answers /healthz/live; False if it never did."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz/live", timeout=1)
            return True
        except OSError:
            time.sleep(0.1)
    return False


def start_dev_server(root, binaries=BIN, log=subprocess.DEVNULL):
    """`build-site --serve` over copies of content/ and templates/ in `root`, once it answers:
    (the process, its base URL)."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    port = free_port()
    process = subprocess.Popen([str(binaries / "build-site"), "--serve", "--port", str(port), "--content", str(root / "content"),
                                "--templates", str(root / "templates"), "--output", str(root / "public")],
                               cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_alive(base, timeout=60)
    return process, base


class Site:
    """connect-server serving a freshly built public/, with the sandbox (or an upstream)."""

    def __init__(self, tmp: Path, content: Path = REPO / "content", upstream: str | None = None,
                 sandbox_content: Path | None = None, sandbox_dir: Path | None = None, extra: tuple = ()):
        self.tmp = tmp
        self.port = free_port()
        self.sandbox_port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.app = f"http://127.0.0.1:{self.sandbox_port}/apps/{PRIVATE_HOST}"
        # Standard error is the log; standard output is the start banner, which shows a
        # demo token on purpose and is kept apart.
        self.log = tmp / "server.log"
        self.banner = tmp / "banner.txt"
        # The Apps' return origins name the demo App at the sandbox's port (8081 in make serve).
        self.demo = f"http://127.0.0.1:{self.sandbox_port}/demo/"
        content = self.with_ports(content, tmp / "content-run")
        sandbox_content = self.with_ports(sandbox_content, tmp / "sandbox-content-run") if sandbox_content else None
        subprocess.run([str(BIN / "build-site"), "--content", str(content), "--output", str(tmp / "public")],
                       cwd=REPO, check=True, capture_output=True)
        command = [str(BIN / "connect-server"), "--port", str(self.port), "--public", str(tmp / "public"),
                   "--rate-limit", "0", "--log-level", "info", *extra]
        if upstream:
            command += ["--upstream", upstream]
        else:
            command += ["--sandbox-port", str(self.sandbox_port), "--sandbox-dir", str(sandbox_dir or tmp / "sandbox"),
                        "--content", str(sandbox_content or content)]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=open(self.banner, "w"), stderr=open(self.log, "w"))
        if wait_alive(self.base, timeout=20):
            return
        self.stop()
        raise RuntimeError("connect-server did not start:\n" + self.log.read_text() + self.banner.read_text())

    def with_ports(self, content: Path, copy: Path) -> Path:
        shutil.copytree(content, copy)
        apps = copy / "sandbox.yaml"
        apps.write_text(apps.read_text().replace("127.0.0.1:8081", f"127.0.0.1:{self.sandbox_port}")
                        .replace("localhost:8081", f"localhost:{self.sandbox_port}"))
        return copy

    def token(self, user="customer-7421", host=PRIVATE_HOST, **extra):
        body = json.dumps({"user_id": user, **extra}).encode()
        app = f"http://127.0.0.1:{self.sandbox_port}/apps/{host}"
        request = urllib.request.Request(app + "/v1/connect/tokens", data=body, method="POST", headers={
            "Authorization": "Bearer " + ACCESS_KEY, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    def statuses(self, token):
        request = urllib.request.Request(self.base + "/v1/connect/requirements/status",
                                         headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request, timeout=5) as response:
            return {item["title"]: item["status"] for item in json.load(response)["data"]}

    def connect_url(self, token, query=""):
        return f"{self.base}/connect/{query}#token={token}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = Site(tmp_path_factory.mktemp("site"))
    yield running
    running.stop()


def make_driver(width=1280, height=900, language="en-US", dark=False, javascript=True):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={width},{height}", f"--lang={language}"):
        options.add_argument(flag)
    prefs = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    if width < 500:
        # Chromium's windows do not get narrower than about 500 px: emulate a phone's viewport.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    if dark:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


def console_errors(driver):
    """Errors the page logged, except the failed requests a test provoked on purpose."""
    return [entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "status of 4" not in entry["message"] and "status of 5" not in entry["message"]]


class Stub:
    """A local HTTP server answering every GET with one body, and remembering each
    request's headers: a stand-in upstream, or a page on a foreign origin."""

    def __init__(self, body: str, content_type: str):
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(dict(self.headers))
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
