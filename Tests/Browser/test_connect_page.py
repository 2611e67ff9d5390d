"""The hosted connect page as an end user meets it, in headless chromium."""
import base64
import json
import time

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors


def wait(driver, seconds=10):
    return WebDriverWait(driver, seconds)


def card(driver, title):
    """The checklist item whose title is `title`."""
    return wait(driver).until(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, ".requirement:not(.placeholder)")
                                              if li.find_element(By.CSS_SELECTOR, ".requirement-title").text == title), None))


def status_of(driver, title):
    return card(driver, title).find_element(By.CSS_SELECTOR, ".status").text


def open_page(driver, url):
    driver.get(url)
    wait(driver).until(lambda d: d.find_element(By.ID, "requirements").get_attribute("aria-busy") == "false"
                       or d.find_element(By.ID, "problem").is_displayed())


def test_the_token_leaves_the_address_bar_and_a_reload_keeps_working(site, browser):
    token = site.token()["token"]
    open_page(browser, site.connect_url(token, "?lang=en"))
    assert "token" not in browser.current_url
    assert browser.current_url.endswith("/connect/?lang=en")
    assert browser.execute_script("return sessionStorage.getItem('connect.token')") == token
    assert browser.find_element(By.ID, "progress").text == "0 of 3 completed"
    assert "Support Triage needs these connections" in browser.find_element(By.ID, "lead").text
    assert "valid for 23 h" in browser.find_element(By.ID, "expiry").text
    browser.refresh()
    open_page(browser, browser.current_url)
    assert browser.find_element(By.ID, "progress").text == "0 of 3 completed"
    # A new link replaces the old token.
    other = site.token(user="someone-else")["token"]
    open_page(browser, site.connect_url(other))
    assert browser.execute_script("return sessionStorage.getItem('connect.token')") == other
    assert console_errors(browser) == []


def test_a_credentials_form_checks_fields_then_completes_and_offers_replace(site, browser):
    token = site.token(user="form-user")["token"]
    open_page(browser, site.connect_url(token))
    helpdesk = card(browser, "Helpdesk API key")
    helpdesk.find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
    url = helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]")
    key = helpdesk.find_element(By.CSS_SELECTOR, "input[name=api_key]")
    assert key.get_attribute("type") == "password"
    assert helpdesk.find_element(By.CSS_SELECTOR, f"label[for='{url.get_attribute('id')}']").text == "API base URL *"
    url.send_keys("ftp://helpdesk.example.com")
    key.click()  # blur validates
    error = helpdesk.find_element(By.ID, url.get_attribute("id") + "-error")
    assert "https://" in error.text and url.get_attribute("aria-invalid") == "true"
    helpdesk.find_element(By.XPATH, ".//button[text()='Save']").click()
    assert "Fill in this field." in helpdesk.find_element(By.ID, key.get_attribute("id") + "-error").text
    url.clear()
    url.send_keys("  https://helpdesk.example.com/api  ")
    key.send_keys("hd_live_9f3a7c1e2b54")
    toggle = helpdesk.find_element(By.CSS_SELECTOR, "button.toggle")
    toggle.click()
    assert key.get_attribute("type") == "text" and toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    helpdesk.find_element(By.XPATH, ".//button[text()='Save']").click()
    wait(browser).until(lambda d: status_of(d, "Helpdesk API key") == "Completed")
    assert browser.find_element(By.ID, "progress").text == "1 of 3 completed"
    assert card(browser, "Helpdesk API key").find_elements(By.CSS_SELECTOR, "form") == [], "the form stays after success"
    assert card(browser, "Helpdesk API key").find_element(By.XPATH, ".//button[text()='Replace']").is_displayed()
    stored = browser.execute_script("return JSON.stringify(Object.assign({}, sessionStorage, localStorage))")
    assert "hd_live" not in stored and "hd_live" not in browser.page_source
    assert site.statuses(token)["Helpdesk API key"] == "completed"
    assert console_errors(browser) == []


