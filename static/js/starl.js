// STAR-L entry: live leadership score, "No Learning" marks, autosave of drafts.
(function () {
  "use strict";
  var form = document.getElementById("starl-form");
  if (!form) return;
  var scoreEl = document.querySelector("[data-testid='starl-score']");
  var countEl = document.querySelector("[data-testid='starl-count']");
  var statusEl = document.getElementById("autosave-status");
  var url = form.dataset.autosaveUrl;
  var timer = null;
  var dirty = false;
  var submitting = false;

  function answers() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-starl-answer]"));
  }

  function removed(answer) {
    var box = answer.querySelector("[data-starl-delete]");
    return box && box.checked;
  }

  // Same rule as hiring/scoring.py: mean of the part ratings, (mean - 1) x 25,
  // 2 decimals, half up. Integer arithmetic so 62.5 never becomes 62.49.
  function leadershipScore(ratings) {
    var n = ratings.length;
    if (!n) return null;
    var sum = ratings.reduce(function (a, b) { return a + b; }, 0);
    var hundredths = Math.floor((2 * 2500 * (sum - n) + n) / (2 * n));
    return (hundredths / 100).toFixed(2);
  }

  function refresh() {
    var ratings = [];
    var used = 0;
    answers().forEach(function (answer) {
      if (removed(answer)) return;
      var checked = answer.querySelectorAll("input[data-starl-rating]:checked");
      var question = answer.querySelector("select");
      var texts = answer.querySelectorAll("textarea");
      var hasContent = (question && question.value) || checked.length;
      Array.prototype.forEach.call(texts, function (t) { if (t.value.trim()) hasContent = true; });
      if (hasContent) used += 1;
      // Only answers to leadership questions make the leadership score.
      var option = question && question.selectedOptions[0];
      var dimension = option && option.dataset.dimension;
      if (!dimension || dimension === "leadership") {
        Array.prototype.forEach.call(checked, function (input) { ratings.push(parseInt(input.value, 10)); });
      }
      var learning = answer.querySelector("textarea[data-part='learning']");
      var badge = answer.querySelector("[data-learning-missing]");
      if (badge && learning) {
        badge.classList.toggle("d-none", !(hasContent && !learning.value.trim()));
      }
    });
    var score = leadershipScore(ratings);
    scoreEl.textContent = score === null ? "—" : score;
    countEl.textContent = used;
  }

  function autosave() {
    timer = null;
    if (!dirty || submitting) return;
    dirty = false;
    statusEl.textContent = "Saving draft…";
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 409) {
          statusEl.textContent = "Answers were saved in another tab; reload to see them.";
          return null;
        }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (data) statusEl.textContent = "Draft autosaved at " + data.saved_at + ".";
      })
      .catch(function () {
        dirty = true;
        statusEl.textContent = "Could not autosave; your answers are still on this page.";
      });
  }

  function changed() {
    dirty = true;
    refresh();
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, 800);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer) clearTimeout(timer);
  });
  // Nothing lost if the tab closes: send what is unsaved as the page goes away.
  function flush() {
    if (dirty && !submitting && navigator.sendBeacon) {
      navigator.sendBeacon(url, new FormData(form));
      dirty = false;
    }
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      var save = form.querySelector("[data-starl-save]");
      if (form.requestSubmit) form.requestSubmit(save); else save.click();
    }
  });
  refresh();
})();
