"""The end user's journey off the happy path: every way out of every state, one test per
numbered item of the issue that asked for them, in headless chromium."""
import json
import re
import shutil
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import REPO, Site, Stub, console_errors, make_driver
from test_connect_page import card, forge, open_page, status_of, wait

GMAIL, HELPDESK, DRIVE = "9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6", "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed", "2affdc04-ece1-4f5d-8116-d0491f513c6e"


def problem_title(driver):
    return driver.find_element(By.ID, "problem-title").text


def note_of(driver, title):
    return card(driver, title).find_element(By.CSS_SELECTOR, ".requirement-note").text


def popup(driver, page):
    wait(driver).until(lambda d: len(d.window_handles) == 2)
    return next(h for h in driver.window_handles if h != page)


def call(site, method, path, token, form=None):
    data = urlencode(form).encode() if form else None
    request = urllib.request.Request(site.base + path if path.startswith("/v1") else path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read() or b"null") if "json" in response.headers.get("Content-Type", "") else None


def complete_everything(site, token):
    """Fulfils the three requirements as the page would, through the proxy and the consent page."""
    request = urllib.request.Request(site.base + f"/v1/connect/requirements/{HELPDESK}/credentials", method="POST",
                                     data=json.dumps({"type": "dynamiq.connections.HttpApiKey",
                                                      "config": {"url": "https://helpdesk.example.com/api", "api_key": "hd_live_1"}}).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).close()
    for requirement, kind in ((GMAIL, "pipedream"), (DRIVE, "oauth2")):
        url = call(site, "POST", f"/v1/connect/requirements/{requirement}/{kind}/authorize", token)["data"]["url"]
        urllib.request.urlopen(urllib.request.Request(url, data=b"decision=allow", method="POST"), timeout=5).close()


# 1. A new link in the same tab: only the fragment changes, and the page reads it.
def test_a_new_link_in_the_same_tab_replaces_an_expired_one(site, browser):
    old = site.token(user="same-tab", expires_in=1)["token"]
    time.sleep(1.5)
    open_page(browser, site.connect_url(old))
    wait(browser).until(lambda d: problem_title(d) == "This link has expired")
    browser.execute_script("window.sameDocument = true")
    fresh = site.token(user="same-tab")["token"]
    browser.get(site.connect_url(fresh))
    wait(browser).until(lambda d: d.find_element(By.ID, "checklist").is_displayed()
                        and d.find_element(By.ID, "progress").text == "0 of 3 completed")
    assert browser.execute_script("return window.sameDocument") is True, "the page reloaded instead of reading the new link"
    assert not browser.find_element(By.ID, "problem").is_displayed()
    assert "token" not in browser.current_url
    assert browser.execute_script("return sessionStorage.getItem('connect.token')") == fresh
    # The same, by pasting the link into the expired screen.
    late = site.token(user="paster", expires_in=1)["token"]
    time.sleep(1.5)
    browser.execute_script("sessionStorage.clear()")
    open_page(browser, site.connect_url(late))
    wait(browser).until(lambda d: problem_title(d) == "This link has expired")
    field = browser.find_element(By.CSS_SELECTOR, "#problem form.paste input")
    field.send_keys("not a link")
    field.send_keys(Keys.ENTER)
    assert "isn't a connect link" in browser.find_element(By.CSS_SELECTOR, "#problem .paste-error").text
    field.clear()
    field.send_keys(site.connect_url(site.token(user="paster")["token"]))
    field.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: d.find_element(By.ID, "progress").text == "0 of 3 completed")
    assert "token" not in browser.current_url
    assert console_errors(browser) == []


