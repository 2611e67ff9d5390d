"""Back to the App: the connect page as a link that returns, a popup and an embedded modal,
driven from the sandbox's demo App on another loopback origin; and what a foreign origin
cannot do: embed the page, hear its events, send it a token, or be returned to."""
import json
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium_axe_python import Axe

from conftest import Stub
from test_connect_journey import DRIVE, GMAIL, complete_everything
from test_connect_page import card, open_page, status_of, wait
from states import consent


def events(driver):
    return [json.loads(li.text) for li in driver.find_elements(By.CSS_SELECTOR, "#events li")]


def demo(driver, site, user):
    driver.get(site.demo)
    field = wait(driver).until(EC.presence_of_element_located((By.ID, "user")))
    field.clear()
    field.send_keys(user)


def finish_helpdesk(driver):
    helpdesk = card(driver, "Helpdesk API key")
    helpdesk.find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
    wait(driver).until(lambda d: helpdesk.find_elements(By.CSS_SELECTOR, "input[name=url]"))
    helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]").send_keys("https://helpdesk.example.com/api")
    helpdesk.find_element(By.CSS_SELECTOR, "input[name=api_key]").send_keys("hd_live_embed" + Keys.ENTER)
    wait(driver).until(lambda d: d.find_element(By.ID, "done").is_displayed())


def prefill(site, user):
    """Links Gmail and Drive for the user, as if done earlier: the test finishes the form."""
    token = site.token(user=user)["token"]
    consent(site, token, GMAIL, "pipedream", "allow")
    consent(site, token, DRIVE, "oauth2", "allow")


def confirmed(driver):
    return wait(driver).until(lambda d: d.find_element(By.ID, "status").text) == "Confirmed by the backend: every requirement is met."


def violations(driver):
    axe = Axe(driver)
    axe.inject()
    return [f"{v['id']}: {v['help']}" for v in axe.run()["violations"]]


def test_link_mode_goes_back_to_the_app(site, browser):
    prefill(site, "link-user")
    demo(browser, site, "link-user")
    assert violations(browser) == []
    with urllib.request.urlopen(site.demo.replace("/demo/", "/favicon.ico"), timeout=5) as icon:
        assert icon.status == 204, "the demo's origin answers its icon request with a 404"
    browser.find_element(By.ID, "open-link").click()
    wait(browser).until(lambda d: d.current_url.startswith(site.base + "/connect/"))
    open_page(browser, browser.current_url)
    assert "return_url" not in browser.current_url and "token" not in browser.current_url
    finish_helpdesk(browser)
    back = browser.find_element(By.CSS_SELECTOR, "#done a.return")
    assert back.is_displayed() and back.text == "Back to Support Triage"
    assert "token" not in back.get_attribute("href")
    back.click()
    wait(browser).until(lambda d: d.current_url.startswith(site.demo))
    assert confirmed(browser)


def test_popup_mode_hands_the_token_over_by_message_and_reports_events(site, browser):
    prefill(site, "popup-user")
    demo(browser, site, "popup-user")
    page = browser.current_window_handle
    browser.find_element(By.ID, "open-popup").click()
    wait(browser).until(lambda d: len(d.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != page))
    wait(browser).until(lambda d: d.find_element(By.ID, "requirements").get_attribute("aria-busy") == "false")
    assert status_of(browser, "Connect Google Drive") == "Completed"
    token = browser.execute_script("return sessionStorage.getItem('connect.token')")
    assert token and token not in browser.current_url
    urls = browser.execute_script("return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }))")
    finish_helpdesk(browser)
    browser.close()
    browser.switch_to.window(page)
    wait(browser).until(lambda d: any(e["type"] == "connect:closed" for e in events(d)))
    kinds = [e["type"] for e in events(browser)]
    assert kinds[0] == "connect:ready" and "connect:completed" in kinds, kinds
    assert {"type": "connect:requirement_completed", "requirement_id": "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed"} in events(browser)
    assert confirmed(browser)
    assert all(token not in url for url in urls)
    assert token not in site.log.read_text()


def test_embedded_mode_in_a_modal_with_no_token_in_any_url(site, browser):
    prefill(site, "embed-user")
    demo(browser, site, "embed-user")
    browser.find_element(By.ID, "open-embedded").click()
    frame = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=dialog] iframe")))
    dialog = browser.find_element(By.CSS_SELECTOR, "[role=dialog]")
    assert dialog.get_attribute("aria-modal") == "true"
    assert browser.execute_script("return document.querySelector('main').inert") is True, "the page behind the modal is not inert"
    assert violations(browser) == []
    browser.switch_to.frame(frame)
    wait(browser).until(lambda d: d.find_element(By.ID, "requirements").get_attribute("aria-busy") == "false")
    assert status_of(browser, "Connect your Gmail account") == "Completed"
    token = browser.execute_script("return sessionStorage.getItem('connect.token')")
    frame_urls = browser.execute_script("return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }))")
    assert violations(browser) == []
    finish_helpdesk(browser)
    # Escape inside the page (outside a form) asks the App to close it.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    browser.switch_to.default_content()
    wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[role=dialog]"))
    assert browser.execute_script("return document.querySelector('main').inert") is False
    kinds = [e["type"] for e in events(browser)]
    assert kinds[0] == "connect:ready" and "connect:completed" in kinds and kinds[-1] == "connect:closed", kinds
    assert confirmed(browser)
    outer_urls = browser.execute_script("return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }))")
    assert token and all(token not in url for url in frame_urls + outer_urls)
    assert token not in site.log.read_text()
    assert browser.execute_script("return document.activeElement.id") == "open-embedded", "the focus did not come back"


