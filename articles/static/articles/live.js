/* Live story: fetch new entries without reloading (progressive enhancement).
 *
 * Polls the story's entries endpoint (?after=<newest id shown>), keeps new
 * entries aside and offers a "N new updates" button: nothing moves under the
 * reader until they ask. A polite live region announces the count. Stops
 * when the endpoint says the coverage has ended. No inline code (CSP-clean).
 */
(function () {
  "use strict";
  var story = document.querySelector("[data-live-endpoint]");
  if (!story || !window.fetch) { return; }
  var endpoint = story.getAttribute("data-live-endpoint");
  var latest = parseInt(story.getAttribute("data-live-latest"), 10) || 0;
  var list = story.querySelector("[data-live-entries]");
  var button = story.querySelector("[data-live-reveal]");
  var status = story.querySelector("[data-live-status]");
  var pending = [];
  var interval = 30000;
  var timer = null;
  var etag = null;

  function plural(n) { return n === 1 ? "1 new update" : n + " new updates"; }

  function showCount() {
    if (!pending.length) { button.hidden = true; return; }
    button.textContent = "Show " + plural(pending.length);
    button.hidden = false;
    status.textContent = plural(pending.length) + " available.";
  }

  function reveal() {
    var empty = list.querySelector(".live-story__empty");
    if (empty) { empty.remove(); }
    var first = null;
    // pending holds the newest first; insert so the list stays newest first.
    for (var i = pending.length - 1; i >= 0; i--) {
      var holder = document.createElement("div");
      holder.innerHTML = pending[i];
      var entry = holder.firstElementChild;
      if (entry && !document.getElementById(entry.id)) {
        list.insertBefore(entry, list.firstChild);
        first = entry;
      }
    }
    pending = [];
    button.hidden = true;
    status.textContent = "";
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function stop(message) {
    if (timer) { clearTimeout(timer); timer = null; }
    story.classList.remove("live-story--open");
    if (message) { status.textContent = message; }
  }

  function schedule() {
    timer = setTimeout(poll, document.hidden ? interval * 4 : interval);
  }

  function poll() {
    var headers = {"Accept": "application/json"};
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(endpoint + "?after=" + latest, {headers: headers, credentials: "omit"})
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error("poll failed: " + response.status); }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) {
          if (data.reload) {
            stop("There are more updates: reload the page to see them all.");
            return;
          }
          if (data.entries.length) {
            pending = data.entries.map(function (entry) { return entry.html; }).concat(pending);
            latest = Math.max(latest, data.latest);
            etag = null;
            showCount();
          }
          if (data.ended) {
            stop(pending.length ? "" : "This live coverage has ended.");
            return;
          }
        }
        schedule();
      })
      .catch(function () { interval = Math.min(interval * 2, 120000); schedule(); });
  }

  button.addEventListener("click", reveal);
  story.setAttribute("data-live-ready", "");
  var seconds = parseInt(story.getAttribute("data-live-interval"), 10);
  if (seconds > 0) { interval = seconds * 1000; }
  schedule();
})();