# 2. Deny, and a window closed unanswered, each get their own note; no stale note stays.
def test_deny_and_a_closed_window_each_say_what_happened(site, browser):
    open_page(browser, site.connect_url(site.token(user="decliner")["token"]))
    page = browser.current_window_handle
    card(browser, "Connect Google Drive").find_element(By.XPATH, ".//button[contains(., 'Continue with Google')]").click()
    assert "Finish in the Google window" in note_of(browser, "Connect Google Drive")
    browser.switch_to.window(popup(browser, page))
    wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button[value=deny]"))).click()
    browser.switch_to.window(page)
    wait(browser, 10).until(lambda d: "You declined on Google" in note_of(d, "Connect Google Drive"))
    assert "error" in card(browser, "Connect Google Drive").find_element(By.CSS_SELECTOR, ".requirement-note").get_attribute("class")
    assert status_of(browser, "Connect Google Drive") == "Pending"

    card(browser, "Connect your Gmail account").find_element(By.XPATH, ".//button[contains(., 'Connect Gmail')]").click()
    window = popup(browser, page)
    browser.switch_to.window(window)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "button[value=allow]")))
    time.sleep(3.2)  # a window closed at once may be one a provider's COOP hides; this one was open a while
    browser.close()
    browser.switch_to.window(page)
    wait(browser, 10).until(lambda d: "window closed before you finished" in note_of(d, "Connect your Gmail account"))

    # Trying again and allowing: the card says it is connected, and nothing stale is left.
    card(browser, "Connect Google Drive").find_element(By.XPATH, ".//button[contains(., 'Continue with Google')]").click()
    browser.switch_to.window(popup(browser, page))
    wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button[value=allow]"))).click()
    browser.switch_to.window(page)
    wait(browser, 15).until(lambda d: status_of(d, "Connect Google Drive") == "Completed")
    wait(browser).until(lambda d: note_of(d, "Connect Google Drive") == "Connected.")
    assert "window closed before you finished" in note_of(browser, "Connect your Gmail account")
    assert console_errors(browser) == []


# 3. A link for an App that is not served here, said as such.
def test_a_link_whose_app_is_gone_says_so(tmp_path, browser):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    with open(content / "sandbox.yaml", "a") as apps:
        apps.write("""
  - id: 6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a
    hostname: retired.apps.sandbox.local
    name: Retired App
    workflow_id: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
    access: public
    requirements: []
""")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = Site(tmp_path / "a", content=content, sandbox_dir=tmp_path / "shared")
    try:
        token = before.token(user="orphan", host="retired.apps.sandbox.local")["token"]
    finally:
        before.stop()
    after = Site(tmp_path / "b", sandbox_dir=tmp_path / "shared")
    try:
        open_page(browser, after.connect_url(token))
        wait(browser).until(lambda d: problem_title(d) == "This link's app isn't available")
        assert "Ask Retired App for a new link" in browser.find_element(By.CSS_SELECTOR, "#problem .problem-text").text
        assert browser.find_element(By.CSS_SELECTOR, "#problem form.paste").is_displayed()
    finally:
        after.stop()


# 3. Rate limited: the Retry-After, counted down, then the page carries on by itself.
def test_rate_limited_counts_down_and_carries_on(tmp_path, browser):
    limited = Site(tmp_path, extra=("--rate-limit", "6"))
    try:
        token = limited.token(user="busy")["token"]
        for _ in range(6):
            limited.statuses(token)
        open_page(browser, limited.connect_url(token))
        wait(browser).until(lambda d: problem_title(d) == "Too many attempts at once")
        seconds = lambda: int(re.search(r"Trying again in (\d+) s", browser.find_element(By.CSS_SELECTOR, "#problem .problem-text").text).group(1))
        first = seconds()
        assert 1 <= first <= 10
        time.sleep(2.2)
        assert seconds() < first, "the countdown does not move"
        wait(browser, 15).until(lambda d: d.find_element(By.ID, "progress").text == "0 of 3 completed")
    finally:
        limited.stop()


