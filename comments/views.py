"""Reader-facing comment views: post (post/redirect/get), the form token,
unsubscribe, and the comment section's context on the article page
(registered with ``articles`` in :mod:`comments.hooks`).

The comment form sits on pages every anonymous reader shares, so it holds no
per-visitor value: its POST is protected by its origin
(:mod:`delivery.same_origin`) and its timing trap by a token the reader's
browser fetches (:func:`form_token`) or the confirmation page gives
(:mod:`comments.forms`).
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article, CommentMode
from articles.public_versions import PUBLIC_CONTENT, article_version, get_article_fragment
from comments import cookies, services
from comments.forms import CommentForm, make_timestamp
from comments.models import Comment
from comments.notifications import comment_for_unsubscribe_token, verification_from_token
from comments.ratelimit import RateLimitResult, check_post_rate, seconds_until_next_window
from comments.rules import comment_settings, valid_ip
from comments.selectors import (
    ThreadNode,
    comment_mode_for,
    comment_thread_for,
    comments_are_open,
    editors_picks,
    mark_editable,
)
from comments.services import identity
from comments.templatetags.comment_tags import render_comment_thread
from delivery import registry
from delivery.client_ip import client_ip
from delivery.fragments import get_fragment
from delivery.same_origin import same_origin_post


def _find_node(nodes: list[ThreadNode], comment_id: int) -> ThreadNode | None:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.comment.pk == comment_id:
            return node
        stack.extend(node.children)
    return None


def _picks(thread: list[ThreadNode]) -> list[dict[str, str]]:
    """The editors' picks as the template shows them (plain values: kept with the thread)."""
    return [
        {"anchor": pick.anchor, "author_name": pick.author_name, "excerpt": pick.excerpt}
        for pick in editors_picks(thread)
    ]


def comment_section_context(request: HttpRequest, article: Article) -> dict[str, object]:
    """Everything ``comments/_comments.html`` needs, in at most one query.

    Marks the request when the section is personal (the visitor's own pending
    comments, or their remembered name and email), so that caches skip it:
    ``request.comment_poster_pending_ids`` lists the pending ids from the
    visitor's signed cookie and ``request.comments_personalized`` is True.

    When nothing in the section is the visitor's (no comment cookie, no reply
    form, not signed in) the section is the same HTML for every reader until a
    comment on the article changes: rendered once and stored
    (``comment_section_html``), the form included.
    """
    pending_ids = cookies.pending_ids_from(request)
    remembered = cookies.remembered_author(request)
    editable_ids = cookies.editable_ids_from(request)
    request.comment_poster_pending_ids = pending_ids
    request.comments_personalized = bool(pending_ids or remembered or editable_ids)
    if request.comments_personalized:
        registry.mark_request_personal(request)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    replytocom = request.GET.get("replytocom", "")
    if not (request.comments_personalized or replytocom or signed_in):
        return {"comment_section_html": _shared_comment_section_html(article)}
    return _comment_section_values(
        article,
        pending_ids=pending_ids,
        editable_ids=editable_ids,
        remembered=remembered,
        replytocom=replytocom,
        signed_in=signed_in,
    )


def _shared_comment_section_html(article: Article) -> SafeString:
    mode = comment_mode_for(article)
    max_depth = comment_settings().max_depth

    def build() -> str:
        values = _comment_section_values(
            article,
            pending_ids=[],
            editable_ids=[],
            remembered=None,
            replytocom="",
            signed_in=False,
            with_form=False,
        )
        if values["comments_open"]:
            values["comment_form_html"] = _blank_comment_form_html(article, mode)
        return render_to_string("comments/_comment_section.html", {"article": article, **values})

    # The site's default mode and depth are settings: part of the name, not of a version.
    return mark_safe(get_article_fragment(article, f"comments:{mode}:{max_depth}", build=build))


def _blank_comment_form_html(article: Article, mode: str) -> SafeString:
    """The empty reply form of ``article``: the same until its address or the site changes.

    Stored apart from the section, so that a new comment (which renders the
    section again) does not render the form again.
    """

    def build() -> str:
        form = CommentForm(article=article, initial={"parent": None})
        return render_to_string(
            "comments/_comment_form.html",
            {"article": article, "comment_form": form, "comment_reply_to": None},
        )

    name = f"comment-form:{article.pk}:{article.slug}:{mode}"
    return mark_safe(get_fragment(name, build=build, versions=[PUBLIC_CONTENT]))


