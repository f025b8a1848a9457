/* Keyboard flow for the comment queue, as WordPress offers it:
   j / k   next / previous comment
   a       approve the current comment
   s       mark it as spam
   r       reply as the newsroom, inline: a reply box opens under the comment
           (Escape closes it); publishing returns to the queue, same place
   Progressive enhancement: every button works without this script ("Reply"
   is then a page of its own that also returns to the queue), and the keys do
   nothing while the moderator types in a field. A static file, so the
   admin's Content-Security-Policy needs no inline script. */
(function () {
  "use strict";

  function start() {
    var table = document.getElementById("result_list");
    if (!table) {
      return;
    }
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    if (!rows.length) {
      return;
    }
    var STORE = "newsroom.commentQueue.position";
    var current = -1;

    function select(index, quiet) {
      if (index < 0 || index >= rows.length) {
        return;
      }
      if (current >= 0) {
        rows[current].classList.remove("comment-queue-current");
        rows[current].removeAttribute("aria-current");
      }
      current = index;
      var row = rows[current];
      row.classList.add("comment-queue-current");
      row.setAttribute("aria-current", "true");
      row.setAttribute("tabindex", "-1");
      row.focus({ preventScroll: Boolean(quiet) });
      if (!quiet && row.scrollIntoView) {
        row.scrollIntoView({ block: "nearest" });
      }
    }

    function press(step) {
      if (current < 0) {
        return;
      }
      var control = rows[current].querySelector(".comment-quick-button--" + step);
      if (!control) {
        return;
      }
      remember();
      control.click();
    }

    function remember() {
      try {
        // After the page reloads, carry on from the same place in the queue.
        window.sessionStorage.setItem(STORE, String(current));
      } catch (error) {
        /* storage refused: start at the top next time */
      }
    }

    function replyInline() {
      if (current < 0) {
        return;
      }
      var row = rows[current];
      var link = row.querySelector(".comment-quick-button--reply");
      var csrf = document.querySelector("#comment-quick-action input[name=csrfmiddlewaretoken]");
      if (!link || !csrf) {
        return;
      }
      var open = row.querySelector(".comment-inline-reply");
      if (open) {
        open.querySelector("textarea").focus();
        return;
      }
      var id = "comment-inline-reply-" + current;
      var form = document.createElement("form");
      form.method = "post";
      form.action = link.getAttribute("href");
      form.className = "comment-inline-reply";
      form.innerHTML =
        '<label for="' + id + '">Reply as the newsroom</label>' +
        '<textarea name="text" id="' + id + '" rows="4" required></textarea>' +
        '<span class="comment-inline-reply__buttons">' +
        '<button type="submit" class="default">Publish reply</button> ' +
        '<button type="button" class="comment-inline-reply__cancel">Cancel</button></span>';
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf.value;
      var next = document.createElement("input");
      next.type = "hidden";
      next.name = "next";
      next.value = window.location.pathname + window.location.search;
      form.appendChild(token);
      form.appendChild(next);
      function close() {
        form.parentNode.removeChild(form);
        select(current, true);
      }
      form.querySelector(".comment-inline-reply__cancel").addEventListener("click", close);
      form.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          event.preventDefault();
          close();
        }
      });
      form.addEventListener("submit", remember);
      var cell = row.querySelector(".field-comment_column") || row.lastElementChild;
      cell.appendChild(form);
      form.querySelector("textarea").focus();
    }

    function typing(target) {
      if (!target || target.isContentEditable) {
        return Boolean(target && target.isContentEditable);
      }
      var tag = target.tagName;
      if (tag === "TEXTAREA" || tag === "SELECT" || target.closest(".comment-inline-reply")) {
        return true;
      }
      return tag === "INPUT" && target.type !== "checkbox" && target.type !== "radio";
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
        return;
      }
      switch (event.key) {
        case "j":
          select(current + 1);
          break;
        case "k":
          select(current <= 0 ? 0 : current - 1);
          break;
        case "a":
          press("approve");
          break;
        case "s":
          press("spam");
          break;
        case "r":
          replyInline();
          break;
        default:
          return;
      }
      event.preventDefault();
    });

    var saved = null;
    try {
      saved = window.sessionStorage.getItem(STORE);
      window.sessionStorage.removeItem(STORE);
    } catch (error) {
      saved = null;
    }
    if (saved !== null && /^\d+$/.test(saved)) {
      select(Math.min(parseInt(saved, 10), rows.length - 1));
    } else {
      // The admin autofocuses the empty search box, where j/k would be typed
      // as letters: start the moderator on the first comment instead (the
      // search box is one Tab or click away).
      var search = document.getElementById("searchbar");
      if (search && !search.value) {
        search.removeAttribute("autofocus");
        select(0, true);
        window.setTimeout(function () {
          if (document.activeElement === search && !search.value) {
            select(current < 0 ? 0 : current, true);
          }
        }, 0);
      }
    }
  }

  // Loaded in the page's <head> by the admin's Media: wait for the table.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
