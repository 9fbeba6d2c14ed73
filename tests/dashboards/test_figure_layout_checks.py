"""Pages skip Plotly's checks of a figure's layout and traces
(``dashboards.figures.VALIDATE_LAYOUT``): a figure made without them is drawn from the same
JSON, and the tests keep them on, so that a misspelt property still fails here."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from dashboards import figures, zone_page_charts
from dashboards.data import ZoneMilestone, ZoneUtility
from zones.models import Zone


def drawn(figure) -> dict:
    """The figure's JSON as plotly.js reads it: an empty list (``add_vline`` leaves
    ``annotations: []`` where the checks leave none) draws nothing, like an absent one."""
    found = json.loads(figures.figure_json(figure))  # as a page sends it
    found["layout"] = {key: value for key, value in found["layout"].items() if value != []}
    return found


def built(validate: bool, monkeypatch) -> list[dict]:
    monkeypatch.setattr(figures, "VALIDATE_LAYOUT", validate)
    d = datetime.date
    milestone = ZoneMilestone(
        "Power", "m", "federal", "Federal", "done", "Done", d(2020, 1, 1), None, d(2020, 9, 1),
        False,
    )  # fmt: skip
    utility = ZoneUtility(
        "electricity", "Electricity", "connected", "Connected", 1.0, 2.0, "MW", "PESCO", None
    )
    empty = figures.figure(
        "Nothing yet",
        x_title="Year",
        y_title="Jobs",
        data=[{"type": "bar", "x": ["a"], "y": [1]}],
        no_data="No records",
    )
    return [
        drawn(figure)
        for figure in (
            zone_page_charts.zone_milestone_timeline([milestone], today=d(2024, 1, 1)).figure,
            zone_page_charts.zone_utilities([utility]).figure,
            empty,
        )
    ]


def test_a_figure_made_without_the_checks_is_drawn_the_same(monkeypatch):
    assert built(False, monkeypatch) == built(True, monkeypatch)


def test_the_tests_keep_the_checks_so_a_misspelt_property_fails():
    assert figures.VALIDATE_LAYOUT is True
    with pytest.raises(ValueError, match="titel"):
        figures.figure("Title", titel={"text": "misspelt"})


def test_the_tests_check_the_traces_too_so_a_misspelt_trace_property_fails():
    with pytest.raises(ValueError, match="colour"):
        figures.figure("Title", data=[{"type": "bar", "x": ["a"], "y": [1], "colour": "red"}])


FIGURE = re.compile(r'<script id="(figure-[^"]+)" type="application/json">(.*?)</script>', re.S)


def sent_figures(client, url: str) -> dict[str, dict]:
    """Every figure ``url`` sends, by its element's id, as plotly.js reads it."""
    cache.clear()  # built afresh, not the copy the other setting kept
    response = client.get(url)
    assert response.status_code == 200, url
    return {key: json.loads(body) for key, body in FIGURE.findall(response.content.decode())}


@pytest.mark.django_db
def test_every_page_sends_the_same_figures_unchecked_as_checked(client, monkeypatch):
    """The builders hand plotly plain trace dictionaries, which its checks would change where
    plotly.py fills something in (a named colour scale spelt out, an empty property dropped):
    unchecked, as served, every chart of the demo country's pages must come out the same."""
    call_command("seed_demo")
    zones = Zone.objects.filter(published=True).order_by("pk")
    urls = ["/", "/provinces/PK-SD/", "/delivery/", "/policy/"]
    urls += [zone.get_absolute_url() for zone in zones]
    urls = [*urls, *(f"{url}?illustrative=include" for url in urls[:4])]
    drawn = 0
    for url in urls:
        monkeypatch.setattr(figures, "VALIDATE_LAYOUT", True)
        checked = sent_figures(client, url)
        monkeypatch.setattr(figures, "VALIDATE_LAYOUT", False)
        assert sent_figures(client, url) == checked, url
        drawn += len(checked)
    assert drawn >= 3 * len(zones) + 12  # every zone page's charts and the dashboard's, at least