def _comment_section_values(
    article: Article,
    *,
    pending_ids: list[int],
    editable_ids: list[int],
    remembered: dict[str, str] | None,
    replytocom: str,
    signed_in: bool,
    with_form: bool = True,
) -> dict[str, object]:
    mode = comment_mode_for(article)
    is_open = article.is_published and mode != CommentMode.CLOSED
    max_depth = comment_settings().max_depth
    thread: list[ThreadNode] | None = None
    if pending_ids or editable_ids or replytocom:
        # Personal (their own pending or editable comments, a reply form):
        # rendered for them alone.
        thread = comment_thread_for(article, pending_ids=pending_ids)
        if editable_ids:
            mark_editable(thread, editable_ids=set(editable_ids))
        thread_html = render_comment_thread(thread, is_open)
        picks = _picks(thread)
    else:
        found: dict[str, list[ThreadNode]] = {}

        def build() -> tuple[str, list[dict[str, str]]]:
            found["thread"] = comment_thread_for(article, max_depth=max_depth)
            return render_comment_thread(found["thread"], is_open), _picks(found["thread"])

        # The public thread is the same for everyone until a comment on this
        # article changes (each bumps the article's own version): rendered once.
        thread_html, picks = get_fragment(
            f"comment-thread:{article.pk}:{int(is_open)}:{max_depth}",
            build=build,
            versions=[article_version(article.slug)],
        )
        thread = found.get("thread")
    reply_to = None
    if replytocom.isdigit() and thread is not None:
        node = _find_node(thread, int(replytocom))
        if node is not None and not node.awaiting_moderation:
            reply_to = node.comment

    form = None
    if is_open and with_form:
        initial = {"parent": reply_to.pk if reply_to else None}
        if remembered:
            initial.update(
                name=remembered["name"],
                email=remembered["email"],
                url=remembered["url"],
                remember=True,
            )
        form = CommentForm(article=article, initial=initial)
        if signed_in:
            # Their page is personal (never cached) and their POST gets
            # Django's token check (delivery.same_origin).
            form.enable_csrf_token()
    return {
        # The nodes when they were read for this request (None: the stored thread was used).
        "comment_thread": thread,
        "editors_picks": picks,
        "comment_thread_html": thread_html,
        "comment_form": form,
        "comments_open": is_open,
        "comments_premoderated": mode == CommentMode.PREMODERATED,
        "comment_reply_to": reply_to,
        "comment_max_depth": max_depth,
    }


