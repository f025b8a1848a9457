/* Click-to-load embeds (articles/embeds/): nothing is requested from a
 * provider until the reader presses "Load the video from YouTube".
 *
 * Without this script the reader has the plain link (the button stays hidden:
 * the stylesheet shows it only under .embeds-ready). With it, a click puts
 * our own same-origin embed page (/embeds/<provider>/<id>/) in a frame; that
 * page's own Content-Security-Policy allows that one provider and nothing
 * else, so the article page's policy never changes. Clicks are delegated, so
 * placeholders added later (live story updates) work too. No inline code.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("embeds-ready");

  function load(placeholder) {
    var src = placeholder.getAttribute("data-embed-frame");
    // Only our own embed pages, whatever the markup says.
    if (!src || !/^\/embeds\/[a-z]+\/[A-Za-z0-9_.:\/-]+\/$/.test(src)) { return; }
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = placeholder.getAttribute("data-embed-title") || "Embedded content";
    frame.className = "embed__frame";
    frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
    var height = parseInt(placeholder.getAttribute("data-embed-height"), 10);
    if (height > 0 && height < 2000) { frame.style.height = height + "px"; }
    placeholder.classList.add("embed--loaded");
    placeholder.replaceChildren(frame);
    frame.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".embed__load");
    if (!button) { return; }
    var placeholder = button.closest("[data-embed-frame]");
    if (placeholder) {
      event.preventDefault();
      load(placeholder);
    }
  });
})();
