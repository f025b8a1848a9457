/*
 * Autosave and "unsaved changes" warning for the article form.
 *
 * Progressive: without this script the form works as before. While someone
 * types, the form's fields (no files) are posted every 30 seconds to the
 * autosave endpoint — never to the article itself. Leaving the page with
 * unsaved changes asks first; submitting the form does not.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.autosaveUrl;
  var interval = parseInt((script && script.dataset.interval) || "30000", 10);
  var form = document.getElementById("article_form");
  if (!url || !form || !window.fetch) {
    return;
  }
  var dirty = false; // changed since the page was loaded or last submitted
  var pending = false; // changed since the last autosave
  var submitting = false;
  var status = document.createElement("p");
  status.className = "article-autosave-status help";
  status.setAttribute("role", "status");
  var panel = form.querySelector(".article-actions");
  (panel || form).appendChild(status);

  function changed() {
    dirty = true;
    pending = true;
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
  });

  function payload() {
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") {
        body.append(name, value);
      }
    });
    return body;
  }

  function autosave() {
    if (!pending || submitting) {
      return;
    }
    pending = false;
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        status.textContent = "Autosaved at " + data.saved_at_local + " (not yet saved to the article).";
      })
      .catch(function () {
        pending = true;
        status.textContent = "Autosave failed; your changes are only in this page.";
      });
  }
  window.setInterval(autosave, interval);

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
