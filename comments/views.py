"""Reader-facing comment views: post (post/redirect/get), unsubscribe,
and the comment section's context on the article page (registered with
``articles`` in :mod:`comments.hooks`)."""

from __future__ import annotations

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from articles.public_versions import article_version
from comments import cookies, services
from comments.forms import CommentForm
from comments.models import Comment
from comments.notifications import comment_for_unsubscribe_token
from comments.ratelimit import RateLimitResult, check_post_rate
from comments.rules import comment_settings, valid_ip
from comments.selectors import ThreadNode, comment_thread_for, comments_are_open
from comments.templatetags.comment_tags import render_comment_thread
from delivery import registry
from delivery.fragments import get_fragment
from newsroom.client_ip import client_ip


def _find_node(nodes: list[ThreadNode], comment_id: int) -> ThreadNode | None:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.comment.pk == comment_id:
            return node
        stack.extend(node.children)
    return None


def comment_section_context(request: HttpRequest, article: Article) -> dict[str, object]:
    """Everything ``comments/_comments.html`` needs, in exactly one query.

    Marks the request when the section is personal (the visitor's own pending
    comments, or their remembered name and email), so that caches skip it:
    ``request.comment_poster_pending_ids`` lists the pending ids from the
    visitor's signed cookie and ``request.comments_personalized`` is True.
    """
    pending_ids = cookies.pending_ids_from(request)
    remembered = cookies.remembered_author(request)
    request.comment_poster_pending_ids = pending_ids
    request.comments_personalized = bool(pending_ids or remembered)
    if request.comments_personalized:
        registry.mark_request_personal(request)

    is_open = article.is_published and comments_are_open(article)
    max_depth = comment_settings().max_depth
    replytocom = request.GET.get("replytocom", "")
    thread: list[ThreadNode] | None = None
    if pending_ids or replytocom:
        # Personal (their own pending comments, a reply form): rendered for them alone.
        thread = comment_thread_for(article, pending_ids=pending_ids)
        thread_html = render_comment_thread(thread, is_open)
    else:
        found: dict[str, list[ThreadNode]] = {}

        def build() -> str:
            found["thread"] = comment_thread_for(article, max_depth=max_depth)
            return render_comment_thread(found["thread"], is_open)

        # The public thread is the same for everyone until a comment on this
        # article changes (each bumps the article's own version): rendered once.
        thread_html = get_fragment(
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
    if is_open:
        initial = {"parent": reply_to.pk if reply_to else None}
        if remembered:
            initial.update(
                name=remembered["name"],
                email=remembered["email"],
                url=remembered["url"],
                remember=True,
            )
        form = CommentForm(article=article, initial=initial)
    return {
        # The nodes when they were read for this request (None: the stored thread was used).
        "comment_thread": thread,
        "comment_thread_html": thread_html,
        "comment_form": form,
        "comments_open": is_open,
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
) -> HttpResponse:
    if form is not None:
        form.renew_timestamp()
    response = render(
        request,
        "comments/comment_error.html",
        {
            "article": article,
            "comment_form": form,
            "comment_reply_to": form.parent_comment if form is not None else None,
            "error_message": message,
            "comments_open": form is not None,
        },
        status=status,
    )
    cookies.mark_personal_response(request, response)
    response["Cache-Control"] = "private, no-store"
    return response


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
        return _error_page(
            request,
            article=article,
            form=form,
            status=HTTPStatus.TOO_MANY_REQUESTS,
            message="You are posting comments too quickly. Please wait a minute and try again.",
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
        form.add_error(None, error.message)
        return _error_page(request, article=article, form=form, status=HTTPStatus.TOO_MANY_REQUESTS)
    except services.CommentRejected as error:
        form.add_error(None, error.message)
        return _error_page(request, article=article, form=form, status=HTTPStatus.BAD_REQUEST)

    response = HttpResponseRedirect(comment.get_absolute_url(), status=HTTPStatus.SEE_OTHER)
    if comment.status != Comment.Status.APPROVED:
        # Spam-trapped posts too: the poster must see no difference.
        cookies.add_pending_id(request, response, comment.pk)
    if data["remember"]:
        cookies.remember_author(response, name=data["name"], email=data["email"], url=data["url"])
    else:
        cookies.forget_author(request, response)
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
