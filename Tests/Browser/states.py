"""Brings a browser to each state of the connect page's state model, for the accessibility
test and for the guide's screenshots (`make screenshots`).

The states the sandbox reaches by itself are reached through it. Five answers of a broken or
busy platform (a slow answer, 404, 429, 502, no network) are made on the page's own
status call with a script the browser runs before the page (DevTools, outside the page's
CSP): the page reacts to them exactly as to the real ones, which `test_connect_journey.py`
provokes with real servers."""
import json
import time
import urllib.request
from urllib.parse import urlencode

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DRIVE = "2affdc04-ece1-4f5d-8116-d0491f513c6e"
GMAIL = "9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6"

# In the order the guide shows them.
STATES = ["loading", "checklist", "form", "waiting", "denied", "closed", "completed", "done",
          "expired", "invalid", "wrongapp", "ratelimited", "down", "offline", "missing"]


def wait(driver, seconds=10):
    return WebDriverWait(driver, seconds)


def answer_status_with(driver, status, body, headers=None, delay_ms=0):
    """Makes the page's status call get this answer; returns what undoes it."""
    source = """(function () {
      var real = window.fetch;
      window.fetch = function (url) {
        if (String(url).indexOf("/v1/connect/requirements/status") < 0) return real.apply(this, arguments);
        return new Promise(function (resolve) { setTimeout(function () {
          resolve(new Response(%s, { status: %d, headers: %s }));
        }, %d); });
      };
    })();""" % (json.dumps(json.dumps(body)), status, json.dumps({"Content-Type": "application/json", **(headers or {})}), delay_ms)
    return driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})["identifier"]


def undo(driver, identifier):
    driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier})


def fresh_page(driver, url):
    driver.get("about:blank")
    driver.get(url)


def settled(driver):
    wait(driver).until(lambda d: d.find_element(By.ID, "requirements").get_attribute("aria-busy") == "false"
                       or d.find_element(By.ID, "problem").is_displayed())


def card(driver, requirement_title):
    return wait(driver).until(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, ".requirement:not(.placeholder)")
                                              if li.find_element(By.CSS_SELECTOR, ".requirement-title").text == requirement_title), None))


def consent(site, token, requirement, kind, decision):
    request = urllib.request.Request(f"{site.base}/v1/connect/requirements/{requirement}/{kind}/authorize", method="POST",
                                     headers={"Authorization": "Bearer " + token})
    url = json.load(urllib.request.urlopen(request, timeout=5))["data"]["url"]
    urllib.request.urlopen(urllib.request.Request(url, data=urlencode({"decision": decision}).encode(), method="POST"), timeout=5).close()


def save_helpdesk(site, token):
    body = json.dumps({"type": "dynamiq.connections.HttpApiKey",
                       "config": {"url": "https://helpdesk.example.com/api", "api_key": "hd_live_state"}}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{site.base}/v1/connect/requirements/5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed/credentials",
                                                  data=body, method="POST", headers={"Authorization": "Bearer " + token,
                                                                                     "Content-Type": "application/json"}), timeout=5).close()


def close_other_windows(driver, page):
    for handle in driver.window_handles:
        if handle != page:
            driver.switch_to.window(handle)
            driver.close()
    driver.switch_to.window(page)


def go(driver, site, state, user):
    """Shows `state` for a new user; returns a function that undoes what it set up."""
    token = lambda **extra: site.token(user=user, **extra)["token"]
    done = lambda: None
    if state in ("checklist", "form", "waiting", "closed", "completed", "denied", "done"):
        t = token()
        if state == "completed":
            save_helpdesk(site, t)
        if state == "denied":
            consent(site, t, DRIVE, "oauth2", "deny")
        if state == "done":
            save_helpdesk(site, t)
            consent(site, t, GMAIL, "pipedream", "allow")
            consent(site, t, DRIVE, "oauth2", "allow")
        fresh_page(driver, site.connect_url(t))
        settled(driver)
        if state == "form":
            card(driver, "Helpdesk API key").find_element(By.XPATH, ".//button[text()='Enter credentials']").click()
            wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.credentials input"))
        if state in ("waiting", "closed"):
            page = driver.current_window_handle
            card(driver, "Connect your Gmail account").find_element(By.CSS_SELECTOR, ".requirement-actions button").click()
            wait(driver).until(lambda d: len(d.window_handles) == 2)
            if state == "closed":
                time.sleep(3.2)
                close_other_windows(driver, page)
                wait(driver).until(lambda d: "window closed" in card(d, "Connect your Gmail account").text)
            else:
                driver.switch_to.window(page)
                wait(driver).until(lambda d: "Finish in the Gmail window" in card(d, "Connect your Gmail account").text)
                done = lambda: close_other_windows(driver, page)
        if state == "denied":
            wait(driver).until(lambda d: "You declined" in card(d, "Connect Google Drive").text)
        if state == "done":
            wait(driver).until(EC.visibility_of_element_located((By.ID, "done")))
        return done
    if state == "expired":
        t = token(expires_in=1)
        time.sleep(1.2)
        fresh_page(driver, site.connect_url(t))
    elif state == "invalid":
        fresh_page(driver, site.connect_url(token()[:-10]))
    elif state == "missing":
        driver.get(site.base + "/connect/")
        driver.execute_script("sessionStorage.clear()")
        fresh_page(driver, site.base + "/connect/")
    elif state in ("loading", "wrongapp", "ratelimited", "down"):
        answers = {"loading": (200, {"data": []}, {}, 60000),
                   "wrongapp": (404, {"error": {"code": "not_found", "message": "Not Found"}}, {}, 0),
                   "ratelimited": (429, {"error": {"code": "too_many_requests", "message": "Too Many Requests"}}, {"Retry-After": "30"}, 0),
                   "down": (502, {"error": {"code": "bad_gateway", "message": "Bad Gateway"}}, {}, 0)}
        status, body, headers, delay = answers[state]
        identifier = answer_status_with(driver, status, body, headers, delay)
        fresh_page(driver, site.connect_url(token()))
        done = lambda: undo(driver, identifier)
        if state == "loading":
            wait(driver).until(lambda d: d.find_element(By.ID, "checklist").is_displayed())
            return done
    elif state == "offline":
        fresh_page(driver, site.connect_url(token()))
        settled(driver)
        conditions = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, **conditions})
        driver.execute_script("window.dispatchEvent(new Event('focus'))")
        done = lambda: driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, **conditions})
    wait(driver).until(lambda d: d.find_element(By.ID, "problem").is_displayed() and d.find_element(By.ID, "problem-title").text)
    return done
