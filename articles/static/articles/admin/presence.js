/*
 * "Who else has this story open" on the article's change page.
 *
 * The page arrives with the notice filled in; this script tells the server
 * every few seconds that the page is still open, rewrites the notice from
 * the answer (the others' names), and says goodbye when the page is closed.
 * Without it the notice still shows who was there when the page was loaded.
 */
(function () {
  "use strict";
  var box = document.getElementById("article-presence");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.dataset.presenceUrl;
  var interval = parseInt(box.dataset.interval || "20000", 10);
  var list = box.querySelector(".article-presence__list");
  var tokenInput = box.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";

  function show(others) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    others.forEach(function (other) {
      var item = document.createElement("li");
      item.textContent = other.notice;
      list.appendChild(item);
    });
    box.hidden = others.length === 0;
  }

  function beat() {
    if (document.visibilityState === "hidden") {
      return;
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        show(data.others || []);
      })
      .catch(function () {
        /* The next beat tries again; the notice keeps what it last knew. */
      });
  }

  window.setInterval(beat, interval);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      beat();
    }
  });
  window.addEventListener("pagehide", function () {
    if (navigator.sendBeacon) {
      var body = new FormData();
      body.append("leave", "1");
      body.append("csrfmiddlewaretoken", token);
      navigator.sendBeacon(url, body);
    }
  });
})();
