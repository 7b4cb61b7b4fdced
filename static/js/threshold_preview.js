// Admin threshold form: before saving, show how many alerts the new limit would
// have raised over the last 12 periods and, for a team, draw the limit on the
// team's chart, live as it is typed. A limit out of range shows its message there.
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
    var canvas = document.getElementById("threshold-preview-chart");
    var chartBox = canvas ? canvas.parentElement : null;
    // Filled once the preview for a limit is on screen: the server saves only a previewed limit.
    var previewed = document.getElementById("id_previewed_limit");
    if (!output || !limit || !metric) return;
    var url = window.location.pathname.replace(/\/(add|\d+\/change)\/$/, "/preview/");
    var timer = null;
    var chart = null;
    var asked = 0;

    function draw(data, proposed) {
      if (!chartBox || typeof Chart === "undefined") return;
      if (!data) { chartBox.hidden = true; return; }
      chartBox.hidden = false;
      var line = function (value) { return data.labels.map(function () { return value; }); };
      var datasets = [
        {
          label: data.team + ": " + data.label + " (" + data.unit + ")",
          data: data.values,
          borderColor: "#2a9d8f",
          backgroundColor: "#2a9d8f",
          spanGaps: true,
          tension: 0.2,
        },
        {
          label: "In force (" + data.direction + " " + data.current_limit + ")",
          data: line(data.current_limit),
          borderColor: "#6c757d",
          borderDash: [2, 3],
          pointRadius: 0,
          fill: false,
        },
      ];
      if (proposed !== null) {
        datasets.push({
          label: "Proposed (" + data.direction + " " + proposed + ")",
          data: line(proposed),
          borderColor: "#d62828",
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false,
        });
      }
      if (chart) {
        chart.data.labels = data.labels;
        chart.data.datasets = datasets;
        chart.update();
        return;
      }
      chart = new Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: datasets },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { labels: { boxWidth: 12 } } },
          scales: { y: { beginAtZero: true } },
        },
      });
    }

    function refresh() {
      if (!metric.value) { output.textContent = ""; draw(null, null); return; }
      var query = new URLSearchParams({ metric: metric.value, limit: limit.value, team: team ? team.value : "" });
      var mine = ++asked;
      fetch(url + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== asked) return; // an answer to an older keystroke
          if (!limit.value && !data.error) data.error = "Enter a number.";
          output.textContent = data.error ? data.error : "Preview: " + data.message;
          output.className = "threshold-preview " + (data.error ? "errornote" : "");
          if (previewed) previewed.value = data.error ? "" : query.get("limit");
          draw(data.chart, data.error ? null : data.limit);
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
