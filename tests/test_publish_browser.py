"""The published site in a real browser: Debian's Chromium, headless, driven by Playwright (never a browser of
its own download), with axe-core injected into every page, the network cut, at 400% zoom, by keyboard and
printed.

Each page is loaded once and everything is measured on that visit; each test then asserts one property over
every page of the two sites (2023/24 Q3 from the sample workbook, 2023/24 Q2 for every indicator rating).
"""

import shutil

import pytest

from tests.conftest import AXE, CHROMIUM_FLAGS, needed

#: WCAG 2.2 AA, as axe-core tags its rules: A and AA of 2.0, 2.1 and 2.2.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"

#: Every label of every chart with its colour and the colour of what it sits on (axe cannot judge SVG text).
CHART_TEXT = """() => [...document.querySelectorAll('svg text')].map(text => {
    const box = text.getBBox(), x = box.x + box.width / 2, y = box.y + box.height / 2;
    const under = [...text.ownerSVGElement.querySelectorAll('rect')].reverse().find(rect => {
        const r = rect.getBBox(); return x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height; });
    return [text.textContent, getComputedStyle(text).fill, under ? getComputedStyle(under).fill : 'rgb(255, 255, 255)'];
})"""

#: What sticks out past 320 CSS pixels other than inside a table's own scrolling region.
OVERFLOWING = """() => [...document.querySelectorAll('main *, header *, footer *')]
    .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > 321)
    .map(e => e.outerHTML.slice(0, 80))"""

#: Tables cut off on paper: wider than their region once printed.
CUT_ON_PAPER = """() => [...document.querySelectorAll('.table-scroll')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.getAttribute('aria-labelledby'))"""


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        needed("Chromium", "apt-get install chromium")
    if not AXE.exists():
        needed("axe-core", "npm ci --prefix tests/browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needed("Playwright", 'pip install -e ".[dev]"')
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def offline(browser):
    """A browsing context with the network cut, recording every request its pages make."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))
    yield context
    context.close()


@pytest.fixture(scope="module")
def visits(published, browser) -> dict[str, dict]:
    """Each page of both sites, loaded once with the network cut: axe-core's verdict, the requests it made, its
    charts' labels, what overflows at 320 pixels wide and what is cut off in print."""
    found = {}
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    for quarter, site in published.items():
        for path in sorted(site.glob("*.html")):
            requests = []
            page = context.new_page()
            page.on("request", lambda request, requests=requests: requests.append(request.url))
            page.goto(path.as_uri())
            visit = {"site": site, "requests": requests,
                     "font": page.evaluate("getComputedStyle(document.body).fontFamily"),
                     "chart_text": page.evaluate(CHART_TEXT)}
            page.add_script_tag(path=str(AXE))
            visit["axe"] = page.evaluate(AXE_RUN, WCAG_22_AA)
            page.set_viewport_size({"width": 320, "height": 256})  # 1280 pixels at 400% zoom
            visit["width_at_400%"] = page.evaluate("document.documentElement.scrollWidth")
            visit["overflowing_at_400%"] = page.evaluate(OVERFLOWING)
            page.set_viewport_size({"width": 1050, "height": 740})  # A4 landscape less its margins, at 96 dpi
            page.emulate_media(media="print")
            visit["printed_nav"] = page.evaluate("getComputedStyle(document.querySelector('nav')).display")
            visit["cut_on_paper"] = page.evaluate(CUT_ON_PAPER)
            found[f"{quarter} {path.name}"] = visit
            page.close()
    context.close()
    assert len(found) == 24  # 12 pages for each of the two quarters
    return found


def test_every_page_has_no_wcag_22_aa_violation_by_axe_core(visits):
    violations = {}
    for name, visit in visits.items():
        assert len(visit["axe"]["passes"]) > 10, name  # axe ran its rules
        found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                 for v in visit["axe"]["violations"]]
        if found:
            violations[name] = found
    assert not violations, violations


def test_axe_core_finds_a_violation_when_there_is_one(offline, tmp_path):
    """The check above can fail: a page without a language, with low-contrast text and an unnamed chart."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>'
                      '<p style="color:#aaa">Red</p><svg role="img"><rect width="9" height="9"/></svg></main>'
                      '</body></html>', encoding="utf-8")
    page = offline.new_page()
    page.goto(broken.as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(AXE_RUN, WCAG_22_AA)
    assert {"html-has-lang", "color-contrast", "svg-img-alt"} <= {v["id"] for v in result["violations"]}


def test_the_site_makes_no_request_outside_itself_with_the_network_cut(visits):
    for name, visit in visits.items():
        root = visit["site"].as_uri() + "/"
        assert visit["requests"] and all(url.startswith(root) for url in visit["requests"]), (name, visit["requests"])
        assert "Arial" in visit["font"], name  # the stylesheet, a file of the site, was loaded and applied


def test_a_request_outside_the_site_would_be_seen(offline, tmp_path):
    """The check above can fail: a page that loads an image from elsewhere is caught, even with the network cut."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<!DOCTYPE html><html lang="en"><body><img src="https://example.invalid/x.png" alt="x">'
                         '</body></html>', encoding="utf-8")
    page = offline.new_page()
    page.goto(page_file.as_uri())
    assert "https://example.invalid/x.png" in offline.requests


def test_every_page_reflows_at_400_percent_zoom(visits):
    """1280 CSS pixels at 400% is 320: nothing may need scrolling sideways but the tables, inside their region."""
    for name, visit in visits.items():
        assert visit["width_at_400%"] <= 320, (name, visit["width_at_400%"])
        assert not visit["overflowing_at_400%"], (name, visit["overflowing_at_400%"][:3])


def test_every_chart_label_is_legible_against_what_it_sits_on(visits):
    """axe cannot judge text inside SVG, so the charts' contrast is measured here: 4.5:1 for every label."""
    labels = [(name, *label) for name, visit in visits.items() for label in visit["chart_text"]]
    assert len(labels) > 100
    for name, text, ink, ground in labels:
        assert contrast(ink, ground) >= 4.5, (name, text, ink, ground)


def test_printing_hides_the_navigation_and_shows_every_table_whole(visits, offline, published):
    for name, visit in visits.items():
        assert visit["printed_nav"] == "none", name
        assert not visit["cut_on_paper"], (name, visit["cut_on_paper"])
    page = offline.new_page()
    page.goto((published["2023/24 Q3"] / "index.html").as_uri())
    assert page.pdf(format="A4", landscape=True).startswith(b"%PDF")


def test_the_keyboard_reaches_the_skip_link_first_then_everything_in_order(published, offline):
    page = offline.new_page()
    page.goto((published["2023/24 Q3"] / "index.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("({cls: document.activeElement.className, top: document.activeElement"
                            ".getBoundingClientRect().top, text: document.activeElement.textContent})")
    assert focused == {"cls": "skip-link", "top": pytest.approx(8, abs=4), "text": "Skip to main content"}
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")  # past the navigation, into the content
    page.goto((published["2023/24 Q3"] / "index.html").as_uri())
    reachable = page.evaluate("""() => [...document.querySelectorAll('a[href], [tabindex="0"]')]
                                 .map(e => e.outerHTML.slice(0, 120))""")
    visited = []
    for _ in reachable:
        page.keyboard.press("Tab")
        shown = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                 return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }""")
        visited.append(page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))
        assert shown, visited[-1]  # where the focus is can always be seen
    assert visited == reachable  # every link and scrolling table, in document order


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS rgb() colours."""
    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_measure_is_wcags():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)
