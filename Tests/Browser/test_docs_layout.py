"""The docs' layout at a phone's, a tablet's and a desktop's width, light and dark: no page
scrolls sideways, and nothing in the top bar sits on anything else."""
import pytest

from conftest import make_driver
from test_docs import pages

OVERFLOW = """
const root = document.documentElement;
const bar = [...document.querySelectorAll('.topbar > *')].filter(e => e.getClientRects().length);
const boxes = bar.map(e => [e.className || e.tagName, e.getBoundingClientRect()]);
const overlaps = [];
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const [a, p] = boxes[i], [b, q] = boxes[j];
  if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) overlaps.push(a + ' / ' + b);
}
// Text wider than its own box spills over its neighbour though the boxes do not overlap.
for (const e of bar) if (e.scrollWidth > e.clientWidth + 1) overlaps.push((e.className || e.tagName) + ' clips its text');
const outside = boxes.filter(([, r]) => r.right > root.clientWidth + 0.5 || r.left < -0.5).map(([name]) => name);
return {scroll: root.scrollWidth, width: root.clientWidth, overlaps, outside};
"""


@pytest.mark.parametrize("width", [320, 768, 1280])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_docs_page_scrolls_sideways_or_overlaps_in_the_top_bar(site, width, dark):
    driver = make_driver(width=width, height=800, dark=dark)
    try:
        problems = []
        for entry in pages(site):
            driver.get(site.base + entry["path"])
            driver.find_element("css selector", ".theme-toggle")  # the scripts have run
            found = driver.execute_script(OVERFLOW)
            if found["scroll"] > found["width"] or found["overlaps"] or found["outside"]:
                problems.append(f"{entry['path']}: {found}")
        assert problems == [], f"at {width} px"
    finally:
        driver.quit()