def _error_page(
    request: HttpRequest,
    *,
    article: Article,
    form: CommentForm | None,
    status: HTTPStatus,
    message: str = "",
    retry_after: int = 0,
    template_name: str = "comments/comment_error.html",
) -> HttpResponse:
    if form is not None:
        form.renew_timestamp()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            form.enable_csrf_token()
    response = render(
        request,
        template_name,
        {
            "article": article,
            "comment_form": form,
            "comment_reply_to": form.parent_comment if form is not None else None,
            "error_message": message,
            "comments_open": form is not None,
            "retry_after": retry_after,
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    cookies.mark_personal_response(request, response)
    response["Cache-Control"] = "private, no-store"
    return response


def _cross_site_post(request: HttpRequest, reason: str, article_id: int) -> HttpResponse:
    """A comment POST made from another site's page: refused, the text kept to post from here."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    form = CommentForm(request.POST, article=article)
    form.is_valid()
    return _error_page(
        request,
        article=article,
        form=form if comments_are_open(article) else None,
        status=HTTPStatus.FORBIDDEN,
        message=(
            "This comment was sent from a page that is not on this site, so it was not "
            "posted. If you wrote it, check it below and post it from here."
        ),
    )


@same_origin_post(refused=_cross_site_post)
@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    """Store a reader's comment, then redirect back to it (post/redirect/get)."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not comments_are_open(article):
        return _error_page(
            request,
            article=article,
            form=None,
            status=HTTPStatus.FORBIDDEN,
            message="Comments are closed on this article.",
        )

    config = comment_settings()
    ip_address = valid_ip(client_ip(request))
    form = CommentForm(request.POST, article=article, config=config)

    rate = check_post_rate(ip_address, config=config)
    if rate is RateLimitResult.LIMITED:
        form.is_valid()  # keep what the reader typed, with any field errors
        wait = seconds_until_next_window(config=config)
        return _error_page(
            request,
            article=article,
            form=form,
            status=HTTPStatus.TOO_MANY_REQUESTS,
            message=(
                f"You are posting comments too quickly. Please wait {wait} "
                f"second{'s' if wait != 1 else ''} and post again."
            ),
            retry_after=wait,
        )
    if rate is RateLimitResult.CACHE_DOWN_REFUSED:
        form.is_valid()
        return _error_page(
            request,
            article=article,
            form=form,
            status=HTTPStatus.SERVICE_UNAVAILABLE,
            message="Comments cannot be posted right now. Please try again in a few minutes.",
        )

    if not form.is_valid():
        return _error_page(request, article=article, form=form, status=HTTPStatus.BAD_REQUEST)
    if form.needs_confirmation and not form.trap_reason:
        # No form token (no JavaScript, or a bot): nothing stored; the reader
        # checks their comment and posts it again with a token bound to it.
        return _error_page(
            request,
            article=article,
            form=form,
            status=HTTPStatus.OK,
            template_name="comments/comment_confirm.html",
        )

    data = form.cleaned_data
    try:
        comment = services.comment_submit(
            article=article,
            author_name=data["name"],
            author_email=data["email"],
            author_url=data["url"],
            text=data["comment"],
            parent=form.parent_comment,
            ip_address=ip_address,
            user_agent=request.headers.get("User-Agent", ""),
            notify=data["notify"],
            trap_reason=form.trap_reason,
        )
    except services.CommentsClosed as error:
        return _error_page(
            request, article=article, form=None, status=HTTPStatus.FORBIDDEN, message=error.message
        )
    except services.PostingTooQuickly as error:
        # Not a form error: nothing the reader wrote is wrong, they only have to wait.
        return _error_page(
            request,
            article=article,
            form=form,
            status=HTTPStatus.TOO_MANY_REQUESTS,
            message=error.message,
            retry_after=error.retry_after,
        )
    except services.CommentRejected as error:
        form.add_error(None, error.message)
        return _error_page(request, article=article, form=form, status=HTTPStatus.BAD_REQUEST)

    response = HttpResponseRedirect(comment.get_absolute_url(), status=HTTPStatus.SEE_OTHER)
    if comment.status != Comment.Status.APPROVED:
        # Spam-trapped posts too: the poster must see no difference.
        cookies.add_pending_id(request, response, comment.pk)
    cookies.add_editable_id(request, response, comment.pk)
    if data["remember"]:
        cookies.remember_author(response, name=data["name"], email=data["email"], url=data["url"])
    else:
        cookies.forget_author(request, response)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def form_token(request: HttpRequest, article_id: int) -> JsonResponse:
    """A fresh form token for the comment form (fetched by comments.js; never cached)."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not comments_are_open(article):
        raise Http404("Comments are closed on this article.")
    response = JsonResponse({"token": make_timestamp(article.pk)})
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # The signed token is the protection; mail clients POST here (RFC 8058).
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from comment notifications.

    GET shows a page with one button (link scanners in mail systems fetch
    links, and must not unsubscribe anyone); POST unsubscribes, which is also
    what a mail client's own "Unsubscribe" button does.
    """
    comment = comment_for_unsubscribe_token(token)
    if comment is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        services.comment_unsubscribe(comment=comment)
        done = True
    response = render(request, "comments/unsubscribe.html", {"done": done, "token": token})
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The double opt-in link: GET shows one button (mail scanners fetch links,
    and must verify nobody), POST marks the address verified. A bad or expired
    link answers 404 with a page that says so."""
    verification = verification_from_token(token)
    done = False
    if verification is not None and request.method == "POST":
        identity.commenter_verify(request=verification)
        done = True
    response = render(
        request,
        "comments/verify_email.html",
        {"verification": verification, "done": done, "token": token},
        status=HTTPStatus.OK if verification is not None else HTTPStatus.NOT_FOUND,
    )
    response["Cache-Control"] = "private, no-store"
    return response
