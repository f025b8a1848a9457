"""The edge, proven: Varnish (deploy/varnish/newsroom.vcl) in front of gunicorn with the
production settings, purged by tag by the app (delivery.edge)."""

from __future__ import annotations

import gzip
import http.client
import json
from http import HTTPStatus

import pytest

from tests.edge.proxy import EDITOR, Reader
from tests.servers import eventually, hidden_fields

pytestmark = [pytest.mark.edge, pytest.mark.slow]

ARTICLE = "/news/harbour-bridge-reopens/"
# Pages the app marks public today; the article page joins them once it carries
# no per-visitor value (the comment form's CSRF token) and says so.
PUBLIC_PAGES = ["/", "/section/city/", "/feeds/rss/", f"{ARTICLE}comments/feed/rss/"]


def cached_copy(edge, path: str, reader: Reader | None = None):
    """Fetch ``path`` until the proxy answers it from its store; that answer."""
    reader = reader or Reader(edge)
    return eventually(lambda: (r := reader.get(path)).answered_by_proxy and r, seconds=3)


def send_purge(edge, tags: str, *, source: str = "127.0.0.1"):
    """A PURGE as the app sends it (delivery.edge): no forwarding headers."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", edge.port, source_address=(source, 0), timeout=10
    )
    try:
        connection.request("PURGE", "/", headers={"xkey": tags})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def shell(edge, code: str) -> None:
    edge.shell(
        "from django.contrib.auth.models import User\nchief = User.objects.get(username='chief')\n"
        + code
    )


# --- Shared copies ----------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_repeat_anonymous_request_is_answered_by_the_proxy_without_reaching_django(edge, path):
    first = Reader(edge).get(path)
    repeat = Reader(edge, address="198.51.100.20").get(path)

    assert first.status == repeat.status == HTTPStatus.OK
    assert repeat.answered_by_proxy, repeat.headers
    assert int(repeat.headers["Age"]) >= 0
    assert repeat.body == first.body
    assert repeat.headers["X-Request-ID"] == repeat.request_id  # the reader's, not the first's
    assert not edge.reached_app(repeat.request_id)


def test_a_repeat_article_request_is_answered_by_the_proxy(edge):
    # The article page holds no per-visitor value, so it is public and shared.
    first = Reader(edge).get(ARTICLE)
    assert "public" in first.headers["Cache-Control"]
    repeat = cached_copy(edge, ARTICLE)

    assert repeat, "the public article page was never answered by the proxy"
    assert not edge.reached_app(repeat.request_id)


def test_analytics_cookies_do_not_split_the_shared_copy(edge):
    cached_copy(edge, "/")

    with_junk = Reader(edge, cookies={"_ga": "GA1.2.3", "_pk_id": "abc"}).get("/")

    assert with_junk.answered_by_proxy
    assert not edge.reached_app(with_junk.request_id)


def test_campaign_parameters_share_the_page_without_them(edge):
    cached_copy(edge, "/section/city/")

    tagged = Reader(edge).get("/section/city/?utm_source=newsletter&utm_medium=email")

    assert tagged.answered_by_proxy
    assert not edge.reached_app(tagged.request_id)


def test_readers_with_and_without_gzip_share_one_stored_copy(edge):
    plain = cached_copy(edge, "/")  # large enough for the app to compress

    compressed = Reader(edge).get("/", headers={"Accept-Encoding": "gzip, deflate, br"})

    assert compressed.answered_by_proxy
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.body) == plain.body


def test_headers_for_the_proxy_never_reach_readers(edge):
    for response in (Reader(edge).get("/"), Reader(edge).get("/")):
        assert "xkey" not in response.headers
        assert "Surrogate-Control" not in response.headers
        assert "public" in response.headers["Cache-Control"]


# --- What passes through ------------------------------------------------------------------


def post_comment(edge, reader: Reader, text: str):
    # Flood control keys on the address and the email: one email per post.
    email = f"{abs(hash(text))}@example.org"
    page = reader.get(ARTICLE)
    assert page.status == HTTPStatus.OK
    fields = hidden_fields(page.text(), f'action="/comments/post/{edge.article_id}/"')
    # The shared page holds no form token: the page's script fetches one.
    token = reader.get(f"/comments/form-token/{edge.article_id}/")
    assert token.status == HTTPStatus.OK
    assert token.headers["X-Cache"] == "pass" or "no-store" in token.headers["Cache-Control"]
    fields["timestamp"] = json.loads(token.text())["token"]
    return reader.post_form(
        f"/comments/post/{edge.article_id}/",
        fields | {"name": "Reader", "email": email, "url": "", "comment": text},
    )


def test_a_comment_post_passes_through_to_the_app_with_the_readers_address(edge):
    reader = Reader(edge, address="203.0.113.41")

    posted = post_comment(edge, reader, "Posted through the proxy")

    assert posted.status == HTTPStatus.SEE_OTHER, posted.text()[:2000]
    assert posted.headers["X-Cache"] == "pass"
    assert edge.reached_app(posted.request_id)
    stored = edge.shell(
        "from comments.models import Comment;"
        "print(Comment.objects.get(text='Posted through the proxy').ip_address)"
    ).split()[-1]
    assert stored == "203.0.113.41"


def test_a_reader_with_a_pending_comment_gets_their_own_pages(edge):
    cached_copy(edge, "/")
    reader = Reader(edge, address="203.0.113.42")
    assert post_comment(edge, reader, "My own words await").status == HTTPStatus.SEE_OTHER
    assert "comment_pending" in reader.cookies

    own_article = reader.get(ARTICLE)
    own_home = reader.get("/")
    someone_else = Reader(edge).get(ARTICLE)

    assert "My own words await" in own_article.text()
    assert "My own words await" not in someone_else.text()
    for response in (own_article, own_home):
        assert response.headers["X-Cache"] == "pass"
        assert edge.reached_app(response.request_id)
        assert "private" in response.headers["Cache-Control"]


def test_the_admin_passes_through_and_an_editor_gets_fresh_pages(edge):
    editor = Reader(edge)
    login_page = editor.get("/admin/login/")
    assert login_page.headers["X-Cache"] == "pass"
    assert edge.reached_app(login_page.request_id)

    logged_in = editor.post_form(
        "/admin/login/",
        hidden_fields(login_page.text(), 'id="login-form"')
        | {"username": EDITOR[0], "password": EDITOR[1], "next": "/admin/"},
    )
    assert logged_in.status == HTTPStatus.FOUND, logged_in.text()[:2000]
    dashboard = editor.get("/admin/")
    cached_copy(edge, "/")
    home_for_editor = editor.get("/")

    assert dashboard.status == HTTPStatus.OK
    assert "Log out" in dashboard.text()
    assert edge.reached_app(dashboard.request_id)
    assert home_for_editor.headers["X-Cache"] == "pass"
    assert edge.reached_app(home_for_editor.request_id)


# --- Purges: changes show through the proxy within seconds ---------------------------


def shows(edge, path: str, text: str, *, present: bool = True, status: int = HTTPStatus.OK):
    """Within a few seconds, ``path`` through the proxy shows ``text`` (or no longer does)."""

    def check():
        response = Reader(edge).get(path)
        return response.status == status and ((text in response.text()) == present)

    return eventually(check, seconds=5)


def test_a_publish_an_edit_and_an_unpublish_show_through_the_proxy_within_seconds(edge):
    listing_pages = ["/", "/section/city/", "/feeds/rss/"]
    for path in listing_pages:
        assert cached_copy(edge, path)
    shell(
        edge,
        "from articles.models import Article, Section\n"
        "from articles import services\n"
        "article = Article.objects.create(headline='Ferry strike ends', slug='ferry-strike-ends',"
        " section=Section.objects.get(slug='city'), standfirst='Boats sail.',"
        " body='<p>Sailing.</p>', status=Article.Status.DRAFT)\n"
        "services.article_publish(article=article, actor=chief)\n",
    )
    for path in listing_pages:
        assert shows(edge, path, "Ferry strike ends"), path

    # The article's own page too: the proxy keeps it like the lists.
    watched = [*listing_pages, "/news/ferry-strike-ends/"]
    for path in watched:
        assert cached_copy(edge, path)
    shell(
        edge,
        "from articles.models import Article\n"
        "from articles import services\n"
        "article = Article.objects.get(slug='ferry-strike-ends')\n"
        "article.headline = 'Ferry strike ends after talks'\n"
        "services.article_save(article=article, actor=chief)\n",
    )
    for path in watched:
        assert shows(edge, path, "Ferry strike ends after talks"), path

    for path in watched:
        assert cached_copy(edge, path)
    shell(
        edge,
        "from articles.models import Article\n"
        "from articles import services\n"
        "services.article_unpublish(article=Article.objects.get(slug='ferry-strike-ends'),"
        " actor=chief)\n",
    )
    for path in listing_pages:
        assert shows(edge, path, "Ferry strike ends", present=False), path
    assert shows(edge, "/news/ferry-strike-ends/", "", status=HTTPStatus.NOT_FOUND)


def test_an_approved_comment_shows_through_the_proxy_within_seconds(edge):
    reader = Reader(edge, address="203.0.113.43")
    assert post_comment(edge, reader, "Approved words").status == HTTPStatus.SEE_OTHER
    feed = f"{ARTICLE}comments/feed/rss/"
    assert "Approved words" not in cached_copy(edge, feed).text()
    assert "Approved words" not in cached_copy(edge, ARTICLE).text()

    shell(
        edge,
        "from comments.models import Comment\n"
        "from comments import services\n"
        "services.comment_approve(comment=Comment.objects.get(text='Approved words'),"
        " moderator=chief)\n",
    )

    assert shows(edge, feed, "Approved words")
    assert shows(edge, ARTICLE, "Approved words")


def test_without_the_purge_the_proxy_keeps_its_copy_until_purged_by_tag(edge):
    # The proxy really holds pages: a change whose purge is lost stays unseen...
    assert cached_copy(edge, "/section/city/")
    edge.shell(
        "from django.test import override_settings\n"
        "from delivery.versions import bump_version\n"
        "from articles.models import Section\n"
        "Section.objects.filter(slug='city').update(description='Unpurged words')\n"
        "with override_settings(NEWSROOM_PURGE_URLS=[]):\n"
        "    bump_version('public-content')\n"
    )
    stale = Reader(edge).get("/section/city/")
    assert stale.answered_by_proxy
    assert "Unpurged words" not in stale.text()

    # ...until a PURGE names one of its tags (as the app sends it after a change).
    purged = send_purge(edge, "public-content")

    assert purged.status == HTTPStatus.OK, purged.reason
    assert shows(edge, "/section/city/", "Unpurged words")


# --- The live story's poll: one answer for every reader --------------------------------


def test_a_repeat_poll_is_answered_by_the_proxy_and_a_new_entry_reaches_the_next_poll(edge):
    latest = edge.shell(
        "from django.contrib.auth.models import User\n"
        "from django.utils import timezone\n"
        "from articles.models import Article, Section\n"
        "from articles import services\n"
        "chief = User.objects.get(username='chief')\n"
        "story = Article.objects.create(headline='Live: tide rises', slug='tide-live',"
        " section=Section.objects.get(slug='city'), standfirst='As it happens.',"
        " body='<p>Tide.</p>', status=Article.Status.PUBLISHED, publish_at=timezone.now())\n"
        "services.live_start(article=story, actor=chief)\n"
        "print(services.live_entry_add(article=story, actor=chief, body='<p>High water.</p>').pk)\n"
    ).split()[-1]
    poll = f"/news/tide-live/live/entries/?after={latest}"

    first = Reader(edge).get(poll)
    repeat = cached_copy(edge, poll, Reader(edge, address="198.51.100.30"))
    assert first.status == HTTPStatus.OK
    assert json.loads(first.body)["entries"] == []
    assert repeat, "the poll was never answered by the proxy"
    assert not edge.reached_app(repeat.request_id)
    # A reader whose copy is current gets a 304 from the proxy, not from Django.
    current = Reader(edge).get(poll, headers={"If-None-Match": repeat.headers["ETag"]})
    assert current.status == HTTPStatus.NOT_MODIFIED
    assert current.answered_by_proxy
    assert not edge.reached_app(current.request_id)

    # A new entry purges the stored answer (its TTL is a few seconds, the
    # bound when a purge is lost): the very next poll brings the entry.
    shell(
        edge,
        "from articles.models import Article\n"
        "from articles import services\n"
        "services.live_entry_add(article=Article.objects.get(slug='tide-live'), actor=chief,"
        " body='<p>Sea wall breached.</p>')\n",
    )
    next_poll = Reader(edge).get(poll)

    assert next_poll.status == HTTPStatus.OK
    assert "Sea wall breached." in next_poll.text()
    assert not next_poll.answered_by_proxy


# --- Who may purge -----------------------------------------------------------------------


def test_a_purge_from_an_address_outside_the_acl_is_refused(edge):
    assert cached_copy(edge, "/feeds/rss/")

    refused = send_purge(edge, "public-content", source="127.0.0.2")

    assert refused.status == HTTPStatus.FORBIDDEN
    assert Reader(edge).get("/feeds/rss/").answered_by_proxy


def test_a_purge_relayed_by_nginx_for_a_reader_is_refused(edge):
    assert cached_copy(edge, "/feeds/rss/")

    # nginx sets X-Forwarded-Proto on everything it relays; the app's purges carry none.
    refused = Reader(edge).request("PURGE", "/", headers={"xkey": "public-content"})

    assert refused.status == HTTPStatus.FORBIDDEN
    assert Reader(edge).get("/feeds/rss/").answered_by_proxy


def test_health_probes_always_reach_the_app(edge):
    for _ in range(2):
        probe = Reader(edge).get("/readyz")
        assert probe.status == HTTPStatus.OK
        assert json.loads(probe.body)["database"] == "ok"
        assert edge.reached_app(probe.request_id)
