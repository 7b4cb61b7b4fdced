// Admin threshold form: before saving, show how many alerts the new limit would
// have raised over the last 12 periods.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var output = document.getElementById("threshold-preview");
    var limit = document.getElementById("id_limit");
    var metric = document.getElementById("id_metric");
    var team = document.getElementById("id_team");
    // Filled once the preview for a limit is on screen: the server saves only a previewed limit.
    var previewed = document.getElementById("id_previewed_limit");
    if (!output || !limit || !metric) return;
    var url = window.location.pathname.replace(/\/(add|\d+\/change)\/$/, "/preview/");
    var timer = null;
    function refresh() {
      if (!limit.value || !metric.value) { output.textContent = ""; return; }
      var query = new URLSearchParams({ metric: metric.value, limit: limit.value, team: team ? team.value : "" });
      fetch(url + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          output.textContent = data.error ? data.error : "Preview: " + data.message;
          output.className = "threshold-preview " + (data.error ? "errornote" : "");
          if (previewed) previewed.value = data.error ? "" : query.get("limit");
        })
        .catch(function () { output.textContent = "The preview is not available right now."; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 250); }
    [limit, metric, team].forEach(function (el) {
      if (el) { el.addEventListener("input", later); el.addEventListener("change", later); }
    });
    refresh();
  });
})();
