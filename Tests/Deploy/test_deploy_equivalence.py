"""The generated deploy configs against the real servers: build-site writes deploy/nginx.conf
and deploy/Caddyfile from the manifest and ConnectAPI's policies; this starts connect-server,
Debian's nginx and Caddy over the same public/ and one stub upstream, sends every request of
one corpus to all three, and asserts the same status, security and cache headers, and body.

Where a server cannot match connect-server, the difference is named in NAMED with its reason
(the guide, content/docs/running-connect-server.md, says the same); any other difference fails,
and so does a named one that no longer occurs."""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".build" / "debug"
REQUIREMENT = "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed"
SECURITY = ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options",
            "strict-transport-security"]
COMPARED = SECURITY + ["cache-control", "vary", "content-type", "content-encoding", "www-authenticate",
                       "retry-after", "location", "allow"]

# (server, what differs) -> why. Each entry also has a predicate below, by the same key.
NAMED = {
    ("nginx", "301 body"): "nginx's `return 301` writes its own small HTML body and type; the redirect, "
                           "its Location and its headers are the same",
    ("nginx", "two Authorization headers"): "nginx refuses a request with two Authorization headers while it reads "
                                            "the head, with its own 400 page, before any config applies; "
                                            "connect-server answers 401. Neither calls the upstream",
    ("nginx", "normalised paths"): "nginx merges slashes, resolves `..` and decodes %2F before it looks a path up, "
                                   "so such a path reaches the listed file it names, where connect-server refuses it "
                                   "(400, or 404 for `//`); it never reaches an unlisted file (checked below)",
    ("caddy", "normalised paths"): "Caddy cleans the path as nginx does, with the same effect",
    ("caddy", "304 security headers"): "Caddy 2.6's `header` directive cannot depend on the status, so a 304 "
                                       "repeats the security headers connect-server leaves off (harmless: they "
                                       "are the 200's)",
    ("caddy", "forwards other client headers"): "Caddy 2.6's reverse_proxy cannot drop every client header but a "
                                                "list (`header_up -*` breaks the request), so headers outside the "
                                                "contract's five reach the upstream (Cookie is dropped)",
}

NOT_COMPARED = {
    "etag": "nginx's and Caddy's ETags are the file's mtime and size; connect-server's is 128 bits of its SHA-256 "
            "(each server's own ETag is used for its 304s)",
    "last-modified": "nginx and Caddy send the file's mtime; connect-server sends none (its ETag is strong)",
    "server": "each server names itself (nginx with server_tokens off, Caddy removes it)",
    "x-request-id": "each server makes its own id: connect-server 32 hex digits, nginx $request_id, Caddy a UUID",
    "date, accept-ranges, content-length, connection, keep-alive, transfer-encoding": "framing and clock; the "
            "body is compared byte for byte",
}


def named(server, case, field, mine, theirs):
    """The key of the named difference that explains this one, or None."""
    if server == "nginx" and case.get("status") == 301 and field in ("body", "content-type"):
        return ("nginx", "301 body")
    if case["kind"] == "smuggling":
        return (server, "normalised paths")
    if server == "nginx" and case.get("authorizations", 0) > 1:
        return ("nginx", "two Authorization headers")
    if server == "caddy" and case["kind"] == "304" and field in SECURITY and mine is None:
        return ("caddy", "304 security headers")
    if server == "caddy" and case["kind"] == "proxied" and field == "body":
        mine_json, theirs_json = json.loads(mine), json.loads(theirs)
        extra = theirs_json.pop("x-extra", None)
        if extra is not None and mine_json.get("x-extra") is None and mine_json == theirs_json:
            return ("caddy", "forwards other client headers")
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Echo(BaseHTTPRequestHandler):
    """The stub upstream: answers with what it received of what the contract forwards."""
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        seen = {"method": self.command, "target": self.path, "body": body}
        for name in ("authorization", "content-type", "accept", "x-extra", "cookie"):
            if self.headers.get(name) is not None:
                seen[name] = self.headers.get(name)
        data = json.dumps(seen, sort_keys=True).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "private, max-age=5")
        self.send_header("Content-Security-Policy", "upstream-policy")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


