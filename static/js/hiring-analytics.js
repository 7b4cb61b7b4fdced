// Charts of the hiring analytics page. Data comes from json_script "analytics-data".
(function () {
  "use strict";
  var source = document.getElementById("analytics-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var navy = "#14213d", teal = "#2a9d8f", grey = "#adb5bd", amber = "#e9c46a";
  var common = { responsive: true, maintainAspectRatio: false, animation: false };

  // Long category names on a horizontal chart are cut off at the canvas edge on a
  // phone; Chart.js draws an array label as several lines, so break them at words.
  function wrap(text, width) {
    var lines = [], line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : lines[0] || "";
  }
  function wrapAll(labels) {
    return labels.map(function (label) { return wrap(label, 18); });
  }

  new Chart(document.getElementById("methods-chart"), {
    type: "bar",
    data: {
      labels: wrapAll(data.methods),
      datasets: [
        { label: "Bad hires at 6 months, ours (%)", data: data.ours_bad_hire, backgroundColor: teal },
        { label: "Published (%)", data: data.published_bad_hire, backgroundColor: grey },
      ],
    },
    options: Object.assign({}, common, {
      indexAxis: "y",
      scales: { x: { beginAtZero: true, title: { display: true, text: "%" } } },
    }),
  });

  // Each score's 95% interval as a floating bar, r as a dot; the zero line
  // shows at a glance which intervals include "predicts nothing".
  var corr = data.correlations;
  new Chart(document.getElementById("validity-chart"), {
    data: {
      labels: corr.map(function (c) { return c.name; }),
      datasets: [
        {
          type: "bar",
          label: "95% interval",
          data: corr.map(function (c) { return c.low === null ? null : [c.low, c.high]; }),
          backgroundColor: "rgba(42, 157, 143, 0.35)",
          borderColor: teal,
          borderWidth: 1,
        },
        {
          type: "line",
          label: "r",
          data: corr.map(function (c) { return c.r; }),
          showLine: false,
          pointRadius: 6,
          pointBackgroundColor: navy,
          borderColor: navy,
        },
      ],
    },
    options: Object.assign({}, common, { scales: { y: { min: -1, max: 1 } } }),
  });

  var cal = data.calibration;
  new Chart(document.getElementById("calibration-chart"), {
    type: "bar",
    data: {
      labels: wrapAll(cal.people),
      datasets: [
        { label: "Technical", data: cal.technical, backgroundColor: navy },
        { label: "Leadership", data: cal.leadership, backgroundColor: teal },
        { label: "Culture", data: cal.culture, backgroundColor: amber },
      ],
    },
    options: Object.assign({}, common, {
      indexAxis: "y",
      scales: { x: { title: { display: true, text: "points vs rest of panel" } } },
      plugins: { legend: { labels: { color: navy } } },
    }),
  });
})();
