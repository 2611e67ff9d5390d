#!/usr/bin/env python3
"""Rewrites the tables of BENCHMARKS.md from Benchmarks/results.json (what bench.py wrote).
The prose around the tables is kept: only the text between the results markers changes."""
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START, END = "<!-- results:start -->", "<!-- results:end -->"


def ok(flag):
    return "met" if flag else "**missed**"


def tables(r):
    again = "; ".join(f"{part} {when}" for part, when in sorted(r.get("parts_run_again", {}).items()))
    out = [f"Run {r['date']} on {r['versions']['machine']}" + (f"; parts run again since: {again}" if again else "") + ".", ""]
    out += ["| tool | version |", "|---|---|"] + [f"| {k} | {v} |" for k, v in r["versions"].items() if k != "machine"] + [""]

    out += ["### 1. Full build (hyperfine, mean of the runs)", "",
            "| file system | corpus | pages | build-site pages/s | Hugo pages/s | ratio (target ≥ 3×) | build-site peak MiB | Hugo peak MiB |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in r["build"]:
        ours, hugo = row["build-site"], row["hugo"]
        out.append(f"| {row['fs']} | {row['shape']} | {row['pages']} | {ours['pages_per_s']:.0f} | {hugo['pages_per_s']:.0f} | "
                   f"{row['ratio']:.2f}× | {ours['peak_mib']:.0f} | {hugo['peak_mib']:.0f} |")
    cold = [row for row in r["build"] if "cold" in row]
    if cold:
        out += ["", "Each run above builds into the previous run's output, as a rebuild does; build-site then links the "
                "files whose bytes are already there. Into an empty folder each time (hyperfine `--prepare`), so that "
                "build-site writes every file:", "",
                "| file system | corpus | pages | build-site s | Hugo s | ratio |", "|---|---|---:|---:|---:|---:|"]
        for row in cold:
            c = row["cold"]
            out.append(f"| {row['fs']} | {row['shape']} | {row['pages']} | {c['build-site_s']:.3f} | {c['hugo_s']:.3f} | {c['ratio']:.2f}× |")
    inc = r["incremental"]
    out += ["", "### 2. Incremental rebuild (build-site --watch, one page of the corpus saved)", "",
            f"{inc['pages']} pages: median {inc['median_ms']:.0f} ms from saving to the page's new HTML and a manifest "
            f"listing it in place (runs: {', '.join(f'{t:.0f}' for t in inc['ms'])} ms; target < 50 ms: {ok(inc['median_ms'] < 50)})."]
    if inc.get("whole_site_median_ms") is not None:
        out += ["", f"The files made from every page (search index, `llms-full.txt`) follow: median "
                f"{inc['whole_site_median_ms']:.0f} ms into the update, by build-site's own clock "
                f"(runs: {', '.join(f'{t:.0f}' for t in inc['whole_site_ms'])} ms)."]
    out += [""]

    serve = r["serve"]
    rounds = len(next(iter(serve["servers"].values())).get("rounds", [None]))
    out += [f"### 3. Static serving (wrk, 2 threads, 50 connections, 10 s; the servers take turns, median of {rounds} rounds)", "",
            f"(a) a {serve['asset_bytes']} B hashed asset; (b) a {serve['page_bytes']} B page with `Accept-Encoding: gzip` "
            f"({serve['page_gzip_bytes']} B gzipped); (c) the same page revalidated with `If-None-Match`, answered 304.", "",
            "| server | (a) req/s | p50 | p99 | (b) req/s | p50 | p99 | (c) req/s | p50 | p99 | peak MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in serve["servers"].items():
        cells = [f"{s[k]['rps']:.0f} | {s[k]['p50_ms']:.2f} ms | {s[k]['p99_ms']:.2f} ms" for k in ("asset", "page_gzip", "revalidate_304")]
        out.append(f"| {name} | " + " | ".join(cells) + f" | {s['peak_mib']:.0f} |")
    servers = serve["servers"]
    out += ["", "| ratio of connect-server to | (a) | (b) | (c) |", "|---|---:|---:|---:|"]
    for peer, target in (("nginx", 1), ("caddy", 2)):
        ratios = [servers["connect-server"][k]["rps"] / servers[peer][k]["rps"] for k in ("asset", "page_gzip", "revalidate_304")]
        out.append(f"| {peer} (target ≥ {target}×) | " + " | ".join(f"{x:.2f}× {'' if x >= target else '(missed)'}" for x in ratios) + " |")

    proxy = r["proxy"]
    out += ["", "### 4. Proxy of `GET /v1/connect/requirements/status` to a fast local upstream (nginx `return 200`)", "",
            "| path | load req/s | load p50 | load p99 | one connection req/s | p50 | p99 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name in ("direct", "nginx", "connect-server"):
        load, one = proxy["load"][name], proxy["one_connection"][name]
        out.append(f"| {name} | {load['rps']:.0f} | {load['p50_ms']:.2f} ms | {load['p99_ms']:.2f} ms | "
                   f"{one['rps']:.0f} | {one['p50_ms']:.3f} ms | {one['p99_ms']:.3f} ms |")
    one = proxy["one_connection"]
    added = {n: (one[n]["p50_ms"] - one["direct"]["p50_ms"], one[n]["p99_ms"] - one["direct"]["p99_ms"]) for n in ("nginx", "connect-server")}
    out += ["", f"Latency added on one connection: nginx {added['nginx'][0]:.3f} ms (p50) / {added['nginx'][1]:.3f} ms (p99); "
            f"connect-server {added['connect-server'][0]:.3f} ms / {added['connect-server'][1]:.3f} ms. "
            f"Throughput under load, connect-server to nginx: {proxy['load']['connect-server']['rps'] / proxy['load']['nginx']['rps']:.2f}×.", ""]

    page = r["page"]
    out += ["### 5. The connect page", ""]
    runs = lambda language: ", ".join(f"{r['round_trips']:.2f}" for r in language["runs"])
    if "cold" in page:
        en, de = page["cold"]["en"], page["cold"]["de"]
        wire = en["first_flight_bytes"] / 1024
        out += [f"Everything the first paint needs is in the first response: {page['gzip_kib']} KiB by build-site's count "
                f"(gzipped HTML plus 1 KiB for headers), {wire:.1f} KiB on the wire as Chromium counts it (target ≤ 14: {ok(wire <= 14)}).", "",
                f"Cold, in headless Chromium at an emulated {page['rtt_ms']} ms round trip, from navigation start to the first "
                f"requirement title: **{en['median_round_trips']:.2f} round trips** in English (target ≤ 3.2: "
                f"{ok(en['median_round_trips'] <= 3.2)}; runs {runs(en)}), "
                f"{de['median_round_trips']:.2f} in German, whose words come in a file fetched beside the status call "
                f"(runs {runs(de)}). The chain: the page, then the status call, which a script in the page's head starts "
                "before the rest is parsed; the remainder is this machine's main thread parsing, running and laying out.", ""]
    if "embed_gzip_bytes" in page:
        out += [f"`connect-embed.js`, the script an App loads to open the page in a popup or a modal: {page['embed_gzip_bytes']} B gzipped "
                f"(budget 2 KiB: {ok(page['embed_gzip_bytes'] <= 2048)}; `make test` holds the build to it).", ""]
    out += [f"On this machine, no emulated latency: checklist rendered {page['median_ms']:.0f} ms after navigation start, median of {len(page['rendered_ms'])} "
            f"(target ≤ 150 ms: {ok(page['median_ms'] <= 150)}; runs: {', '.join(f'{t:.0f}' for t in page['rendered_ms'])} ms)."]
    soak = r.get("soak")
    if soak:
        climb = soak["end_mib"] - soak["after_warmup_mib"]
        out += ["", f"### 6. Soak: static and proxied calls mixed for {soak['seconds'] // 60} minutes (wrk -t2 -c50)", "",
                f"{soak['requests']:,} requests. connect-server's RSS: {soak['idle_mib']:.1f} MiB idle, "
                f"{soak['after_warmup_mib']:.1f} MiB after the first minute, {soak['end_mib']:.1f} MiB at the end, "
                f"{soak['max_mib']:.1f} MiB at most (flat, within 5 MiB after warm-up: {ok(abs(climb) <= 5)}).", "",
                "| second | " + " | ".join(str(s["second"]) for s in soak["samples"][::3]) + " |",
                "|---|" + "---:|" * len(soak["samples"][::3]),
                "| RSS MiB | " + " | ".join(f"{s['rss_mib']:.1f}" for s in soak["samples"][::3]) + " |"]
    floor = r.get("floor")
    if floor:
        out += ["", floor_table(floor)]
    reload = r.get("reload")
    if reload:
        out += ["", "### 8. Live reload (build-site --serve, a guide saved, headless Chromium)", "",
                f"From saving `content/docs/sandbox.md` to the reloaded page's DOMContentLoaded with the new title, pushed "
                f"over server-sent events: median **{reload['median_ms']:.0f} ms** of {len(reload['runs_ms'])} edits "
                f"(runs: {', '.join(f'{v:.0f}' for v in reload['runs_ms'])} ms). The chain: the watcher sees the save, "
                "build-site rewrites the page, sends its connect-server SIGHUP, which loads the build and pushes the new "
                "generation to the page, which reloads."]
    return "\n".join(out)


def floor_table(floor):
    """Section 7: the proxy floor, from bench.py's `floor` part."""
    names = [n for n in ("direct", "nginx", "relay.c", "NIORelay --raw", "NIORelay", "connect-server") if n in floor["load"]]
    label = {"direct": "direct (no proxy)", "relay.c": "relay.c (C, epoll)", "NIORelay --raw": "NIORelay --raw (NIO, own head scan)",
             "NIORelay": "NIORelay (NIO, NIOHTTP1 decoders)"}
    out = [f"### 7. Proxy floor: the call of section 4 through the least a proxy can do (wrk, median of {floor['rounds']} rounds)", "",
           "The same upstream (its own nginx, `return 200`) behind each proxy, taking turns. `relay.c` and `NIORelay` "
           "(`Benchmarks/floor/`) forward the client's header block with only `Host` rewritten and `X-Forwarded-For` added, "
           "and the answer's bytes unchanged, over kept-alive upstream connections, one event loop per core; no policy, "
           "no logs, no limits. CPU is the proxy's own (utime + stime from /proc) per request; the ratios are req/s to nginx's.", "",
           "| path | load req/s | p50 | p99 | CPU µs/req | to nginx | one connection req/s | p50 | p99 | CPU µs/req | to nginx |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in names:
        cells = []
        for test in ("load", "one_connection"):
            m, ref = floor[test][name], floor[test]["nginx"]
            cpu = "" if name == "direct" else f"{m['cpu_us_per_request']:.1f}"
            ratio = "" if name == "direct" else f"{m['rps'] / ref['rps']:.2f}×"
            cells.append(f"{m['rps']:.0f} | {m['p50_ms']:.3f} ms | {m['p99_ms']:.3f} ms | {cpu} | {ratio}")
        out.append(f"| {label.get(name, name)} | " + " | ".join(cells) + " |")
    up = floor["load"]["direct"]["cpu_us_per_request"]
    ours, c = floor["load"]["connect-server"], floor["load"]["relay.c"]
    out += ["", f"The upstream itself spends {up:.1f} µs per request under load. connect-server spends "
            f"{ours['cpu_us_per_request'] / c['cpu_us_per_request']:.1f}× the C floor's CPU per call, and reaches "
            f"{ours['rps'] / c['rps']:.2f}× its throughput" +
            (f"; NIO with NIO's decoders reaches {floor['load']['NIORelay']['rps'] / c['rps']:.2f}× it." if "NIORelay" in floor["load"] else ".")]
    return "\n".join(out)


def main():
    results = json.loads((REPO / "Benchmarks" / "results.json").read_text())
    if "--print" in sys.argv:  # the tables on stdout; BENCHMARKS.md untouched
        print(tables(results))
        return
    path = REPO / "BENCHMARKS.md"
    text = path.read_text()
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    path.write_text(before + START + "\n" + tables(results) + "\n" + END + after)


if __name__ == "__main__":
    main()