def site_yaml_with(deploy: str, text: str) -> str:
    """site.yaml with its deploy: block replaced."""
    lines, out, skipping = text.splitlines(), [], False
    for line in lines:
        if line.startswith("deploy:"):
            skipping = True
            continue
        if skipping and (line.startswith(" ") or line.startswith("#") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n" + deploy


def wait_for(port, process, name, log):
    deadline = time.time() + 20
    while time.time() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(name + " did not start:\n" + Path(log).read_text())


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "hsts"])
def servers(request, tmp_path_factory):
    hsts = request.param
    tmp = tmp_path_factory.mktemp("deploy")
    ports = {name: free_port() for name in ("connect-server", "nginx", "caddy", "stub")}
    stub = ThreadingHTTPServer(("127.0.0.1", ports["stub"]), Echo)
    threading.Thread(target=stub.serve_forever, daemon=True).start()

    content = tmp / "content"
    shutil.copytree(REPO / "content", content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml_with(
        "deploy:\n"
        f"  root: {tmp / 'public'}\n"
        f"  upstream: http://127.0.0.1:{ports['stub']}\n"
        f"  listen: {ports['nginx']}\n"
        f"  hsts: {'true' if hsts else 'false'}\n", site_yaml.read_text()))
    subprocess.run([str(BIN / "build-site"), "--content", str(content), "--templates", str(REPO / "templates"),
                    "--output", str(tmp / "public")], check=True, capture_output=True)
    deploy = tmp / "deploy"
    # Caddy gets its own port: the one config names one `listen`, so its copy is moved.
    caddyfile = tmp / "Caddyfile"
    caddyfile.write_text((deploy / "Caddyfile").read_text().replace(f":{ports['nginx']} {{", f":{ports['caddy']} {{"))

    (tmp / "nginx" / "temp").mkdir(parents=True)
    wrapper = tmp / "nginx" / "wrapper.conf"
    temps = "".join(f"    {kind}_temp_path {tmp / 'nginx' / 'temp' / kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    wrapper.write_text(
        "user root;\nworker_processes 1;\n"
        f"pid {tmp / 'nginx' / 'nginx.pid'};\n"
        "events { worker_connections 128; }\n"
        "http {\n    access_log off;\n" + temps + f"    include {deploy / 'nginx.conf'};\n}}\n")

    logs = {name: tmp / f"{name}.log" for name in ports}
    env = dict(os.environ, HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "xdg-config"), XDG_DATA_HOME=str(tmp / "xdg-data"))
    commands = {
        "connect-server": [str(BIN / "connect-server"), "--public", str(tmp / "public"), "--port", str(ports["connect-server"]),
                           "--upstream", f"http://127.0.0.1:{ports['stub']}", "--log-level", "warning"]
                          + (["--hsts"] if hsts else []),
        "nginx": ["nginx", "-p", str(tmp / "nginx"), "-c", str(wrapper), "-g", "daemon off; error_log stderr;"],
        "caddy": ["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
    }
    processes = {}
    try:
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=tmp, env=env, stdout=open(logs[name], "w"), stderr=subprocess.STDOUT)
        for name in commands:
            wait_for(ports[name], processes[name], name, logs[name])
        manifest = json.loads((tmp / "public" / ".manifest.json").read_text())
        yield {"hsts": hsts, "ports": ports, "manifest": manifest, "public": tmp / "public", "deploy": deploy, "logs": logs}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        stub.shutdown()


