"""The docs as a reader uses them: search, sample tabs, copy, the theme toggle, try-it,
no console error and no axe violation on any page, and each page's weight."""
import gzip
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from selenium_axe_python import Axe

from conftest import ACCESS_KEY, PRIVATE_HOST, Site, console_errors, free_port, make_driver


def pages(site):
    manifest = json.loads((site.tmp / "public" / ".manifest.json").read_text())
    return [e for e in manifest["entries"] if e["mediaType"].startswith("text/html") and e["path"] != "/connect/"]


@pytest.mark.parametrize("query, first", [
    ("connect token", "Create a connect token"),
    ("oauth", "Start an OAuth2 authorization"),
    ("statuses", "Get requirement statuses"),
    ("credentails", "Submit credentials"),
    ("sandb", "The sandbox"),
])
def test_search_ranks_the_best_page_first(site, browser, query, first):
    browser.get(site.base + "/docs/overview/")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    field = WebDriverWait(browser, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".search-dialog input")))
    field.send_keys(query)
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".search-results a"))
    results = browser.find_elements(By.CSS_SELECTOR, ".search-results a")
    assert results[0].text.split("\n")[0] == first
    # The keyboard drives it: down, up, Enter opens the first hit.
    field.send_keys("\ue015")  # ArrowDown
    field.send_keys("\ue013")  # ArrowUp
    field.send_keys("\ue007")  # Enter
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == first)


def test_ctrl_k_opens_search_and_escape_closes_it(site, browser):
    browser.get(site.base + "/api/")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
    dialog = WebDriverWait(browser, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".search-dialog")))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(browser, 5).until(lambda d: not dialog.is_displayed())


def test_sample_tabs_remember_the_readers_language_across_pages(site, browser):
    browser.get(site.base + "/api/createConnectToken/")
    tabs = browser.find_elements(By.CSS_SELECTOR, "[data-samples] [role=tab]")
    assert [t.text for t in tabs] == ["curl", "Python", "JavaScript", "Swift"]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", tabs[1])
    tabs[1].click()
    assert browser.find_element(By.ID, "sample-python").is_displayed()
    assert not browser.find_element(By.ID, "sample-curl").is_displayed()
    browser.get(site.base + "/api/listConnectRequirements/")
    assert browser.find_element(By.ID, "sample-python").is_displayed()
    assert "requests.get(" in browser.find_element(By.ID, "sample-python").text


def test_every_code_block_has_a_copy_button_that_copies_the_code(site, browser):
    browser.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": site.base})
    browser.get(site.base + "/docs/connect-tokens/")
    blocks = browser.find_elements(By.CSS_SELECTOR, "pre")
    buttons = browser.find_elements(By.CSS_SELECTOR, ".code-wrap > button.copy")
    assert blocks and len(buttons) == len(blocks)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", buttons[0])
    buttons[0].click()
    WebDriverWait(browser, 5).until(lambda d: buttons[0].text == "Copied")
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0])")
    assert copied == blocks[0].text


def test_the_theme_toggle_is_remembered(site, browser):
    browser.get(site.base + "/docs/overview/")
    toggle = browser.find_element(By.CSS_SELECTOR, ".theme-toggle")
    before = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    toggle.click()
    after = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert before != after
    chosen = browser.execute_script("return document.documentElement.dataset.theme")
    browser.get(site.base + "/api/")
    assert browser.execute_script("return document.documentElement.dataset.theme") == chosen
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == after


def test_try_it_with_a_demo_token_gets_200_from_the_sandbox(site, browser):
    browser.get(site.base + "/api/getConnectRequirementStatuses/")
    section = browser.find_element(By.CSS_SELECTOR, "[data-try-it]")
    demo = WebDriverWait(browser, 5).until(lambda d: section.find_element(By.CSS_SELECTOR, "[data-demo-token]") if section.find_element(By.CSS_SELECTOR, "[data-demo-token]").is_displayed() else None)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", demo)
    demo.click()
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "try-token").get_attribute("value"))
    send = section.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", send)
    send.click()
    status = WebDriverWait(browser, 10).until(lambda d: section.find_element(By.CSS_SELECTOR, ".try-it-status").text or None)
    assert status.startswith("200")
    body = json.loads(section.find_element(By.CSS_SELECTOR, ".try-it-body").text)
    assert [item["status"] for item in body["data"]] == ["pending", "pending", "pending"]


