"""axe-core finds no violation on the connect page in any state of its state model, in light
and dark, at 320 and 1280 px; and the screenshots a person reviews (and the guide shows,
after `make screenshots`) are saved for every case."""
import base64
import json
import urllib.request

import pytest
from selenium_axe_python import Axe

from conftest import SCREENSHOTS, make_driver
from states import STATES, go


def violations(driver):
    axe = Axe(driver)
    axe.inject()
    found = axe.run()["violations"]
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'])})" for v in found]


def page_screenshot(driver, path):
    """The whole page, below the fold included."""
    size = driver.execute_script("return [document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                             "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_axe_violation_in_any_state(site, width, dark):
    driver = make_driver(width=width, height=1100, dark=dark)
    scheme = "dark" if dark else "light"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    try:
        for state in STATES:
            undo = go(driver, site, state, user=f"axe-{state}-{width}-{scheme}")
            try:
                problems = violations(driver)
                if problems:
                    found[state] = problems
                client = driver.execute_script("return document.documentElement.clientWidth")
                assert width - 20 <= client <= width, "the viewport is not the width under test"
                assert driver.execute_script("return document.documentElement.scrollWidth") <= client, f"{state}: the page scrolls sideways"
                driver.save_screenshot(str(SCREENSHOTS / f"connect-{state}-{width}-{scheme}.png"))
                if width == 320 and not dark:
                    # The guide's picture of the state: the page itself, as tall as it is.
                    page_screenshot(driver, SCREENSHOTS / f"state-{state}.png")
            finally:
                undo()
        assert found == {}
        # The sandbox's consent page.
        token = site.token(user=f"axe-consent-{width}-{scheme}")["token"]
        request = urllib.request.Request(f"{site.base}/v1/connect/requirements/2affdc04-ece1-4f5d-8116-d0491f513c6e/oauth2/authorize",
                                         method="POST", headers={"Authorization": "Bearer " + token})
        driver.get(json.load(urllib.request.urlopen(request))["data"]["url"])
        assert violations(driver) == []
        driver.save_screenshot(str(SCREENSHOTS / f"consent-{width}-{scheme}.png"))
    finally:
        driver.quit()
