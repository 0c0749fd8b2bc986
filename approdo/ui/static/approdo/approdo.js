// Behaviour driven by data attributes; the pages work without it.
(function () {
  "use strict";

  // Bootstrap Italia's CSS has no @font-face: its JS adds them, from our static copy.
  if (window.bootstrap && typeof window.bootstrap.loadFonts === "function") {
    window.__PUBLIC_PATH__ = document.body.dataset.fontsPath;
    window.bootstrap.loadFonts();
  }

  // A form submits once: the button is disabled after the first click.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-submit-once]")) return;
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
      if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
    });
  });

  // Multi-step form: one fieldset at a time, starting at the first with an error.
  document.querySelectorAll("[data-steps]").forEach(function (form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    if (steps.length < 2) return;
    var progress = form.querySelector("[data-step-progress]");
    var current = Math.max(0, steps.findIndex(function (step) {
      return step.dataset.hasErrors === "true";
    }));

    function show(index, focus) {
      current = index;
      steps.forEach(function (step, position) { step.hidden = position !== index; });
      if (progress) progress.textContent = "Passo " + (index + 1) + " di " + steps.length;
      if (focus) steps[index].querySelector("legend, h2").focus();
    }

    form.querySelectorAll("[data-step-next]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var fields = steps[current].querySelectorAll("input, select, textarea");
        for (var i = 0; i < fields.length; i++) {
          if (!fields[i].checkValidity()) { fields[i].reportValidity(); return; }
        }
        show(current + 1, true);
      });
    });
    form.querySelectorAll("[data-step-back]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { show(current - 1, true); });
    });
    show(current, false);
  });
})();
