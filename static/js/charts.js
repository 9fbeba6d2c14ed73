/* Draws the Plotly figures the server embedded next to each chart, so that a page is usable
 * within seconds on a phone (issue 21):
 *
 * - each chart's height is reserved at once from its figure, so nothing moves as charts appear;
 * - a chart is drawn only when it comes near the viewport (IntersectionObserver), and plotly.js
 *   itself (data-plotly on this script's tag) is loaded only when the first chart does;
 * - charts are drawn one at a time, the one nearest the reader first, and the main thread is
 *   given back between two charts so that taps and scrolling are answered in between;
 * - every chart's numbers stay in the page as a table (its <details>), with or without scripts.
 *
 * Maps get their base map (TopoJSON) from our own static files before plotting, so plotly.js
 * never reaches for its CDN. No inline scripts: this file is loaded with <script src defer>. */
(function () {
  "use strict";
  if (window.sezCharts) return; // the page included this script twice: one drawer is enough
  window.sezCharts = true;

  var script = document.currentScript;
  var PLOTLY_URL = script && script.dataset.plotly;
  // How near the viewport a chart starts drawing: about half a phone screen ahead.
  var NEAR = "400px 0px";
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud"],
  };
  var baseMaps = {};
  var plotlyLoaded = null;
  var pending = [];
  var running = false;

  function figureOf(element) {
    var source = document.getElementById(element.dataset.figure);
    return source ? JSON.parse(source.textContent) : null;
  }

  // Reserves the figure's own height (layout.height) before anything is drawn, where the
  // stylesheet cannot (attr() typed as a length: dashboards.css).
  var CSS_RESERVES = !!(window.CSS && CSS.supports && CSS.supports("min-height", "attr(data-height px)"));

  function reserve(element) {
    if (CSS_RESERVES && element.dataset.height) return;
    var figure = figureOf(element);
    var height = figure && figure.layout && figure.layout.height;
    if (height) element.style.minHeight = height + "px";
  }

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve();
    if (!plotlyLoaded) {
      plotlyLoaded = new Promise(function (resolve, reject) {
        if (!PLOTLY_URL) return reject(new Error("charts.js: no data-plotly on its script tag"));
        var tag = document.createElement("script");
        tag.src = PLOTLY_URL;
        tag.async = true;
        tag.onload = function () {
          resolve();
        };
        tag.onerror = function () {
          reject(new Error("plotly.js could not be loaded from " + PLOTLY_URL));
        };
        document.head.appendChild(tag);
      });
    }
    return plotlyLoaded;
  }

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
    var figure = figureOf(element);
    if (!figure) return Promise.resolve();
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
    return Promise.all([loadPlotly(), ready])
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

  // Lets the browser handle input and paint before the next chart (scheduler.yield where the
  // browser has it: the rest of the queue keeps its place ahead of other tasks).
  function yieldToBrowser() {
    if (window.scheduler && typeof window.scheduler.yield === "function") {
      return window.scheduler.yield();
    }
    return new Promise(function (resolve) {
      setTimeout(resolve, 0);
    });
  }

  // The pending chart nearest the viewport (one inside it first), earlier ones on a tie.
  function nearest() {
    var best = 0;
    var bestDistance = Infinity;
    var height = window.innerHeight || document.documentElement.clientHeight;
    pending.forEach(function (element, index) {
      var box = element.getBoundingClientRect();
      var distance = box.bottom < 0 ? -box.bottom : Math.max(0, box.top - height);
      if (distance < bestDistance) {
        best = index;
        bestDistance = distance;
      }
    });
    return pending.splice(best, 1)[0];
  }

  function drawPending() {
    if (!pending.length) {
      running = false;
      return;
    }
    draw(nearest()).then(yieldToBrowser).then(drawPending);
  }

  function enqueue(element) {
    if (pending.indexOf(element) === -1) pending.push(element);
    if (!running) {
      running = true;
      drawPending();
    }
  }

  function start() {
    var elements = Array.prototype.slice.call(document.querySelectorAll(".plot[data-figure]"));
    elements.forEach(reserve);
    if (!("IntersectionObserver" in window)) {
      elements.forEach(enqueue);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            enqueue(entry.target);
          }
        });
      },
      { rootMargin: NEAR }
    );
    elements.forEach(function (element) {
      observer.observe(element);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
