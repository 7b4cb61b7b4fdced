// After a submit, keyboard and screen-reader users land on the answer: the
// first field the server marked invalid, else the form's error summary, else
// the messages region (data-focus-after-submit) that says what happened.
// A page that set autofocus on a field keeps it when nothing went wrong.
(function () {
  "use strict";

  function target() {
    const main = document.getElementById("main");
    if (!main) return null;
    const invalid = main.querySelector('[aria-invalid="true"], .is-invalid');
    if (invalid) return invalid;
    const summary = main.querySelector("[data-error-summary], form .alert-danger");
    if (summary) return summary;
    if (document.querySelector("[autofocus]")) return null;
    return document.querySelector("[data-focus-after-submit]");
  }

  function focusResult() {
    const element = target();
    if (!element) return;
    if (element.tabIndex < 0 && !element.matches("input, select, textarea, button, a[href]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusResult);
  } else {
    focusResult();
  }
})();
