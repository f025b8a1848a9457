"""The reader's own pages (issue 13): report a comment, correct one's comment
within the edit window, and ask for (or erase) one's data.

Each page is personal (``Cache-Control: private, no-store``) and is reached by
a plain link, so the article page itself stays the same for every anonymous
reader and may be cached and shared.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from comments import cookies
from comments.forms import TEXT_FORBIDDEN
from comments.forms_reader import EditCommentForm, ReportForm, YourDataForm
from comments.models import Comment
from comments.ratelimit import RateLimitResult, check_rate, seconds_until_next_window
from comments.rules import comment_settings, valid_ip
from comments.services import CommentRejected, readers
from delivery.client_ip import client_ip


def _personal(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return _personal(render(request, template, context, status=status))


def _limited(request: HttpRequest, *, scope: str, limit: int) -> HttpResponse | None:
    """A 429 page stating the real wait, or None when the reader may go on."""
    result = check_rate(valid_ip(client_ip(request)), scope=scope, limit=limit)
    if result is RateLimitResult.LIMITED:
        wait = seconds_until_next_window()
        response = _page(
            request,
            "comments/reader_message.html",
            {
                "title": "Please wait a moment",
                "message": f"Too many requests from your connection. Please wait {wait} "
                f"second{'s' if wait != 1 else ''} and try again.",
            },
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(wait)
        return response
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.approved().select_related("article"), pk=comment_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        limited = _limited(request, scope="report", limit=comment_settings().report_rate_limit)
        if limited is not None:
            return limited
        if form.is_valid():
            fingerprint = readers.reporter_fingerprint(
                ip_address=valid_ip(client_ip(request)),
                user_agent=request.headers.get("User-Agent", ""),
            )
            try:
                readers.comment_report(
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    reporter_hash=fingerprint,
                )
            except readers.AlreadyReported as error:
                return _page(
                    request,
                    "comments/reader_message.html",
                    {
                        "title": "Already reported",
                        "message": error.message,
                        "article": comment.article,
                    },
                    status=HTTPStatus.CONFLICT,
                )
            except CommentRejected as error:
                form.add_error(None, error.message)
            else:
                return _page(
                    request,
                    "comments/reader_message.html",
                    {
                        "title": "Thank you for your report",
                        "message": "A moderator will look at this comment.",
                        "article": comment.article,
                    },
                )
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return _page(request, "comments/report.html", {"comment": comment, "form": form}, status)


@require_http_methods(["GET", "HEAD", "POST"])
def edit_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The author corrects their comment: only from the browser that posted it."""
    if comment_id not in cookies.editable_ids_from(request):
        raise Http404("You cannot edit this comment.")
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    if not readers.edit_window_open(comment):
        return _page(
            request,
            "comments/reader_message.html",
            {
                "title": "The time to edit is over",
                "message": "Comments can be corrected only for a short time after posting.",
                "article": comment.article,
            },
            status=HTTPStatus.FORBIDDEN,
        )
    form = EditCommentForm(request.POST or None, initial={"comment": comment.text})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["comment"]
        if TEXT_FORBIDDEN.search(text):
            form.add_error("comment", "Your comment contains characters that are not allowed.")
        else:
            try:
                readers.comment_author_edit(comment=comment, text=text)
            except CommentRejected as error:
                form.add_error(None, error.message)
            else:
                response = HttpResponseRedirect(
                    comment.get_absolute_url(), status=HTTPStatus.SEE_OTHER
                )
                if comment.status != Comment.Status.APPROVED:
                    # Back in the queue: its author still sees it, marked as waiting.
                    cookies.add_pending_id(request, response, comment.pk)
                return _personal(response)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return _page(request, "comments/edit.html", {"comment": comment, "form": form}, status)


@require_http_methods(["GET", "HEAD", "POST"])
def your_data(request: HttpRequest) -> HttpResponse:
    """Ask for a copy or the erasure of one's data: a link goes to the address."""
    form = YourDataForm(request.POST or None)
    if request.method == "POST":
        limited = _limited(request, scope="data", limit=comment_settings().rate_limit_posts)
        if limited is not None:
            return limited
        if form.is_valid():
            readers.data_request_send(
                email=form.cleaned_data["email"], purpose=form.cleaned_data["purpose"]
            )
            # The same answer whether or not we hold anything about the address.
            return _page(
                request,
                "comments/reader_message.html",
                {
                    "title": "Check your inbox",
                    "message": "If we hold comments from that address, we have sent it a link. "
                    "Follow it to continue.",
                },
            )
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return _page(request, "comments/your_data.html", {"form": form}, status)


@require_http_methods(["GET", "HEAD", "POST"])
def your_data_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the mail. GET only shows a button (mail scanners follow
    links); POST downloads the JSON or erases."""
    found = readers.email_from_data_token(token)
    if found is None:
        return _page(
            request,
            "comments/reader_message.html",
            {
                "title": "This link does not work",
                "message": "It has expired or is not valid. Ask again from the “Your data” page.",
            },
            status=HTTPStatus.NOT_FOUND,
        )
    email, purpose = found
    if request.method == "POST":
        if purpose == "export":
            data = readers.reader_data_export(email=email)
            response = HttpResponse(
                json.dumps(data, indent=2, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
            return _personal(response)
        erased = readers.reader_data_erase(email=email)
        return _page(
            request,
            "comments/reader_message.html",
            {
                "title": "Your data is erased",
                "message": f"{erased} comment{'s' if erased != 1 else ''} no longer carry "
                "your name, email address, IP address or browser.",
            },
        )
    return _page(
        request,
        "comments/your_data_link.html",
        {"email": email, "purpose": purpose, "keeps_text": comment_settings().erasure_keeps_text},
    )