def test_no_page_logs_a_console_error_or_has_an_axe_violation(site):
    for dark in (False, True):
        driver = make_driver(dark=dark)
        try:
            for entry in pages(site):
                driver.get(site.base + entry["path"])
                axe = Axe(driver)
                axe.inject()
                found = [f"{v['id']}: {[n['target'][0] for n in v['nodes']]}" for v in axe.run()["violations"]]
                assert found == [], f"{entry['path']} ({'dark' if dark else 'light'})"
                assert console_errors(driver) == [], entry["path"]
        finally:
            driver.quit()


def test_every_page_reads_without_javascript(site):
    driver = make_driver()
    try:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        driver.get(site.base + "/api/createConnectToken/")
        text = driver.find_element(By.TAG_NAME, "main").text
        for expected in ("Create a connect token", "Request Body", "user_id", "Python", "curl -X POST", "customer-7421"):
            assert expected in text
    finally:
        driver.quit()


def test_no_docs_page_loads_more_than_30_kib_gzipped(site):
    public = site.tmp / "public"
    manifest = {e["path"]: e for e in json.loads((public / ".manifest.json").read_text())["entries"]}
    for entry in pages(site):
        html = (public / entry["file"]).read_text()
        total = len(gzip.compress(html.encode(), 9))
        for ref in re.findall(r'(?:href|src)="(/assets/[^"]+\.(?:css|js))"', html):
            total += len(gzip.compress((public / manifest[ref]["file"]).read_bytes(), 9))
        assert total <= 30 * 1024, f"{entry['path']} loads {total} bytes gzipped"


def test_live_reload_after_editing_a_content_file(tmp_path):
    """build-site --serve rebuilds on a change and open pages reload by themselves."""
    from conftest import start_dev_server
    process, base = start_dev_server(tmp_path, log=open(tmp_path / "serve.log", "w"))
    driver = make_driver()
    try:
        driver.get(base + "/docs/sandbox/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "The sandbox"
        time.sleep(0.5)  # the page has asked for the site's version once
        guide = tmp_path / "content" / "docs" / "sandbox.md"
        guide.write_text(guide.read_text().replace("title: The sandbox", "title: The local sandbox", 1))
        edited = time.time()
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "The local sandbox")
        assert time.time() - edited < 5, "the page took too long to reload"
        assert console_errors(driver) == []
    finally:
        driver.quit()
        process.terminate()
        process.wait(timeout=15)
    assert process.returncode == 0
    assert "Built" in (tmp_path / "serve.log").read_text()


def _send(browser, section):
    send = section.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", send)
    send.click()
    status = WebDriverWait(browser, 10).until(lambda d: section.find_element(By.CSS_SELECTOR, ".try-it-status").text or None)
    headers = section.find_element(By.CSS_SELECTOR, ".try-it-headers").text
    body = section.find_element(By.CSS_SELECTOR, ".try-it-body").text
    return status, headers, body


def _fill(browser, element, text):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.clear()
    element.send_keys(text)


