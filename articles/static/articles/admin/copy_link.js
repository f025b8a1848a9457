/*
 * A "Copy" button next to each preview link on the article's change page.
 *
 * Without this script (or without clipboard access) the link stays in a
 * read-only field: clicking the field selects the whole address to copy by hand.
 */
(function () {
  "use strict";
  function selectAll(input) {
    input.focus();
    input.select();
  }
  function copied(button, text) {
    button.textContent = text;
    window.setTimeout(function () {
      button.textContent = "Copy link";
    }, 2000);
  }
  function start() {
    var inputs = document.querySelectorAll(".article-preview-links__url");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("focus", function () {
        input.select();
      });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button article-preview-links__copy";
      button.textContent = "Copy link";
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(
            function () {
              copied(button, "Copied");
            },
            function () {
              selectAll(input);
              copied(button, "Press Ctrl+C");
            }
          );
          return;
        }
        selectAll(input);
        var done = false;
        try {
          done = document.execCommand("copy");
        } catch (error) {
          done = false;
        }
        copied(button, done ? "Copied" : "Press Ctrl+C");
      });
      input.insertAdjacentElement("afterend", button);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
