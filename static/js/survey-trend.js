// Survey results: the feedback score of this round and the earlier ones.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var points = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: points.map(function (p) { return p.label; }),
      datasets: [{
        label: "Feedback score",
        data: points.map(function (p) { return p.score; }),
        borderColor: "#2a9d8f",
        backgroundColor: "#2a9d8f",
        spanGaps: false,
        tension: 0.2
      }]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { min: 0, max: 100, ticks: { stepSize: 25 } } }
    }
  });
})();