# 3. Offline, then back: the page says so, and resumes when the network returns.
def test_offline_is_told_and_the_page_resumes_when_online(site, browser):
    open_page(browser, site.connect_url(site.token(user="train")["token"]))
    browser.execute_cdp_cmd("Network.enable", {})
    conditions = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, **conditions})
    browser.execute_script("window.dispatchEvent(new Event('focus'))")
    wait(browser).until(lambda d: problem_title(d) == "You're offline")
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, **conditions})
    wait(browser).until(lambda d: d.find_element(By.ID, "checklist").is_displayed()
                        and d.find_element(By.ID, "progress").text == "0 of 3 completed")


# 4. The link expires while a form is filled in: the values stay, the user is told, and a
# new link carries on with them.
def test_a_form_keeps_its_values_through_an_expired_link(site, browser):
    open_page(browser, site.connect_url(site.token(user="slow-typer", expires_in=8)["token"]))
    assert browser.find_element(By.ID, "expiry").text == "This link is valid for less than a minute."
    helpdesk = card(browser, "Helpdesk API key")
    helpdesk.find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
    url = helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]")
    key = helpdesk.find_element(By.CSS_SELECTOR, "input[name=api_key]")
    url.send_keys("https://helpdesk.example.com/api")
    key.send_keys("hd_live_typed_slowly")
    wait(browser, 12).until(lambda d: d.find_element(By.ID, "banner").is_displayed())
    banner = browser.find_element(By.ID, "banner")
    assert banner.find_element(By.TAG_NAME, "h2").text == "This link has expired"
    assert "Anything you typed stays" in banner.text
    assert browser.find_element(By.ID, "expiry").text == ""
    assert url.get_attribute("value") == "https://helpdesk.example.com/api" and key.get_attribute("value") == "hd_live_typed_slowly"
    helpdesk.find_element(By.XPATH, ".//button[text()='Save']").click()
    wait(browser).until(lambda d: "What you typed is still here" in note_of(d, "Helpdesk API key"))
    assert key.get_attribute("value") == "hd_live_typed_slowly"
    fresh = site.token(user="slow-typer")["token"]
    field = banner.find_element(By.CSS_SELECTOR, "form.paste input")
    field.send_keys(site.connect_url(fresh))
    field.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: not d.find_element(By.ID, "banner").is_displayed())
    assert key.get_attribute("value") == "hd_live_typed_slowly", "the new link lost what was typed"
    helpdesk.find_element(By.XPATH, ".//button[text()='Save']").click()
    wait(browser).until(lambda d: status_of(d, "Helpdesk API key") == "Completed")
    assert site.statuses(fresh)["Helpdesk API key"] == "completed"


# 5. All done lists what was connected, with Replace or Reconnect for every kind, also on a
# later visit.
def test_all_done_lists_what_was_connected_with_replace_and_reconnect(site, browser):
    token = site.token(user="summary")["token"]
    complete_everything(site, token)
    open_page(browser, site.connect_url(token))
    wait(browser).until(lambda d: d.find_element(By.ID, "done").is_displayed())
    assert "You can close this page" in browser.find_element(By.ID, "done-text").text
    summaries = {title: card(browser, title).find_element(By.CSS_SELECTOR, ".requirement-summary").text
                 for title in ("Connect your Gmail account", "Helpdesk API key", "Connect Google Drive")}
    assert summaries == {"Connect your Gmail account": "Gmail account linked", "Helpdesk API key": "HTTP API key saved",
                         "Connect Google Drive": "Google account connected for Google Drive"}
    buttons = {title: card(browser, title).find_element(By.CSS_SELECTOR, ".requirement-actions button").text for title in summaries}
    assert buttons == {"Connect your Gmail account": "Reconnect", "Helpdesk API key": "Replace", "Connect Google Drive": "Reconnect"}
    page = browser.current_window_handle
    card(browser, "Connect Google Drive").find_element(By.XPATH, ".//button[text()='Reconnect']").click()
    browser.switch_to.window(popup(browser, page))
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "button[value=allow]")))
    assert "Google account" in browser.find_element(By.TAG_NAME, "h1").text
    browser.close()
    browser.switch_to.window(page)
    card(browser, "Helpdesk API key").find_element(By.XPATH, ".//button[text()='Replace']").click()
    assert card(browser, "Helpdesk API key").find_element(By.CSS_SELECTOR, "input[name=api_key]").is_displayed()