def test_every_kind_of_requirement_through_to_the_success_screen(site, browser):
    token = site.token(user="everything")["token"]
    open_page(browser, site.connect_url(token))
    page = browser.current_window_handle

    def consent(button_text, title, answer):
        card(browser, title).find_element(By.XPATH, f".//button[text()='{button_text}']").click()
        wait(browser).until(lambda d: len(d.window_handles) == 2)
        popup = next(h for h in browser.window_handles if h != page)
        browser.switch_to.window(popup)
        wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"button[value={answer}]")))
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Sandbox: let Support Triage use your")
        assert browser.execute_script("return window.opener") is None
        browser.find_element(By.CSS_SELECTOR, f"button[value={answer}]").click()

        def answered(driver):
            # The consent page closes itself a moment after the answer: either state will do.
            try:
                return len(driver.window_handles) == 1 or "close this tab" in driver.find_element(By.TAG_NAME, "body").text
            except WebDriverException:
                return True
        wait(browser).until(answered)
        try:
            if len(browser.window_handles) == 2:
                browser.close()
        except WebDriverException:
            pass
        browser.switch_to.window(page)

    consent("Connect Gmail", "Connect your Gmail account", "deny")
    time.sleep(2.5)
    assert status_of(browser, "Connect your Gmail account") == "Pending"
    consent("Connect Gmail", "Connect your Gmail account", "allow")
    wait(browser, 15).until(lambda d: status_of(d, "Connect your Gmail account") == "Completed")
    consent("Continue with Google", "Connect Google Drive", "allow")
    wait(browser, 15).until(lambda d: status_of(d, "Connect Google Drive") == "Completed")
    # A reload mid-way keeps the token and the progress.
    browser.refresh()
    open_page(browser, browser.current_url)
    assert browser.find_element(By.ID, "progress").text == "2 of 3 completed"
    helpdesk = card(browser, "Helpdesk API key")
    helpdesk.find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
    helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]").send_keys("https://helpdesk.example.com/api")
    helpdesk.find_element(By.CSS_SELECTOR, "input[name=api_key]").send_keys("hd_live_9f3a7c1e2b54")
    helpdesk.find_element(By.XPATH, ".//button[text()='Save']").click()
    wait(browser).until(EC.visibility_of_element_located((By.ID, "done")))
    assert browser.find_element(By.ID, "done-title").text == "All set"
    assert "You can close this page" in browser.find_element(By.ID, "done-text").text
    assert console_errors(browser) == []


def forge(token, **claims):
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return ".".join([header, forged, signature])


def truncated(token):
    return token[:-12]


# Item 3 of the issue: each bad link says what is wrong with it and offers the way on (a
# field for the new link); none of them offers a retry, which could not help.
@pytest.mark.parametrize("make_token, title, text", [
    (lambda site: site.token(user="late", expires_in=1)["token"], "This link has expired", "Ask Support Triage for a new one"),
    (lambda site: forge(site.token(user="tamper")["token"], user_id="customer-0001"), "This link doesn't work", "Open it again from Support Triage"),
    (lambda site: truncated(site.token(user="cut")["token"]), "This link doesn't work", "paste the whole link here"),
    (lambda site: "not-a-token", "This link doesn't work", "Open it again from the app that sent you here"),
    (lambda site: "", "This page needs your link", "Open the link the app gave you"),
], ids=["expired", "tampered", "truncated", "garbage", "missing"])
def test_a_bad_link_gets_a_clear_screen(site, browser, make_token, title, text):
    token = make_token(site)
    time.sleep(1.5)
    browser.execute_script("sessionStorage.clear()") if browser.current_url.startswith("http") else None
    open_page(browser, site.connect_url(token) if token else site.base + "/connect/")
    problem = browser.find_element(By.ID, "problem")
    wait(browser).until(lambda d: browser.find_element(By.ID, "problem-title").text == title)
    assert problem.is_displayed() and problem.get_attribute("role") == "alert"
    assert text in problem.find_element(By.CSS_SELECTOR, ".problem-text").text
    assert problem.find_element(By.CSS_SELECTOR, "form.paste input").is_displayed()
    assert not problem.find_element(By.CSS_SELECTOR, ".retry").is_displayed()
    assert not browser.find_element(By.ID, "checklist").is_displayed()


def test_an_unreachable_upstream_retries_by_itself_with_backoff(tmp_path, browser):
    from conftest import Site, free_port
    down = Site(tmp_path, upstream=f"http://127.0.0.1:{free_port()}")
    try:
        token = forge("eyJhbGciOiJFUzI1NiJ9.e30.sig", exp=int(time.time()) + 3600, app_name="Support Triage")
        open_page(browser, down.connect_url(token))
        wait(browser).until(lambda d: d.find_element(By.ID, "problem-title").text == "The service isn't answering")
        text = browser.find_element(By.CSS_SELECTOR, "#problem .problem-text").text
        assert "Trying again in 2 s" in text or "Trying again in 1 s" in text, text
        # It tries again by itself, waiting longer each time.
        wait(browser, 8).until(lambda d: "in 4 s" in d.find_element(By.CSS_SELECTOR, "#problem .problem-text").text
                               or "in 3 s" in d.find_element(By.CSS_SELECTOR, "#problem .problem-text").text)
        retry = browser.find_element(By.CSS_SELECTOR, "#problem .retry")
        assert retry.is_displayed() and retry.text == "Try again now"
        retry.click()
        wait(browser).until(lambda d: d.find_element(By.ID, "problem").is_displayed()
                            and "Trying again in" in d.find_element(By.CSS_SELECTOR, "#problem .problem-text").text)
    finally:
        down.stop()


