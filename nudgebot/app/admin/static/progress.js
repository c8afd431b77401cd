// Short polling of a broadcast's progress: once a second until it is done or cancelled.
// Written for this console and shipped in the wheel; no library, no CDN.
(function () {
  "use strict";
  var table = document.getElementById("progress");
  if (!table || table.dataset.done === "yes") { return; }
  function show(figures) {
    document.getElementById("state").textContent = figures.state;
    document.getElementById("count-total").textContent = figures.total;
    var open = 0;
    Object.keys(figures.counts).forEach(function (status) {
      var cell = document.getElementById("count-" + status);
      if (cell) { cell.textContent = figures.counts[status]; }
      if (status === "pending" || status === "sending") { open += figures.counts[status]; }
    });
    var bar = document.getElementById("bar");
    bar.max = figures.total || 1;
    bar.value = figures.total - open;
    if (figures.done) {
      table.dataset.done = "yes";
      var cancel = document.getElementById("cancel");
      if (cancel) { cancel.closest("form").remove(); }
    }
    return figures.done;
  }
  function poll() {
    fetch(table.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (figures) { if (!show(figures)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
