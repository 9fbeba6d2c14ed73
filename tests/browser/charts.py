"""Charts are drawn only as they come near the viewport (static/js/charts.js): a test that
wants every chart drawn scrolls to each in turn, as a reader would, and waits for it."""

from __future__ import annotations

PLOTS = ".plot[data-figure]"
SETTLED = "(plot) => Boolean(plot.dataset.drawn)"  # "true", or "failed" with its message shown


def scroll_to_every_chart(page) -> int:
    """Scroll each chart into view, top to bottom, and wait until charts.js has drawn it (or
    given up on it); returns how many charts the page has. Callers check they all say "true"."""
    plots = page.locator(PLOTS)
    count = plots.count()
    for index in range(count):
        plot = plots.nth(index)
        plot.scroll_into_view_if_needed()
        page.wait_for_function(SETTLED, arg=plot.element_handle())
    return count