def test_field_errors_from_the_server_appear_beside_their_fields(tmp_path, browser):
    """The page's catalog lets any text through for the URL; the sandbox, with the real
    catalog, refuses it, and its 400 `details` land beside the field."""
    from conftest import REPO, Site
    import shutil
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    types = (content / "connection-types.yaml").read_text()
    start = types.index("dynamiq.connections.HttpApiKey")
    end = types.index("type: url", start)
    (content / "connection-types.yaml").write_text(types[:end] + "type: string" + types[end + len("type: url"):])
    lenient = Site(tmp_path / "run", content=content, sandbox_content=REPO / "content") if (tmp_path / "run").mkdir() is None else None
    try:
        open_page(browser, lenient.connect_url(lenient.token(user="server-errors")["token"]))
        helpdesk = card(browser, "Helpdesk API key")
        helpdesk.find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
        url = helpdesk.find_element(By.CSS_SELECTOR, "input[name=url]")
        url.send_keys("ftp://files.example.com")
        helpdesk.find_element(By.CSS_SELECTOR, "input[name=api_key]").send_keys("k")
        helpdesk.find_element(By.XPATH, ".//button[text()='Save']").click()
        error = wait(browser).until(lambda d: d.find_element(By.ID, url.get_attribute("id") + "-error").text or None)
        assert error == "must be an http or https URL"
        assert "Some fields need your attention." in helpdesk.find_element(By.CSS_SELECTOR, ".requirement-note").text
        assert status_of(browser, "Helpdesk API key") == "Pending"
    finally:
        lenient.stop()


def test_titles_with_markup_are_shown_as_text_and_never_run(tmp_path, browser):
    from conftest import REPO, Site
    import shutil
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    sandbox = (content / "sandbox.yaml").read_text().replace("title: Helpdesk API key", "title: '" + hostile + "'")
    (content / "sandbox.yaml").write_text(sandbox.replace("Read-only access to your helpdesk tickets.", "<b onmouseover=alert(1)>bold</b>"))
    (tmp_path / "run").mkdir()
    evil = Site(tmp_path / "run", content=content)
    try:
        open_page(browser, evil.connect_url(evil.token(user="xss")["token"]))
        assert card(browser, hostile).find_element(By.CSS_SELECTOR, ".requirement-description").text == "<b onmouseover=alert(1)>bold</b>"
        assert browser.execute_script("return window.__pwned") is None
        assert browser.find_elements(By.CSS_SELECTOR, ".requirement-head img, .requirement-description img, .requirement script, .requirement b") == []
    finally:
        evil.stop()


@pytest.mark.parametrize("query, language, title, progress", [
    ("?lang=de", "en-US", "Verbinden Sie Ihre Konten", "0 von 3 erledigt"),
    ("", "fr-FR", "Connectez vos comptes", "0 sur 3 terminé(s)"),
    ("?lang=ja", "en-US", "アカウントを接続してください", "3 件中 0 件完了"),
    ("?lang=es", "de-DE", "Conecta tus cuentas", "0 de 3 completados"),
    ("?lang=xx", "pt-BR", "Connect your accounts", "0 of 3 completed"),
])
def test_the_page_speaks_the_readers_language(site, query, language, title, progress):
    from conftest import make_driver
    driver = make_driver(language=language)
    try:
        open_page(driver, site.connect_url(site.token(user="polyglot")["token"], query))
        assert driver.find_element(By.ID, "heading").text == title
        assert driver.find_element(By.ID, "progress").text == progress
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == (query[6:] if query and query != "?lang=xx" else language.split("-")[0] if language.startswith("fr") else "en")
    finally:
        driver.quit()


def test_the_token_never_reaches_the_servers_log(site, browser):
    token = site.token(user="log-check")["token"]
    open_page(browser, site.connect_url(token))
    open_page(browser, f"{site.base}/connect/?token={token}")
    assert "token" not in browser.current_url
    log = site.log.read_text()
    assert "GET /connect/" in log
    assert token not in log and token.split(".")[2] not in log
    assert "Bearer" not in log


def test_a_blocked_popup_sends_the_page_to_the_provider_and_back(site, browser):
    token = site.token(user="no-popups")["token"]
    open_page(browser, site.connect_url(token))
    browser.execute_script("window.open = function () { return null; }")
    card(browser, "Connect your Gmail account").find_element(By.XPATH, ".//button[text()='Connect Gmail']").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "button[value=allow]")))
    assert "/sandbox/consent/" in browser.current_url and token not in browser.current_url
    browser.find_element(By.CSS_SELECTOR, "button[value=allow]").click()

    def answered(driver):
        # The form's POST replaces the page: the old body may go stale while we look.
        try:
            return "close this tab" in driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return False
    wait(browser).until(answered)
    # Back on the connect page, the token is still in the tab's session.
    open_page(browser, site.base + "/connect/")
    assert status_of(browser, "Connect your Gmail account") == "Completed"
