/*
 * New tags typed into the article form's tag box.
 *
 * For those allowed to add tags the box (Django's select2 autocomplete, with
 * data-tags="true") offers what was typed as a new entry; choosing it asks the
 * server to create the tag (data-create-url) and puts the real tag in its
 * place. Refused (no permission, a bad name): the entry is taken out again
 * and the reason is shown under the box. Without this script the "+" next to
 * the box still adds a tag.
 */
(function () {
  "use strict";
  function start() {
    var $ = window.django && window.django.jQuery;
    var select = document.getElementById("id_tags");
    if (!$ || !select || !select.dataset.createUrl || !window.fetch) {
      return;
    }
    var form = select.form;
    var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var status = document.createElement("p");
    status.className = "help article-tags-status";
    status.setAttribute("role", "status");
    select.parentNode.appendChild(status);

    $(select).on("select2:select", function (event) {
      var data = event.params && event.params.data;
      if (!data) {
        return;
      }
      // select2 keeps a typed entry as an <option data-select2-tag="true">
      // whose value is the text; the event's data may not point to it.
      var option = Array.prototype.filter.call(select.options, function (candidate) {
        return candidate.value === String(data.id) && candidate.getAttribute("data-select2-tag") === "true";
      })[0];
      if (!option) {
        return;
      }
      var name = data.text;
      status.textContent = "Creating the tag “" + name + "”…";
      fetch(select.dataset.createUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" },
        body: new URLSearchParams({ name: name }),
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (!result.ok) {
            throw new Error(result.body.error || "The tag could not be created.");
          }
          var id = String(result.body.id);
          var existing = select.querySelector('option[value="' + id + '"]');
          if (existing && existing !== option) {
            existing.selected = true;
            option.parentNode.removeChild(option);
          } else {
            option.value = id;
            option.textContent = result.body.text;
            option.removeAttribute("data-select2-tag");
            option.selected = true;
          }
          $(select).trigger("change");
          status.textContent = result.body.created
            ? "New tag “" + result.body.text + "” created."
            : "The tag “" + result.body.text + "” already existed and is chosen.";
        })
        .catch(function (error) {
          if (option.parentNode) {
            option.parentNode.removeChild(option);
          }
          $(select).trigger("change");
          status.textContent = error.message;
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
