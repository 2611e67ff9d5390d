"""Live reload: from saving a guide to its new text on screen in an open browser.

`build-site --serve` watches content/, rebuilds the page, tells its connect-server to load
the build (SIGHUP), and the server pushes the new generation to the page over server-sent
events; the page reloads. Measured in headless Chromium: the save's wall-clock time against
the reloaded document's DOMContentLoaded, both on this machine's clock.

    python3 Benchmarks/bench.py reload
"""
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 9


def bench_reload(binaries, work):
    sys.path.insert(0, str(REPO / "Tests" / "Browser"))
    from conftest import make_driver, start_dev_server  # noqa: E402
    root = work / "reload"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    process, base = start_dev_server(root, binaries=binaries)
    driver = make_driver()
    guide = root / "content" / "docs" / "sandbox.md"
    original = guide.read_text()
    runs = []
    try:
        driver.get(base + "/docs/sandbox/")
        for run in range(RUNS + 1):
            time.sleep(1)  # the page has loaded and subscribed
            title = f"The sandbox, edit {run}"
            saved = time.time() * 1000
            guide.write_text(original.replace("title: The sandbox", f"title: {title}", 1))
            deadline = time.time() + 10
            while time.time() < deadline:
                shown = driver.execute_script(
                    "const n = performance.getEntriesByType('navigation')[0];"
                    "return [document.querySelector('h1') && document.querySelector('h1').textContent, performance.timeOrigin + (n ? n.domContentLoadedEventEnd : 0)]")
                if shown[0] == title and shown[1] > saved:
                    if run > 0:  # the first edit warms the render cache
                        runs.append(round(shown[1] - saved, 1))
                    break
                time.sleep(0.005)
            else:
                raise RuntimeError(f"edit {run} did not show within 10 s")
    finally:
        driver.quit()
        process.terminate()
        process.wait(timeout=15)
    return {"runs_ms": runs, "median_ms": statistics.median(runs)}
