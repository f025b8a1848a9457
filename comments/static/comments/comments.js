/* Progressive enhancement for the comment form: "Reply" moves the form under
   the comment instead of reloading the page. Without this script the links
   reload the page with ?replytocom=N, which works just as well. */
(function () {
  "use strict";

  /* The form token (a spam trap: when the reader started on the form). The
     page is shared by every reader and holds none, so it is fetched from the
     form's data-token-url when the reader first focuses the form. Without it
     (no JavaScript, or the fetch failed) the comment goes through the
     "Check and post your comment" page instead: nothing is lost. */
  var tokenForm = document.querySelector("form[data-token-url]");
  var tokenField = tokenForm && tokenForm.querySelector("input[name='timestamp']");
  if (tokenForm && tokenField && window.fetch) {
    var asked = false;
    var askForToken = function () {
      if (asked || tokenField.value) {
        return;
      }
      asked = true;
      window
        .fetch(tokenForm.getAttribute("data-token-url"), {
          credentials: "omit",
          cache: "no-store",
          headers: { Accept: "application/json" },
        })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && typeof data.token === "string" && !tokenField.value) {
            tokenField.value = data.token;
          }
        })
        .catch(function () {
          asked = false;
        });
    };
    tokenForm.addEventListener("focusin", askForToken);
    tokenForm.addEventListener("input", askForToken);
  }

  var respond = document.getElementById("respond");
  if (!respond) {
    return;
  }
  var form = respond.querySelector("form");
  var parentField = form && form.querySelector("input[name='parent']");
  var replying = document.getElementById("replying-to");
  var replyingName = document.getElementById("replying-to-name");
  var cancel = document.getElementById("cancel-comment-reply-link");
  if (!form || !parentField || !replying || !replyingName || !cancel) {
    return;
  }

  // Marks where the form lives when it is not answering a comment.
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function focusText() {
    var field = form.querySelector("textarea[name='comment']");
    if (field) {
      field.focus();
    }
  }

  // The "Reply" link that moved the form: "Cancel reply" gives it the focus
  // back, so a keyboard user is not thrown to the top of the page.
  var openedBy = null;

  function replyTo(link) {
    var comment = document.getElementById("comment-" + link.getAttribute("data-comment-id"));
    if (!comment) {
      return false;
    }
    openedBy = link;
    var body = comment.querySelector(".comment__body");
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentField.value = link.getAttribute("data-comment-id");
    replyingName.textContent = link.getAttribute("data-author");
    replying.hidden = false;
    focusText();
    return true;
  }

  function cancelReply() {
    home.parentNode.insertBefore(respond, home);
    parentField.value = "";
    replyingName.textContent = "";
    replying.hidden = true;
    if (openedBy && document.contains(openedBy)) {
      openedBy.focus();
    }
    openedBy = null;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var link = target.closest(".comment__reply-link");
    if (link && replyTo(link)) {
      event.preventDefault();
      return;
    }
    if (target.closest("#cancel-comment-reply-link")) {
      event.preventDefault();
      cancelReply();
    }
  });
})();