def test_try_it_on_the_app_host_operations_goes_through_the_sandbox_on_the_docs_origin(site, browser):
    """Creating a token and the App's status, tried from the docs: the Access Key and the
    call go to the docs' own origin, which answers from the sandbox's App host."""
    browser.get(site.base + "/api/createConnectToken/")
    section = WebDriverWait(browser, 5).until(lambda d: next((s for s in d.find_elements(By.CSS_SELECTOR, "[data-try-it]") if s.is_displayed()), None))
    host = section.find_element(By.ID, "try-param-app_hostname")
    key = section.find_element(By.ID, "try-access-key")
    demo = WebDriverWait(browser, 5).until(lambda d: section.find_element(By.CSS_SELECTOR, "[data-demo-key]") if section.find_element(By.CSS_SELECTOR, "[data-demo-key]").is_displayed() else None)
    # Without the key, the private demo App refuses, as the platform would.
    status, _, body = _send(browser, section)
    assert status.startswith("401"), status
    assert json.loads(body)["error"]["code"] == "unauthorized"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", demo)
    demo.click()
    WebDriverWait(browser, 5).until(lambda d: key.get_attribute("value").startswith("dynamiq_acc_"))
    assert host.get_attribute("value") == "4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai"
    _fill(browser, section.find_element(By.ID, "try-body"), '{"user_id": "docs-reader-7"}')
    status, headers, body = _send(browser, section)
    assert re.match(r"200 OK · \d+ ms$", status), status
    assert "content-type: application/json" in headers
    token = json.loads(body)
    assert token["url"].startswith(site.base + "/connect/")
    # The token just made is one the proxied operations take.
    request = urllib.request.Request(site.base + "/v1/connect/requirements/status", headers={"Authorization": "Bearer " + token["token"]})
    assert urllib.request.urlopen(request).status == 200

    browser.get(site.base + "/api/getAppRequirementsStatus/")
    section = WebDriverWait(browser, 5).until(lambda d: next((s for s in d.find_elements(By.CSS_SELECTOR, "[data-try-it]") if s.is_displayed()), None))
    demo = WebDriverWait(browser, 5).until(lambda d: section.find_element(By.CSS_SELECTOR, "[data-demo-key]") if section.find_element(By.CSS_SELECTOR, "[data-demo-key]").is_displayed() else None)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", demo)
    demo.click()
    WebDriverWait(browser, 5).until(lambda d: section.find_element(By.ID, "try-access-key").get_attribute("value"))
    _fill(browser, section.find_element(By.ID, "try-param-user_id"), "docs-reader-7")
    status, _, body = _send(browser, section)
    assert status.startswith("200"), status
    answer = json.loads(body)
    assert answer["status"] == "incomplete" and len(answer["unsatisfied"]) == 3
    # An unknown App host is the sandbox's 404, not a call anywhere else.
    _fill(browser, section.find_element(By.ID, "try-param-app_hostname"), "nowhere.example.com")
    status, _, body = _send(browser, section)
    assert status.startswith("404"), status
    # Every request the pages made went to the docs' own origin.
    origins = browser.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert origins and set(origins) == {site.base}, origins


