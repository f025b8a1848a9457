/* Keyboard flow for the comment queue, as WordPress offers it:
   j / k   next / previous comment
   a       approve the current comment
   s       mark it as spam
   r       reply as the newsroom (the reply page returns to the queue)
   Progressive enhancement: every button works without this script, and the
   keys do nothing while the moderator types in a field. A static file, so the
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
      try {
        // After the page reloads, carry on from the same place in the queue.
        window.sessionStorage.setItem(STORE, String(current));
      } catch (error) {
        /* storage refused: start at the top next time */
      }
      control.click();
    }

    function typing(target) {
      if (!target || target.isContentEditable) {
        return Boolean(target && target.isContentEditable);
      }
      var tag = target.tagName;
      if (tag === "TEXTAREA" || tag === "SELECT") {
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
          press("reply");
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