# 6. The App's face leads; the operator's is the fallback; providers come from the catalog.
def test_the_app_leads_with_its_face_and_providers_come_from_the_catalog(site, browser, tmp_path):
    open_page(browser, site.connect_url(site.token(user="face")["token"]))
    assert browser.find_element(By.ID, "app-name").text == "Support Triage"
    assert browser.execute_script("var i = document.getElementById('app-logo'); return !i.hidden && i.complete && i.naturalWidth > 0")
    gmail = card(browser, "Connect your Gmail account").find_element(By.CSS_SELECTOR, ".requirement-actions button")
    assert gmail.value_of_css_property("background-color") == "rgba(15, 118, 110, 1)"
    assert browser.execute_script("return arguments[0].querySelector('img').naturalWidth > 0", gmail), "no provider logo"
    card(browser, "Helpdesk API key").find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
    where = card(browser, "Helpdesk API key").find_element(By.CSS_SELECTOR, ".where")
    assert "goes over an encrypted connection to Dynamiq" in where.text and "only for Support Triage" in where.text
    assert where.find_element(By.TAG_NAME, "a").get_attribute("href") == "https://www.getdynamiq.ai/privacy-policy"
    # An App without a face of its own shows the operator's.
    open_page(browser, site.connect_url(site.token(user="face", host="public-demo.apps.sandbox.local")["token"]))
    wait(browser).until(lambda d: d.find_element(By.ID, "progress").text == "0 of 1 completed")
    assert browser.find_element(By.ID, "app-name").text == "Public Demo"
    assert not browser.find_element(By.ID, "app-logo").is_displayed()
    button = card(browser, "OpenAI API key").find_element(By.CSS_SELECTOR, ".requirement-actions button")
    assert button.value_of_css_property("background-color") == "rgba(79, 70, 229, 1)"
    # A new provider is a change of data, not of JavaScript.
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    types = (content / "connection-types.yaml").read_text()
    (content / "connection-types.yaml").write_text(types.replace("providers:\n", "providers:\n  acmemail: {name: Acme Mail, logo: images/providers/slack.svg}\n"))
    (content / "sandbox.yaml").write_text((content / "sandbox.yaml").read_text().replace("app_slug: gmail", "app_slug: acmemail"))
    (tmp_path / "run").mkdir()
    acme = Site(tmp_path / "run", content=content)
    try:
        open_page(browser, acme.connect_url(acme.token(user="acme")["token"]))
        assert card(browser, "Connect your Gmail account").find_element(By.CSS_SELECTOR, ".requirement-actions button").text == "Connect Acme Mail"
    finally:
        acme.stop()


STATUS = json.dumps({"data": [{"id": HELPDESK, "type": "connection", "title": "Helpdesk API key", "description": "Tickets.",
                                 "spec": {"type": "connection", "data": {"type": "dynamiq.connections.HttpApiKey"}},
                                 "status": "pending"}]})