def test_the_app_host_try_it_stays_hidden_without_the_sandbox(tmp_path):
    """In production (an upstream named, no sandbox) there is no App host to try against,
    and no development route that would take an Access Key."""
    production = Site(tmp_path, upstream=f"http://127.0.0.1:{free_port()}")
    driver = make_driver()
    try:
        driver.get(production.base + "/api/createConnectToken/")
        time.sleep(0.5)  # the script has run and asked for the sandbox
        sections = driver.find_elements(By.CSS_SELECTOR, "[data-try-it]")
        assert sections and not any(s.is_displayed() for s in sections)
        toc = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".toc a") if a.is_displayed()]
        assert "Try it" not in toc
        request = urllib.request.Request(production.base + f"/_dev/apps/{PRIVATE_HOST}/v1/connect/tokens", data=b'{"user_id": "x"}',
                                         method="POST", headers={"Authorization": "Bearer " + ACCESS_KEY, "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        # The site's answer to a POST of a path it does not list: no App host behind it.
        assert refused.value.code in (404, 405) and b"token" not in refused.value.read()
        # The proxied operations keep theirs: the proxy is there in production.
        driver.get(production.base + "/api/getConnectRequirementStatuses/")
        WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-try-it]").is_displayed())
    finally:
        driver.quit()
        production.stop()


def test_try_it_is_in_on_this_page_and_its_buttons_look_like_the_rest(site):
    # From 1440 px an operation page has both its examples column and "On this page".
    browser = make_driver(width=1500)
    browser.get(site.base + "/api/getConnectRequirementStatuses/")
    section = browser.find_element(By.CSS_SELECTOR, "[data-try-it]")
    demo = WebDriverWait(browser, 5).until(lambda d: section.find_element(By.CSS_SELECTOR, "[data-demo-token]") if section.find_element(By.CSS_SELECTOR, "[data-demo-token]").is_displayed() else None)
    toc = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".toc a") if a.is_displayed()]
    assert toc[-1] == "Try it", toc
    style = lambda element, *names: browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return arguments[1].map(n => s.getPropertyValue(n));", element, list(names))
    # "use a demo token" is a text link in a sentence, not a filled button.
    assert style(demo, "background-color", "padding-top")[0] in ("rgba(0, 0, 0, 0)", "transparent")
    assert style(demo, "padding-top")[0] == "0px"
    # The Copy buttons of the results are the same small buttons as everywhere else.
    sample_copy = browser.find_element(By.CSS_SELECTOR, "[data-samples] .copy")
    result_copy = section.find_element(By.CSS_SELECTOR, ".try-it-result .copy")
    names = ("font-size", "background-color", "color", "padding-top", "font-weight")
    assert style(result_copy, *names) == style(sample_copy, *names)
    # The send button stays the one filled button of the form.
    send = section.find_element(By.CSS_SELECTOR, "button[type=submit]")
    assert style(send, "background-color")[0] not in ("rgba(0, 0, 0, 0)", "transparent")
    browser.quit()


def test_try_it_is_not_listed_without_javascript(site):
    driver = make_driver(width=1500, javascript=False)
    try:
        driver.get(site.base + "/api/getConnectRequirementStatuses/")
        assert "Try it" not in [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".toc a") if a.is_displayed()]
        assert "Example request" in [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".toc a") if a.is_displayed()]
    finally:
        driver.quit()


def test_the_token_examples_explain_the_query_and_the_fragment_form(site, browser):
    browser.get(site.base + "/api/createConnectToken/")
    main = browser.find_element(By.TAG_NAME, "main").text
    # The example shows the platform's query form; the field says why the fragment is better.
    assert "connect?token=" in main and "#token=" in main
    link = browser.find_element(By.CSS_SELECTOR, "main a[href='/docs/connect-tokens/#query-or-fragment']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    link.click()
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("#query-or-fragment"))
    assert browser.find_element(By.ID, "query-or-fragment").text.startswith("Query or fragment")
    browser.get(site.base + "/docs/sandbox/")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "#token=" in text and "?token=" in text


def test_copy_page_menu_copies_the_markdown_and_opens_the_assistants(site, browser):
    browser.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": site.base})
    for path in ("/docs/connect-tokens/", "/api/createConnectToken/", "/api/"):
        browser.get(site.base + path)
        menu = browser.find_element(By.CSS_SELECTOR, "details.page-actions")
        menu.find_element(By.TAG_NAME, "summary").click()
        links = {a.text: a.get_attribute("href") for a in menu.find_elements(By.TAG_NAME, "a")}
        assert links["View as Markdown"] == site.base + path + "index.md"
        # The assistants fetch the published copy: the page's canonical address, not this test's port.
        canonical = browser.find_element(By.CSS_SELECTOR, "link[rel=canonical]").get_attribute("href")
        markdown_url = urllib.parse.quote(canonical + "index.md", safe="")
        assert links["Open in ChatGPT"].startswith("https://chatgpt.com/?") and markdown_url in links["Open in ChatGPT"]
        assert links["Open in Claude"].startswith("https://claude.ai/new?") and markdown_url in links["Open in Claude"]
    copy = menu.find_element(By.CSS_SELECTOR, "button[data-copy-markdown]")
    copy.click()
    WebDriverWait(browser, 5).until(lambda d: copy.text == "Copied")
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0])")
    expected = urllib.request.urlopen(site.base + "/api/index.md").read().decode()
    assert copied == expected