def foreign_origin(page):
    """A page on an origin no App lists: it frames or opens the connect page and records
    every message it receives."""
    stub = Stub(page, "text/html; charset=utf-8")
    return stub, stub.url


RECORDER = "<script>window.heard = []; addEventListener('message', function (e) { heard.push(e.data); });</script>"


def test_a_foreign_origin_cannot_embed_the_page(site, browser):
    server, url = foreign_origin(f"<!doctype html><title>foreign</title>{RECORDER}<iframe src='{site.base}/connect/?embed=1'></iframe>")
    try:
        browser.get(url)
        time.sleep(2)
        assert browser.execute_script("return window.heard") == []
        assert any("frame-ancestors" in entry["message"] for entry in browser.get_log("browser")), "the frame was not refused"
    finally:
        server.stop()


def test_a_foreign_opener_hears_no_event_and_cannot_hand_over_a_token(site, browser):
    token = site.token(user="foreign-opener")["token"]
    complete_everything(site, token)
    server, url = foreign_origin(f"<!doctype html><title>foreign</title>{RECORDER}")
    try:
        browser.get(url)
        page = browser.current_window_handle
        # The page, opened by a foreign window with a good link: all done, and not a word to it.
        browser.execute_script(f"window.child = window.open('{site.connect_url(token)}', 'child')")
        wait(browser).until(lambda d: len(d.window_handles) == 2)
        browser.switch_to.window(next(h for h in browser.window_handles if h != page))
        wait(browser).until(lambda d: d.find_element(By.ID, "done").is_displayed())
        browser.close()
        browser.switch_to.window(page)
        time.sleep(1)
        assert browser.execute_script("return window.heard") == []
        # Waiting for a token by message: one from a foreign origin is ignored, '*' or not.
        browser.execute_script(f"window.child = window.open('{site.base}/connect/?embed=1', 'child2')")
        wait(browser).until(lambda d: len(d.window_handles) == 2)
        fresh = site.token(user="foreign-token")["token"]
        for _ in range(6):
            browser.execute_script("window.child.postMessage({type: 'connect:token', token: arguments[0]}, '*')", fresh)
            time.sleep(0.3)
        browser.switch_to.window(next(h for h in browser.window_handles if h != page))
        assert browser.find_element(By.ID, "progress").text == "Checking your link…"
        assert browser.find_elements(By.CSS_SELECTOR, ".requirement:not(.placeholder)") == []
        browser.close()
        browser.switch_to.window(page)
        assert browser.execute_script("return window.heard") == []
    finally:
        server.stop()


def test_a_return_url_elsewhere_is_never_followed(site, browser):
    token = site.token(user="return-elsewhere")["token"]
    complete_everything(site, token)
    for bad in ("javascript:alert(document.domain)", "https://evil.example/collect", "http://evil.example/", "not a url",
                f"http://localhost:{site.sandbox_port}@evil.example/"):
        browser.execute_script("sessionStorage.clear()") if browser.current_url.startswith("http") else None
        browser.get("about:blank")
        browser.get(f"{site.base}/connect/#token={token}&return_url={bad}&auto_return=1")
        wait(browser).until(lambda d: d.find_element(By.ID, "done").is_displayed())
        time.sleep(1.5)
        assert browser.current_url.startswith(site.base + "/connect/"), f"followed {bad}"
        assert not browser.find_element(By.CSS_SELECTOR, "#done a.return").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, "#done .return-note").text == ""
    # An allowed one, with an auto-return announced to screen readers, and no token in it.
    back = site.demo + "?returned=1&token=leak"
    browser.get("about:blank")
    browser.get(f"{site.base}/connect/#token={token}&return_url={back.replace('&', '%26')}&auto_return=2")
    note = wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, "#done .return-note"))
    wait(browser).until(lambda d: "Going back to Support Triage in" in note.text)
    assert note.get_attribute("aria-live") == "polite"
    wait(browser, 6).until(lambda d: d.current_url.startswith(site.demo))
    assert "token" not in browser.current_url
    # An error exit goes back with its reason when the App asked for it.
    late = site.token(user="return-error", expires_in=1)["token"]
    time.sleep(1.2)
    browser.get("about:blank")
    browser.get(f"{site.base}/connect/#token={late}&error_return_url={site.demo.replace(':', '%3A')}")
    link = wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, "#problem a.return"))
    wait(browser).until(lambda d: link.is_displayed())
    assert link.get_attribute("href") == site.demo + "?connect_error=link_expired"
    assert link.text == "Back to Support Triage"
