/* Import progress: poll the job's status URL and move the <progress> bar until the job
 * finishes, then reload the page, which the server renders with the final report. */
(function () {
  "use strict";

  var box = document.getElementById("import-progress");
  if (!box || !box.dataset.statusUrl || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var message = box.querySelector("[data-progress-message]");
  var interval = 1000;
  var delay = interval;

  function show(state) {
    if (state.total > 0) {
      bar.max = state.total;
      bar.value = Math.min(state.done, state.total);
    } else {
      bar.removeAttribute("value");
    }
    bar.textContent = state.message;
    message.textContent = state.message;
  }

  function poll() {
    fetch(box.dataset.statusUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
        delay = interval;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, interval);
})();