def test_the_reference_shows_its_version_and_links_both_descriptions(site, browser):
    import yaml
    spec = yaml.safe_load((site.tmp / "public" / "openapi.yaml").read_text())
    as_json = json.loads(urllib.request.urlopen(site.base + "/openapi.json").read())
    assert as_json == spec
    assert list(as_json) == list(spec)  # the same key order as the YAML
    for path in ("/api/", "/api/createConnectToken/"):
        browser.get(site.base + path)
        meta = browser.find_element(By.CSS_SELECTOR, ".api-meta")
        assert f"Version {spec['info']['version']}" in meta.text
        hrefs = [a.get_attribute("href") for a in meta.find_elements(By.TAG_NAME, "a")]
        assert hrefs == [site.base + "/openapi.yaml", site.base + "/openapi.json"]
    manifest = json.loads((site.tmp / "public" / ".manifest.json").read_text())
    entry = next(e for e in manifest["entries"] if e["path"] == "/openapi.json")
    assert entry["mediaType"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("query, marked", [("oauth", "oauth"), ("credentails", "credentials"), ("connect token", "token")])
def test_search_results_show_a_snippet_with_the_match_highlighted(site, browser, query, marked):
    browser.get(site.base + "/docs/overview/")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    field = WebDriverWait(browser, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".search-dialog input")))
    field.send_keys(query)
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".search-results a"))
    first = browser.find_element(By.CSS_SELECTOR, ".search-results a")
    snippet = first.find_element(By.CSS_SELECTOR, ".search-snippet")
    assert 20 < len(snippet.text) <= 200, snippet.text
    marks = [m.text.lower() for m in first.find_elements(By.TAG_NAME, "mark")]
    assert any(m.startswith(marked) for m in marks), (marks, snippet.text)
    # The snippet is text: a query cannot inject markup.
    field.clear()
    field.send_keys("<img src=x onerror=alert(1)>")
    time.sleep(0.3)
    assert not browser.find_elements(By.CSS_SELECTOR, ".search-results img")


def test_search_script_stays_within_4_kib_gzipped(site):
    manifest = json.loads((site.tmp / "public" / ".manifest.json").read_text())
    entry = next(e for e in manifest["entries"] if re.match(r"/assets/search\.[0-9a-f]+\.js$", e["path"]))
    assert entry["gzip"]["size"] <= 4096


def test_live_reload_is_pushed_as_server_sent_events(tmp_path):
    """The development server pushes each new build to open pages: no page polls."""
    import http.client
    from conftest import start_dev_server
    process, base = start_dev_server(tmp_path)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=30)
        connection.request("GET", "/_dev/events")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type").startswith("text/event-stream")
        def next_data():
            while True:
                line = response.fp.readline().decode()
                if line.startswith("data: "):
                    return line[6:].strip()
        first = next_data()
        guide = tmp_path / "content" / "docs" / "sandbox.md"
        guide.write_text(guide.read_text().replace("title: The sandbox", "title: The local sandbox", 1))
        edited = time.time()
        assert next_data() != first
        assert time.time() - edited < 15  # pushed, not polled for; its speed is in Benchmarks/
        script = (tmp_path / "public" / "assets").glob("live-reload.*.js")
        text = next(script).read_text()
        assert "EventSource" in text and "site-version" not in text
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_the_changelog_is_a_page_with_a_feed(site, browser):
    import xml.etree.ElementTree as ET
    browser.get(site.base + "/docs/overview/")
    browser.find_element(By.CSS_SELECTOR, ".topbar a[href='/changelog/']").click()
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Changelog")
    dates = [h.text[:10] for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]
    assert dates and dates == sorted(dates, reverse=True)
    feed_url = browser.find_element(By.CSS_SELECTOR, "link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    with urllib.request.urlopen(feed_url) as response:
        assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        feed = ET.fromstring(response.read())
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.find(atom + "updated").text[:10] for e in feed.findall(atom + "entry")] == dates


