// Survey results: size each answer bar's segments from their data-percent.
// Set through the CSSOM because the Content-Security-Policy refuses style="".
(function () {
  "use strict";
  document.querySelectorAll(".distribution [data-percent]").forEach(function (segment) {
    segment.style.width = segment.dataset.percent + "%";
  });
})();
