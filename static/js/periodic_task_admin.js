// Admin periodic task form (django-celery-beat): under the crontab's help text,
// say in words when the chosen crontab runs.
(function () {
  "use strict";
  var source = document.getElementById("readable-crontabs");
  var crontab = document.getElementById("id_crontab");
  var help = document.querySelector(".field-crontab .help");
  var translation = document.querySelector(".field-crontab_translation");
  if (translation) { translation.style.display = "none"; }
  if (!source || !crontab || !help) { return; }
  var readable = JSON.parse(source.textContent);
  var original = help.textContent;
  function update() {
    help.textContent = original;
    var words = readable[crontab.value];
    if (words) {
      help.appendChild(document.createElement("br"));
      help.appendChild(document.createTextNode("Translation: " + words));
    }
  }
  crontab.addEventListener("change", update);
})();
