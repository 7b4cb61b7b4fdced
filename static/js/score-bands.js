// Scorecard form: highlight the rubric band of the score being typed. A score with
// decimals belongs to the band of its whole part (39.5 is in 0-39), as in
// hiring/rubrics.py.
(function () {
  "use strict";
  function highlight(input, list) {
    var value = parseFloat(input.value);
    var whole = isNaN(value) ? null : Math.floor(value);
    list.querySelectorAll(".score-band").forEach(function (band) {
      var low = parseInt(band.dataset.low, 10);
      var high = parseInt(band.dataset.high, 10);
      var current = whole !== null && low <= whole && whole <= high;
      band.classList.toggle("score-band-current", current);
      if (current) band.setAttribute("aria-current", "true");
      else band.removeAttribute("aria-current");
    });
  }
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    document.querySelectorAll("[data-bands-for]").forEach(function (list) {
      var input = document.getElementById(list.dataset.bandsFor);
      if (!input) return;
      input.addEventListener("input", function () { highlight(input, list); });
      highlight(input, list);
    });
  });
})();
