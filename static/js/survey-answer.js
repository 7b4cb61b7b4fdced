// Survey answer page: show progress, and stop a double tap from posting twice.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) { return; }
  var questions = form.querySelectorAll("[data-question]");
  var text = document.getElementById("progress-text");
  var bar = document.getElementById("progress-bar");
  var required = Array.prototype.filter.call(questions, function (q) {
    return !q.querySelector(".enps-scale");
  });

  function update() {
    var answered = Array.prototype.filter.call(questions, function (q) {
      return q.querySelector("input[type=radio]:checked");
    }).length;
    var percent = questions.length ? Math.round((100 * answered) / questions.length) : 0;
    text.textContent = answered + " of " + questions.length + " answered";
    bar.style.width = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(percent));
    questions.forEach(function (q) {
      if (q.querySelector("input[type=radio]:checked")) { q.classList.add("answered"); }
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    var missing = required.filter(function (q) { return !q.querySelector("input:checked"); });
    if (missing.length) {
      // The server checks too; this only saves a round trip on a phone.
      event.preventDefault();
      missing[0].scrollIntoView({ behavior: "smooth", block: "center" });
      missing.forEach(function (q) { q.classList.add("border", "border-danger"); });
      text.textContent = missing.length + " question" + (missing.length > 1 ? "s" : "") + " still to answer";
      return;
    }
    var button = document.getElementById("submit-answers");
    button.disabled = true;
    button.textContent = "Sending…";
  });
  update();
})();
