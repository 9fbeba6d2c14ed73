/* Draws every Plotly figure on the page from the JSON the server embedded next to it.
 * Maps get their base map (TopoJSON) from our own static files before plotting, so
 * plotly.js never reaches for its CDN. No inline scripts: this file is loaded with <script src>. */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud"],
  };
  var baseMaps = {};

  function topojsonName(layout) {
    var geo = layout.geo || {};
    return (geo.scope || "world").replace(/ /g, "-") + "_" + (geo.resolution || 110) + "m";
  }

  function loadBaseMap(url, name) {
    if (!baseMaps[url]) {
      baseMaps[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("base map " + url + ": HTTP " + response.status);
          return response.json();
        })
        .then(function (topojson) {
          window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
          window.PlotlyGeoAssets.topojson[name] = topojson;
        });
    }
    return baseMaps[url];
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source) return Promise.resolve();
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    var config = Object.assign({}, CONFIG, {
      // Never the CDN: a base map not preloaded is looked for next to ours.
      topojsonURL: element.dataset.baseMap
        ? element.dataset.baseMap.replace(/[^/]*$/, "")
        : "data:,",
    });
    var ready = element.dataset.baseMap
      ? loadBaseMap(element.dataset.baseMap, topojsonName(layout))
      : Promise.resolve();
    return ready
      .then(function () {
        return window.Plotly.newPlot(element, figure.data || [], layout, config);
      })
      .then(function () {
        element.dataset.drawn = "true";
      })
      .catch(function (error) {
        element.dataset.drawn = "failed";
        var message = document.createElement("p");
        message.className = "plot-error";
        message.textContent = element.dataset.errorText || "This chart could not be drawn; the table below has its numbers.";
        element.appendChild(message);
        console.error(error);
      });
  }

  function drawAll() {
    if (!window.Plotly) return;
    var elements = document.querySelectorAll(".plot[data-figure]");
    Array.prototype.forEach.call(elements, draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
