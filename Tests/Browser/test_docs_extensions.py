"""The guides' tables, callouts and tabs as a reader meets them: the connect tokens guide has
all three. Tabs switch like the operation pages' samples and share the reader's language
with them; without JavaScript the samples stand one after the other; at 320 px the table
scrolls inside its own region and the page never scrolls sideways."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import console_errors, make_driver

GUIDE = "/docs/connect-tokens/"


def center(driver, element):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)


def test_a_guide_shows_its_table_callout_and_tabs(site, browser):
    browser.get(site.base + GUIDE)
    region = browser.find_element(By.CSS_SELECTOR, "main .table-wrap[role=region][tabindex='0']")
    assert region.get_attribute("aria-label") == "Table: Form, Sent to servers, Address"
    assert [th.text for th in region.find_elements(By.CSS_SELECTOR, "thead th")] == ["Form", "Sent to servers", "Address"]
    assert len(region.find_elements(By.CSS_SELECTOR, "tbody tr")) == 2
    # Alignment is a class: the site's CSP allows no style attribute.
    cell = region.find_element(By.CSS_SELECTOR, "tbody td.align-center")
    assert browser.execute_script("return getComputedStyle(arguments[0]).textAlign", cell) == "center"

    callout = browser.find_element(By.CSS_SELECTOR, "main .callout.callout-warning[role=note]")
    assert callout.find_element(By.CSS_SELECTOR, ".callout-title").text == "Warning"
    assert "Access Key stays on your backend" in callout.text
    assert not browser.find_elements(By.CSS_SELECTOR, "main blockquote")

    tabs = browser.find_elements(By.CSS_SELECTOR, "main [data-samples] [role=tab]")
    assert [t.text for t in tabs] == ["curl", "Python", "JavaScript"]
    panels = browser.find_elements(By.CSS_SELECTOR, "main [data-samples] .sample")
    assert [p.is_displayed() for p in panels] == [True, False, False]
    center(browser, tabs[1])
    tabs[1].click()
    assert [p.is_displayed() for p in panels] == [False, True, False]
    assert "requests.post(" in panels[1].text
    # Highlighted at build time inside the tab.
    assert panels[1].find_elements(By.CSS_SELECTOR, "code.language-python .tok-k")
    # The keyboard moves along the tabs.
    browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert [p.is_displayed() for p in panels] == [False, False, True]
    assert browser.switch_to.active_element.text == "JavaScript"
    assert console_errors(browser) == []


def test_the_readers_language_carries_over_between_guides_and_the_api(site, browser):
    browser.get(site.base + GUIDE)
    python = browser.find_element(By.CSS_SELECTOR, "main [data-samples] [role=tab][aria-controls$='-python']")
    center(browser, python)
    python.click()
    browser.get(site.base + "/api/createConnectToken/")
    assert browser.find_element(By.ID, "sample-python").is_displayed()
    assert not browser.find_element(By.ID, "sample-curl").is_displayed()
    javascript = browser.find_element(By.CSS_SELECTOR, "[data-samples] [role=tab][aria-controls='sample-javascript']")
    center(browser, javascript)
    javascript.click()
    browser.get(site.base + GUIDE)
    shown = [p.get_attribute("data-sample") for p in browser.find_elements(By.CSS_SELECTOR, "main [data-samples] .sample") if p.is_displayed()]
    assert shown == ["javascript"]


def test_without_javascript_the_samples_stand_one_after_the_other(site):
    driver = make_driver(javascript=False)
    try:
        driver.get(site.base + GUIDE)
        titles = driver.find_elements(By.CSS_SELECTOR, "main [data-samples] .sample-title")
        assert [t.text for t in titles if t.is_displayed()] == ["curl", "Python", "JavaScript"]
        assert all(p.is_displayed() for p in driver.find_elements(By.CSS_SELECTOR, "main [data-samples] pre"))
        assert not driver.find_elements(By.CSS_SELECTOR, "[role=tab]")
        # The titles are headings one level below the section's: h3 under its h2.
        assert {t.tag_name for t in titles} == {"h3"}
    finally:
        driver.quit()


def test_at_320_px_tables_scroll_in_their_region_not_the_page(site):
    for dark in (False, True):
        driver = make_driver(width=320, height=700, dark=dark)
        try:
            for path in (GUIDE, "/docs/running-connect-server/", "/docs/end-user-requirements/"):
                driver.get(site.base + path)
                driver.find_element(By.CSS_SELECTOR, ".theme-toggle")  # the scripts have run
                found = driver.execute_script("""
                    const root = document.documentElement;
                    const regions = [...document.querySelectorAll('.table-wrap')];
                    return {scroll: root.scrollWidth, width: root.clientWidth,
                            regions: regions.map(r => ({right: r.getBoundingClientRect().right, inner: r.scrollWidth, outer: r.clientWidth,
                                                         overflow: getComputedStyle(r).overflowX}))};
                """)
                assert found["regions"], path
                assert found["scroll"] <= found["width"], f"{path} scrolls sideways at 320 px: {found}"
                for region in found["regions"]:
                    assert region["right"] <= found["width"] + 0.5, (path, region)
                    assert region["overflow"] == "auto"
                # At least one table is wider than the phone and scrolls inside its region.
                if path == "/docs/running-connect-server/":
                    assert any(r["inner"] > r["outer"] for r in found["regions"]), found
        finally:
            driver.quit()