# 7. The forms speak the page's language, and the platform hears which one it is.
def test_forms_speak_the_page_language_and_the_upstream_hears_it(tmp_path):
    upstream = Stub(STATUS, "application/json")  # a stand-in management API
    proxied = Site(tmp_path, upstream=upstream.url.rstrip("/"))
    driver = make_driver(language="en-US")
    try:
        token = forge("eyJhbGciOiJFUzI1NiJ9.e30.sig", exp=int(time.time()) + 3600, app_name="Support Triage")
        open_page(driver, proxied.connect_url(token, "?lang=de"))
        helpdesk = card(driver, "Helpdesk API key")
        helpdesk.find_element(By.XPATH, ".//button[text()='Zugangsdaten eingeben']").click()
        wait(driver).until(lambda d: helpdesk.find_elements(By.CSS_SELECTOR, "input[name=url]"))
        url = helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]")
        assert helpdesk.find_element(By.CSS_SELECTOR, f"label[for='{url.get_attribute('id')}']").text == "API-Basis-URL *"
        assert "API-Dokumentation" in helpdesk.find_element(By.ID, url.get_attribute("id") + "-help").text
        assert "verschlüsselt" in helpdesk.find_element(By.CSS_SELECTOR, ".where").text
        # The App's own words stay as the API sends them.
        assert helpdesk.find_element(By.CSS_SELECTOR, ".requirement-description").text == "Tickets."
        assert any(headers.get("Accept-Language", "").startswith("de") for headers in upstream.seen), upstream.seen
    finally:
        driver.quit()
        proxied.stop()
        upstream.stop()


# 8. Keyboard: Escape closes a form, focus lands on the result of Save, and a double click
# opens one window.
def test_escape_focus_after_save_and_one_window_for_a_double_click(site, browser):
    open_page(browser, site.connect_url(site.token(user="keyboard")["token"]))
    helpdesk = card(browser, "Helpdesk API key")
    helpdesk.find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
    field = helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]")
    assert browser.switch_to.active_element == field
    field.send_keys(Keys.ESCAPE)
    assert helpdesk.find_elements(By.CSS_SELECTOR, "form.credentials") == []
    assert browser.switch_to.active_element.text == "Enter credentials"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]").send_keys("https://helpdesk.example.com/api")
    helpdesk.find_element(By.CSS_SELECTOR, "input[name=api_key]").send_keys("hd_live_keys" + Keys.ENTER)
    wait(browser).until(lambda d: status_of(d, "Helpdesk API key") == "Completed")
    wait(browser).until(lambda d: d.switch_to.active_element.text == "Helpdesk API key")
    assert "requirement-title" in browser.switch_to.active_element.get_attribute("class")
    assert note_of(browser, "Helpdesk API key") == "Saved."

    page = browser.current_window_handle
    ActionChains(browser).double_click(card(browser, "Connect your Gmail account").find_element(By.CSS_SELECTOR, ".requirement-actions button")).perform()
    wait(browser).until(lambda d: len(d.window_handles) >= 2)
    time.sleep(1.5)
    assert len(browser.window_handles) == 2, "a double click opened two windows"
    for handle in browser.window_handles:
        if handle != page:
            browser.switch_to.window(handle)
            browser.close()
    browser.switch_to.window(page)


# 9. No favicon 404, and without JavaScript only the notice shows.
def test_no_favicon_404_and_a_clean_page_without_javascript(site, browser):
    open_page(browser, site.connect_url(site.token(user="icon")["token"]))
    icon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    with urllib.request.urlopen(icon, timeout=5) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("image/svg+xml")
    time.sleep(0.5)
    assert "/favicon.ico" not in site.log.read_text()
    plain = make_driver(javascript=False)
    try:
        plain.get(site.base + "/connect/")
        body = plain.find_element(By.TAG_NAME, "body").text
        assert "This page needs JavaScript to connect your accounts." in body
        assert "Checking your link" not in body
        assert not plain.find_element(By.ID, "checklist").is_displayed()
        assert plain.find_elements(By.CSS_SELECTOR, ".placeholder") == []
    finally:
        plain.quit()


# 10. Two users cannot share a state through an id that a C string would cut short.
@pytest.mark.parametrize("user", ["alice\u0000evil", "alice\nevil", "a" * 257])
def test_a_user_id_that_is_not_kept_whole_is_refused(site, user):
    with pytest.raises(urllib.error.HTTPError) as refused:
        site.token(user=user)
    assert refused.value.code == 400
    body = json.load(refused.value)
    assert body["error"]["code"] == "bad_request" and body["error"]["details"]["user_id"]
