"""Our plotly.js bundle in a real Chromium: it registers exactly the trace types its manifest
lists (so ``tests/dashboards/test_plotly_bundle.py``'s check of the chart builders against the
manifest holds for the file itself) and draws each of them."""

from __future__ import annotations

import json

from tests.dashboards.test_plotly_bundle import BASE_DIR, BUNDLE, MANIFEST

BASE_MAP = BASE_DIR / "static" / "geo" / "asia_50m.json"

DRAW_EACH = """async ([traces, baseMap]) => {
  // Geo traces get our own base map, as charts.js gives them: the page has no network.
  window.PlotlyGeoAssets.topojson.asia_50m = baseMap;
  const drawn = {};
  for (const type of traces) {
    const element = document.createElement("div");
    document.body.appendChild(element);
    const data = type === "choropleth"
      ? [{type, locations: ["PAK"], z: [1]}]
      : type === "scattergeo" ? [{type, lon: [70], lat: [30]}] : [{type, x: [1, 2], y: [3, 4]}];
    await Plotly.newPlot(element, data, {geo: {scope: "asia", resolution: 50}},
      {topojsonURL: "data:,"});
    drawn[type] = element.querySelectorAll(".main-svg").length > 0
      && element._fullData[0].type === type;
  }
  return drawn;
}"""


def test_the_bundle_registers_and_draws_exactly_the_manifests_traces(browser):
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
        page.add_script_tag(content=BUNDLE.read_text(encoding="utf-8"))

        registered = page.evaluate("() => Object.keys(Plotly.PlotSchema.get().traces).sort()")
        base_map = json.loads(BASE_MAP.read_text(encoding="utf-8"))
        drawn = page.evaluate(DRAW_EACH, [manifest["traces"], base_map])
    finally:
        page.close()

    assert registered == sorted(manifest["traces"])
    assert drawn == dict.fromkeys(manifest["traces"], True)
    assert errors == []
