"""axe-core finds no violation on the connect page, in light and dark, at 320 and 1280 px;
and the screenshots a person reviews (and the guide shows) are saved for every case."""
import pytest
from selenium_axe_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SCREENSHOTS, make_driver


def settle(driver):
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "requirements").get_attribute("aria-busy") == "false"
                                    or d.find_element(By.ID, "problem").is_displayed())


def violations(driver):
    axe = Axe(driver)
    axe.inject()
    found = axe.run()["violations"]
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'])})" for v in found]


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_axe_violation_in_any_state(site, width, dark):
    driver = make_driver(width=width, height=1100, dark=dark)
    scheme = "dark" if dark else "light"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        # The checklist, with a credentials form open.
        driver.get(site.connect_url(site.token(user=f"axe-{width}-{scheme}")["token"]))
        settle(driver)
        driver.find_element(By.XPATH, "//button[text()='Enter credentials']").click()
        assert violations(driver) == []
        client = driver.execute_script("return document.documentElement.clientWidth")
        assert width - 20 <= client <= width, "the viewport is not the width under test"
        assert driver.execute_script("return document.documentElement.scrollWidth") <= client, "the page scrolls sideways"
        driver.save_screenshot(str(SCREENSHOTS / f"connect-checklist-{width}-{scheme}.png"))
        # A field error.
        driver.find_element(By.XPATH, "//button[text()='Save']").click()
        assert violations(driver) == []
        # The expired-link screen.
        driver.get(site.connect_url(site.token(user="axe-expired", expires_in=1)["token"]))
        driver.execute_script("return 1")
        import time
        time.sleep(1.2)
        driver.refresh()
        settle(driver)
        assert driver.find_element(By.ID, "problem").is_displayed()
        assert violations(driver) == []
        driver.save_screenshot(str(SCREENSHOTS / f"connect-expired-{width}-{scheme}.png"))
        # The sandbox's consent page.
        token = site.token(user=f"axe-consent-{width}-{scheme}")["token"]
        import json, urllib.request
        request = urllib.request.Request(f"{site.base}/v1/connect/requirements/2affdc04-ece1-4f5d-8116-d0491f513c6e/oauth2/authorize",
                                         method="POST", headers={"Authorization": "Bearer " + token})
        driver.get(json.load(urllib.request.urlopen(request))["data"]["url"])
        assert violations(driver) == []
        driver.save_screenshot(str(SCREENSHOTS / f"consent-{width}-{scheme}.png"))
    finally:
        driver.quit()
