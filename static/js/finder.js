// The zone finder: apply a new sort at once, and keep the comparison to at most four zones.
// Everything works without this script; it only saves clicks.
(function () {
  "use strict";

  var filters = document.getElementById("finder-form");
  if (filters) {
    var sort = filters.querySelector("select[name=sort]");
    if (sort) {
      sort.addEventListener("change", function () {
        filters.requestSubmit ? filters.requestSubmit() : filters.submit();
      });
    }
  }

  var compare = document.getElementById("compare-form");
  if (!compare) {
    return;
  }
  var max = parseInt(compare.dataset.max, 10) || 4;
  var button = document.getElementById("compare-button");
  var status = document.getElementById("compare-status");
  var picks = Array.prototype.slice.call(document.querySelectorAll("input.compare-pick"));

  function update() {
    var count = picks.filter(function (box) { return box.checked; }).length;
    picks.forEach(function (box) {
      box.disabled = !box.checked && count >= max;
    });
    button.disabled = count < 2;
    if (status && status.dataset.template) {
      status.textContent = status.dataset.template
        .replace("%(count)s", String(count))
        .replace("%(max)s", String(max));
    }
  }

  picks.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
