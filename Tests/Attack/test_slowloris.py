"""connect-server under a slow-header and a never-reading attack, over real sockets.

500 connections each send one byte of a request head a second (slowloris), and one client
pipelines requests and never reads an answer. Meanwhile a normal client must still get
its page within 100 ms, the server's resident memory must stay within 20 MB of what it
was idle, and the header timeout must end the slow connections.
"""
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".build" / "debug"
SLOW_CONNECTIONS = 500
HEADER_TIMEOUT = 6


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def fetch_ms(base, path="/"):
    started = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=5) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def test_a_normal_client_is_served_through_slowloris_and_a_client_that_never_reads(tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    subprocess.run([str(BIN / "build-site"), "--output", str(tmp_path / "public")], cwd=REPO, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "connect-server"), "--port", str(port), "--public", str(tmp_path / "public"),
                               "--upstream", "http://127.0.0.1:9", "--header-timeout", str(HEADER_TIMEOUT),
                               "--log-level", "warning"], cwd=REPO, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    slow, stop = [], threading.Event()
    try:
        deadline = time.time() + 20
        while True:
            try:
                fetch_ms(base)
                break
            except OSError:
                assert time.time() < deadline, "connect-server did not start"
                time.sleep(0.1)
        for _ in range(50):
            fetch_ms(base)
        idle = rss_mib(server.pid)

        for _ in range(SLOW_CONNECTIONS):
            s = socket.create_connection(("127.0.0.1", port))
            s.setblocking(False)
            slow.append(s)
        head = b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + b"x" * 100

        def drip():
            # One byte a second on every slow connection, until told to stop.
            for index in range(len(head)):
                if stop.wait(1):
                    return
                for s in slow:
                    try:
                        s.send(head[index:index + 1])
                    except OSError:
                        pass

        dripper = threading.Thread(target=drip, daemon=True)
        dripper.start()

        greedy = socket.create_connection(("127.0.0.1", port))
        greedy.setblocking(False)
        pipelined = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n" * 200_000

        def flood():
            sent = 0
            while not stop.is_set() and sent < len(pipelined):
                try:
                    sent += greedy.send(pipelined[sent:sent + 65536])
                except BlockingIOError:
                    time.sleep(0.01)
                except OSError:
                    return

        flooder = threading.Thread(target=flood, daemon=True)
        flooder.start()

        # The server accepts and sets up the 500 connections first (a debug build takes a
        # moment); the measurement is of the attack under way.
        time.sleep(1)
        times, peak = [], idle
        attack_end = time.time() + HEADER_TIMEOUT - 2.5
        while time.time() < attack_end:
            times.append(fetch_ms(base))
            peak = max(peak, rss_mib(server.pid))
            time.sleep(0.2)
        times.sort()
        print(f"normal client: median {times[len(times) // 2]:.1f} ms, worst {times[-1]:.1f} ms; RSS idle {idle:.1f} MiB, peak {peak:.1f} MiB",
              file=sys.stderr)
        assert times[-1] < 100, f"a page took {times[-1]:.0f} ms during the attack"
        assert peak - idle < 20, f"RSS grew from {idle:.1f} to {peak:.1f} MiB"

        # Past the header timeout, the server has ended every slow connection.
        time.sleep(3)
        ended = 0
        for s in slow:
            try:
                data = s.recv(4096)
                ended += data == b"" or b"408" in data
            except BlockingIOError:
                pass
            except OSError:
                ended += 1
        assert ended >= SLOW_CONNECTIONS * 0.98, f"only {ended} of {SLOW_CONNECTIONS} slow connections were closed"
    finally:
        stop.set()
        for s in slow:
            s.close()
        server.terminate()
        server.wait(timeout=15)
