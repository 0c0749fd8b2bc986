// Behaviour driven by data attributes; the pages work without it.
(function () {
  "use strict";

  // Bootstrap Italia's CSS has no @font-face: its JS adds them, from our static copy.
  if (window.bootstrap && typeof window.bootstrap.loadFonts === "function") {
    window.__PUBLIC_PATH__ = document.body.dataset.fontsPath;
    window.bootstrap.loadFonts();
  }

  // The main menu's groups: one open at a time; Escape or a click elsewhere closes it.
  var menu = document.querySelector("[data-menu]");
  if (menu) {
    var groups = Array.prototype.slice.call(menu.querySelectorAll("details"));
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) groups.forEach(function (other) { if (other !== group) other.open = false; });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      groups.forEach(function (group) {
        if (!group.open) return;
        group.open = false;
        group.querySelector("summary").focus();
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) { if (!group.contains(event.target)) group.open = false; });
    });
  }

  // Before the session ends for inactivity: a warning, and a button that keeps it going.
  var expiry = document.getElementById("avviso-sessione");
  if (expiry) {
    var lifetime = Number(expiry.dataset.sessionSeconds) * 1000;
    var warnBefore = Math.min(120000, lifetime / 2);
    var warnTimer = null, endTimer = null;
    var message = expiry.querySelector("[data-session-message]");
    var renewButton = expiry.querySelector("[data-session-renew]");
    var restart = function () {
      clearTimeout(warnTimer); clearTimeout(endTimer);
      expiry.hidden = true;
      warnTimer = setTimeout(function () {
        message.textContent = "Per inattività la sessione scade tra " + Math.round(warnBefore / 60000) +
          " minuti: ciò che non ha salvato andrebbe perso.";
        renewButton.hidden = false;
        expiry.hidden = false;
        renewButton.focus();
      }, lifetime - warnBefore);
      endTimer = setTimeout(function () {
        message.textContent = "La sessione è scaduta: per continuare occorre accedere di nuovo. Se invia un modulo, i dati inseriti vengono recuperati dopo l'accesso.";
        renewButton.hidden = true;
        expiry.hidden = false;
      }, lifetime);
    };
    renewButton.addEventListener("click", function () {
      var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
      fetch(expiry.dataset.renewUrl, {method: "POST", headers: {"X-CSRFToken": token}, credentials: "same-origin"})
        .then(function (response) { if (response.ok) restart(); });
    });
    // Requests made by the page itself (htmx) renew the session on the server too.
    document.body.addEventListener("htmx:afterRequest", restart);
    restart();
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
    // The error summary's links open the step of their field.
    steps.forEach(function (step, position) {
      step.addEventListener("approdo:show-step", function () { show(position, false); });
    });
    // Enter in a field goes to the next step, as "Avanti" does, not to the final submit.
    form.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || field.tagName !== "INPUT" || current === steps.length - 1) return;
      if (["submit", "button", "checkbox", "radio", "file"].indexOf(field.type) !== -1) return;
      event.preventDefault();
      var next = steps[current].querySelector("[data-step-next]");
      if (next) next.click();
    });
    show(current, false);
  });

  // After a server-side error focus goes to the summary, whose links lead to each field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var step = field.closest("[data-step]");
      if (step && step.hidden) step.dispatchEvent(new CustomEvent("approdo:show-step"));
      field.focus();
    });
    summary.focus();
  }

  // A file larger than the server accepts is refused here, before it is uploaded in full.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var limit = Number(input.dataset.maxBytes);
    var message = document.getElementById(input.id + "-size");
    var tooLarge = Array.prototype.filter.call(input.files, function (file) { return file.size > limit; });
    if (!tooLarge.length) {
      if (message) message.remove();
      return;
    }
    var megabytes = function (bytes) { return (bytes / 1048576).toLocaleString("it-IT", {maximumFractionDigits: 1}); };
    if (!message) {
      message = document.createElement("div");
      message.id = input.id + "-size";
      message.className = "invalid-feedback d-block";
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
    }
    message.textContent = "Il file «" + tooLarge[0].name + "» pesa " + megabytes(tooLarge[0].size) +
      " MB: il massimo è " + megabytes(limit) + " MB. Ne scelga uno più piccolo.";
    input.value = "";
  });

  // Forms marked data-preserve survive an expired session: what was typed is kept in this
  // tab (sessionStorage, never files or passwords) when submitting, and put back if the
  // same form is shown again after logging in. Any other page discards it.
  var STASH = "approdo-form-stash";
  var stash = null;
  try { stash = JSON.parse(window.sessionStorage.getItem(STASH) || "null"); } catch (e) { stash = null; }
  var keepStash = document.body.hasAttribute("data-keep-form-stash");
  if (stash && keepStash && !stash.throughLogin) {
    // The session had expired: the data typed waits here while the person logs in again.
    stash.throughLogin = true;
    try { window.sessionStorage.setItem(STASH, JSON.stringify(stash)); } catch (e) { /* nothing to keep */ }
  }
  if (stash && !keepStash) {
    var form = document.querySelector("form[data-preserve]");
    // Only after a new login: a form that was simply sent (and shown again) is not "recovered".
    if (form && stash.throughLogin && stash.path === window.location.pathname &&
        !document.querySelector(".is-invalid")) {
      Object.keys(stash.values).forEach(function (name) {
        var value = stash.values[name];
        form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
          if (input.type === "checkbox" || input.type === "radio") {
            input.checked = value.indexOf(input.value) !== -1;
          } else if (input.tagName === "SELECT" && input.multiple) {
            Array.prototype.forEach.call(input.options, function (option) {
              option.selected = value.indexOf(option.value) !== -1;
            });
          } else {
            input.value = value[0];
          }
        });
      });
      var notice = document.createElement("div");
      notice.className = "alert alert-info";
      notice.setAttribute("role", "status");
      notice.textContent = "La sessione era scaduta: abbiamo recuperato i dati che aveva inserito. Li controlli e invii di nuovo il modulo.";
      form.parentNode.insertBefore(notice, form);
    }
    window.sessionStorage.removeItem(STASH);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-preserve]")) return;
    var values = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.type === "file" || input.type === "password" ||
          input.type === "hidden" || input.type === "submit") return;
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return;
      var chosen = input.tagName === "SELECT" && input.multiple
        ? Array.prototype.filter.call(input.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; })
        : [input.value];
      values[input.name] = (values[input.name] || []).concat(chosen);
    });
    try {
      window.sessionStorage.setItem(STASH, JSON.stringify({path: window.location.pathname, values: values}));
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  });

  // A part of the page redrawn in place (htmx) takes the focus to the notice it now shows,
  // so that keyboard and screen-reader users hear the outcome and keep their place.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    // Fired on the new content (an outerHTML swap replaces the old target).
    var target = event.target;
    if (!target.matches || !target.matches("[data-focus-notice]")) return;
    var notice = target.querySelector("[role=alert], [role=status]");
    if (!notice) return;
    notice.setAttribute("tabindex", "-1");
    notice.focus();
  });

  // The slices of a doughnut differ by pattern as well as by colour (WCAG 1.4.1, 1.4.11):
  // solid, then white diagonal lines, dots, horizontal, vertical and crossed lines.
  function pattern(colour, index) {
    if (index === 0) return colour;
    var tile = document.createElement("canvas");
    tile.width = tile.height = 10;
    var pen = tile.getContext("2d");
    pen.fillStyle = colour;
    pen.fillRect(0, 0, 10, 10);
    pen.strokeStyle = pen.fillStyle = "#ffffff";
    pen.lineWidth = 2;
    var kind = (index - 1) % 5;
    pen.beginPath();
    if (kind === 0) { pen.moveTo(0, 10); pen.lineTo(10, 0); }
    if (kind === 1) { pen.arc(5, 5, 1.8, 0, 2 * Math.PI); pen.fill(); }
    if (kind === 2 || kind === 4) { pen.moveTo(0, 5); pen.lineTo(10, 5); }
    if (kind === 3 || kind === 4) { pen.moveTo(5, 0); pen.lineTo(5, 10); }
    pen.stroke();
    return pen.createPattern(tile, "repeat");
  }
  function patternSlices(config) {
    if (config.type !== "doughnut" && config.type !== "pie") return;
    config.data.datasets.forEach(function (dataset) {
      dataset.backgroundColor = dataset.backgroundColor.map(pattern);
    });
  }

  // Charts: a canvas names the JSON script with its Chart.js configuration (made on the
  // server); the same figures are in the table beside it, so nothing is lost without JS.
  if (window.Chart) {
    var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.Chart.defaults.font.family = "'Titillium Web', Geneva, Tahoma, sans-serif";
    window.Chart.defaults.color = "#17324D";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var config = JSON.parse(source.textContent);
      patternSlices(config);
      config.options = Object.assign(
        {responsive: true, maintainAspectRatio: false, animation: reduceMotion ? false : {duration: 300}},
        config.options || {}
      );
      new window.Chart(canvas, config);
    });
  }

  // A survey's conditional questions: shown when an earlier question has one of the
  // answers they name (the server decides again on saving; this only spares a reload).
  function showConditionalQuestions(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (question) {
      var wanted = JSON.parse(question.dataset.showValues);
      var given = Array.prototype.map.call(
        form.querySelectorAll("[name='" + question.dataset.showIf + "']:checked"),
        function (input) { return input.value; }
      );
      var visible = given.some(function (value) { return wanted.indexOf(value) >= 0; });
      var condition = document.getElementById("domanda-" + question.dataset.showIf);
      if (condition && condition.hidden) visible = false;
      question.hidden = !visible;
    });
  }
  document.querySelectorAll("form[data-survey]").forEach(function (form) {
    form.addEventListener("change", function () { showConditionalQuestions(form); });
  });
})();