def send(port, method, target, headers=(), body=None):
    """One request on a fresh connection, exactly as written: nothing added but Host."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = b"" if method == "HEAD" else response.read()
        fields = {}
        for name, value in response.getheaders():
            fields.setdefault(name.lower(), []).append(value)
        return response.status, {name: ", ".join(values) for name, values in fields.items()}, data
    finally:
        connection.close()


def corpus(manifest):
    """Every request of the comparison: (kind, method, target, headers, body)."""
    entries = manifest["entries"]
    cases = []
    for entry in entries:
        cases.append(("file", "GET", entry["path"], [], None))
        if entry.get("gzip"):
            cases.append(("gzip", "GET", entry["path"], [("Accept-Encoding", "gzip")], None))
    page = next(e for e in entries if e["path"] == "/docs/running-connect-server/")
    asset = next(e for e in entries if e["immutable"] and e.get("gzip"))
    connect = next(e for e in entries if e["path"] == "/connect/")
    for entry in (page, asset, connect):
        cases.append(("head", "HEAD", entry["path"], [], None))
        cases.append(("head", "HEAD", entry["path"], [("Accept-Encoding", "gzip")], None))
        cases.append(("304", "GET", entry["path"], [], None))
        cases.append(("304", "GET", entry["path"], [("Accept-Encoding", "gzip")], None))
    for target in ("/nope", "/docs/nope/", "/assets/nope.js", "/.manifest.json", "/.gitkeep", "/.env", "/docs/.hidden",
                   "/" + asset["gzip"]["file"], "/" + page["file"], "/docs/running-connect-server/index.md.gz"):
        cases.append(("refused", "GET", target, [("Accept-Encoding", "gzip")], None))
    for target in ("/docs/%6Fverview/", "/docs/overview/?x=1", "/DOCS/overview/", "/docs/Overview/",
                   "/" + asset["path"].upper().lstrip("/")):
        cases.append(("spelling", "GET", target, [], None))
    for target in ("/docs//overview/", "/docs/%2e%2e/", "/docs/../docs/overview/", "/docs/overview/%2F", "/a%00b", "/docs\\overview/"):
        cases.append(("smuggling", "GET", target, [], None))
    cases.append(("refused", "HEAD", "/nope", [], None))
    for target in ("/index.html", "/index.html?x=1", "/docs", "/docs/overview", "/docs/overview/index.html",
                   "/docs/overview?x=1&y=2", "/docs/running-connect-server"):
        cases.append(("redirect", "GET", target, [], None))
    cases.append(("range", "GET", asset["path"], [("Range", "bytes=0-9")], None))
    cases.append(("range", "GET", page["path"], [("Range", "bytes=-5")], None))
    cases.append(("refused", "POST", "/", [], b""))
    cases.append(("refused", "DELETE", "/docs/", [], None))

    bearer = [("Authorization", "Bearer ct_demo"), ("Accept", "application/json"), ("X-Extra", "not forwarded"),
              ("Cookie", "session=secret")]
    json_body = [("Content-Type", "application/json")]
    base = "/v1/connect/requirements"
    cases += [
        ("proxied", "GET", base, bearer, None),
        ("proxied", "GET", base + "?lang=de", bearer, None),
        ("proxied", "GET", base + "/status", bearer, None),
        ("proxied", "POST", f"{base}/{REQUIREMENT}/credentials", bearer + json_body, b'{"api_key":"k"}'),
        ("proxied", "POST", f"{base}/{REQUIREMENT.upper()}/oauth2/authorize", bearer + json_body, b"{}"),
        ("proxied", "POST", f"{base}/{REQUIREMENT}/pipedream/authorize", bearer + json_body, b"{}"),
        ("refused", "GET", "/v1", bearer, None),
        ("refused", "GET", "/v1/", bearer, None),
        ("refused", "GET", "/v1/nope", bearer, None),
        ("refused", "GET", "/v1/connect/tokens", bearer, None),
        ("refused", "POST", base, bearer + json_body, b"{}"),
        ("refused", "GET", f"{base}/{REQUIREMENT}/credentials", bearer, None),
        ("refused", "POST", f"{base}/not-a-uuid/credentials", bearer + json_body, b"{}"),
        ("refused", "GET", base + "/status/", bearer, None),
        ("refused", "GET", base, [], None),
        ("refused", "HEAD", base, bearer, None),
        ("refused", "GET", base, [("Authorization", "Bearer a"), ("Authorization", "Bearer b")], None),
        ("refused", "GET", base, [("Authorization", "Basic dXNlcjpwYXNz")], None),
        ("refused", "GET", base, [("Authorization", "Bearer ")], None),
        ("refused", "GET", base + "/status", [("Authorization", "bearer")], None),
        ("refused", "POST", f"{base}/{REQUIREMENT}/credentials", bearer + json_body, b"x" * (64 * 1024 + 1)),
    ]
    return cases


def answers(port, cases):
    results = []
    for kind, method, target, headers, body in cases:
        if kind == "304":
            _, first, _ = send(port, method, target, headers)
            headers = headers + [("If-None-Match", first["etag"])]
        results.append(send(port, method, target, headers, body))
    return results


def test_the_three_servers_answer_alike(servers):
    started = time.time()
    cases = corpus(servers["manifest"])
    ports = servers["ports"]
    reference = answers(ports["connect-server"], cases)
    differences, seen = [], set()
    for server in ("nginx", "caddy"):
        for (kind, method, target, headers, _), mine, theirs in zip(cases, reference, answers(ports[server], cases)):
            case = {"kind": kind, "status": mine[0],
                    "authorizations": sum(1 for name, _ in headers if name == "Authorization")}
            fields = [("status", mine[0], theirs[0])]
            fields += [(name, mine[1].get(name), theirs[1].get(name)) for name in COMPARED]
            fields.append(("body", mine[2], theirs[2]))
            for field, expected, got in fields:
                if expected == got:
                    continue
                key = named(server, case, field, expected, got)
                if key:
                    seen.add(key)
                else:
                    differences.append(f"{server}: {method} {target} {dict(headers)}: {field}: "
                                       f"connect-server {expected!r:.300}, {server} {got!r:.300}")
    assert not differences, "\n".join(differences)
    # A normalised path may reach a listed file, never anything else.
    public = servers["public"]
    listed = {(public / e["file"]).read_bytes() for e in servers["manifest"]["entries"]}
    for server in ("nginx", "caddy"):
        for case, answer in zip(cases, answers(ports[server], cases)):
            if case[0] == "smuggling" and answer[0] == 200:
                assert answer[2] in listed, f"{server} served an unlisted body for {case[2]}"
    stale = set(NAMED) - seen
    assert not stale, f"named differences that no longer occur (remove them here and in the guide): {stale}"
    assert reference[0][0] == 200
    assert ("strict-transport-security" in reference[0][1]) == servers["hsts"]
    assert time.time() - started < 30


def test_the_corpus_covers_what_the_issue_lists(servers):
    kinds = {case[0] for case in corpus(servers["manifest"])}
    assert kinds >= {"file", "gzip", "304", "refused", "redirect", "proxied", "head", "range"}


def test_the_upstream_sees_only_what_connect_server_forwards(servers):
    status, headers, body = send(servers["ports"]["nginx"], "GET", "/v1/connect/requirements?lang=de",
                                 [("Authorization", "Bearer t"), ("Cookie", "a=b"), ("X-Extra", "x")])
    assert status == 200
    assert json.loads(body) == {"method": "GET", "target": "/v1/connect/requirements?lang=de", "body": "",
                                "authorization": "Bearer t"}
    assert headers["content-security-policy"] != "upstream-policy"
