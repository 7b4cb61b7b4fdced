// Team health trend charts: one line per metric, the threshold drawn as a dashed line.
(function () {
  "use strict";
  var source = document.getElementById("teamhealth-charts");
  if (!source || typeof Chart === "undefined") return;
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: chart.labels,
        datasets: [
          {
            label: chart.label + " (" + chart.unit + ")",
            data: chart.values,
            borderColor: "#2a9d8f",
            backgroundColor: "#2a9d8f",
            spanGaps: true,
            tension: 0.2,
          },
          {
            label: "Threshold (" + chart.direction + " " + chart.threshold + ")",
            data: chart.labels.map(function () { return chart.threshold; }),
            borderColor: "#d62828",
            borderDash: [6, 4],
            pointRadius: 0,
            fill: false,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { labels: { boxWidth: 12 } } },
        scales: { y: { beginAtZero: true } },
      },
    });
  });
})();
