// Survey results: the feedback score and the participation rate of every round.
// A round below its minimum group size is a gap in both: nothing of it is drawn.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var points = JSON.parse(source.textContent);
  new Chart(canvas, {
    data: {
      labels: points.map(function (p) { return p.label; }),
      datasets: [
        {
          type: "line",
          label: "Feedback score",
          data: points.map(function (p) { return p.score; }),
          borderColor: "#2166ac",
          backgroundColor: "#2166ac",
          spanGaps: false,
          tension: 0.2,
          order: 1
        },
        {
          type: "bar",
          label: "Participation (%)",
          data: points.map(function (p) { return p.rate; }),
          backgroundColor: "rgba(244, 165, 130, 0.55)",
          borderColor: "#d6604d",
          borderWidth: 1,
          order: 2
        }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: true, position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            afterBody: function (items) {
              var p = points[items[0].dataIndex];
              if (p.hidden) { return "Fewer than " + p.k + " answers: not shown"; }
              return p.responses + " of " + p.invited + " answered";
            }
          }
        }
      },
      scales: { y: { min: 0, max: 100, ticks: { stepSize: 25 } } }
    }
  });
})();