def test_operation_pages_have_a_sticky_examples_column_from_1200_px(site):
    rect = "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom];"
    wide = make_driver(width=1400, height=900)
    try:
        wide.get(site.base + "/api/createConnectToken/")
        main = wide.find_element(By.CSS_SELECTOR, ".operation-main")
        examples = wide.find_element(By.CSS_SELECTOR, ".operation-examples")
        m, e = wide.execute_script(rect, main), wide.execute_script(rect, examples)
        assert e[0] >= m[1], (m, e)  # side by side
        assert abs(e[2] - m[2]) < 80  # starting together
        # Scrolled to the responses, the samples are still in view.
        heading = wide.find_element(By.ID, "response-body")
        wide.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", heading)
        top = wide.execute_script(rect, examples)[2]
        assert 0 <= top <= 100, top
        # Choosing a status in Response Body shows that status's example.
        tab = next(b for b in wide.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=response-body] [role=tab]") if b.text.startswith("400"))
        tab.click()
        shown = [f.get_attribute("id") for f in wide.find_elements(By.CSS_SELECTOR, ".operation-examples figure.example") if f.is_displayed()]
        assert shown == ["example-400"]
    finally:
        wide.quit()
    narrow = make_driver(width=1000, height=900)
    try:
        narrow.get(site.base + "/api/createConnectToken/")
        m = narrow.execute_script(rect, narrow.find_element(By.CSS_SELECTOR, ".operation-main"))
        e = narrow.execute_script(rect, narrow.find_element(By.CSS_SELECTOR, ".operation-examples"))
        assert e[2] >= m[3] - 1, (m, e)  # stacked below
    finally:
        narrow.quit()
    widest = make_driver(width=1600, height=900)
    try:
        widest.get(site.base + "/api/createConnectToken/")
        m = widest.execute_script(rect, widest.find_element(By.CSS_SELECTOR, ".operation-main"))
        e = widest.execute_script(rect, widest.find_element(By.CSS_SELECTOR, ".operation-examples"))
        toc = widest.execute_script(rect, widest.find_element(By.CSS_SELECTOR, ".toc"))
        assert m[1] <= e[0] and e[1] <= toc[0], (m, e, toc)
        assert e[1] - e[0] >= 420, "the examples column is wide enough for a curl line"
    finally:
        widest.quit()


def test_the_errors_table_lists_what_the_proxy_really_answers(site, browser):
    browser.get(site.base + "/api/createConnectRequirementCredentials/")
    rows = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in browser.find_elements(By.CSS_SELECTOR, "table.errors tbody tr")]
    proxy = {(r[0], r[1]) for r in rows if r[2] == "Proxy"}
    assert {("401", "unauthorized"), ("404", "not_found"), ("413", "payload_too_large"), ("429", "too_many_requests"),
            ("502", "bad_gateway"), ("504", "gateway_timeout")} == proxy
    assert ("400", "bad_request") in {(r[0], r[1]) for r in rows if r[2] == "API"}
    assert all(r[4] for r in rows), "every row says what to do"
    # Provoke the ones a test can, and hold each to its row.
    requirement = "/v1/connect/requirements/9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6/credentials"
    def call(path, headers=None, body=None):
        request = urllib.request.Request(site.base + path, data=body, headers=headers or {}, method="POST")
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as error:
            return str(error.code), json.loads(error.read())["error"]["code"]
    assert call(requirement, body=b"{}") in proxy
    assert call("/v1/connect/requirements/not-a-uuid/credentials", {"Authorization": "Bearer x"}, b"{}") in proxy
    assert call(requirement, {"Authorization": "Bearer x", "Content-Type": "application/json"}, b" " * 70000) in proxy
    # The App-host operations do not go through the proxy: no Proxy rows there.
    browser.get(site.base + "/api/createConnectToken/")
    assert "Proxy" not in [c.text for c in browser.find_elements(By.CSS_SELECTOR, "table.errors td:nth-child(3)")]
