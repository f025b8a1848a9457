"""Every public page type is valid HTML for the W3C Nu HTML Checker: zero errors.

The pages are rendered by Django's test client from a seeded newsroom (hero
images made by ``generate_library_renditions``, threaded approved comments, a
staff reply, a correction, enough articles for a second page) and checked in
one batch (see nu_checker.py). Feeds and sitemaps are XML, not HTML, and are
validated in their own tests.
"""

from __future__ import annotations

import io
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import services as article_services
from articles.services import media_image_upload
from comments import services as comment_services
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    LiveEntryFactory,
    ModeratorFactory,
    SectionFactory,
    TagFactory,
    comment_form_data,
)
from tests.standards.nu_checker import readable_report

pytestmark = [pytest.mark.standards, pytest.mark.django_db]


def hero_jpeg(size: tuple[int, int] = (1400, 700)) -> bytes:
    image = Image.new("RGB", size, "#2d5f8a")
    ImageDraw.Draw(image).rectangle([100, 100, 700, 500], fill="#f0c419")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def library_image(*, alt: str, caption: str = "Trams wait at the depot before the first run."):
    return media_image_upload(
        file=ContentFile(hero_jpeg(), name="picture.jpg"),
        actor=None,
        alt_text=alt,
        caption=caption,
        credit="Jo Lens",
    )


def with_hero_image(article, *, alt: str):
    article.hero_media = library_image(alt=alt)
    article.save()
    return article


@pytest.fixture
def newsroom(settings):
    """A small but complete newsroom: every element a public page can show."""
    settings.NEWSROOM_PAGE_SIZE = 2
    city = SectionFactory(name="City", slug="city", description="News from the city hall.")
    SectionFactory(name="Sport", slug="sport")
    transport = TagFactory(name="Transport", slug="transport")
    budget = TagFactory(name="Budget & tax", slug="budget")
    ada = AuthorFactory(
        name="Ada Marsh",
        slug="ada-marsh",
        bio="Ada covers transport.\n\nAnd tax.",
        photo_media=library_image(alt="Ada Marsh"),  # the author page draws it with srcset
    )
    ben = AuthorFactory(name="Ben O'Hara", slug="ben-ohara", bio="")

    article = with_hero_image(
        ArticleFactory(
            headline='Council approves new tram line <after> a "long" night',
            slug="council-approves-new-tram-line",
            standfirst="The vote came after a long night of debate & protest.",
            body=(
                "<h2>What happens next</h2><p>Work starts in <strong>spring</strong>.</p>"
                "<ul><li>Line A</li><li>Line B</li></ul>"
                '<blockquote><p>"A good day," said the mayor.</p></blockquote>'
                '<p><a href="https://example.org/plan">The plan</a></p>'
                # A pasted YouTube link: a click-to-load embed on output.
                '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>"
            ),
            section=city,
            tags=[transport, budget],
            authors=[ada, ben],
            is_featured=True,
        ),
        alt="A tram at the depot",
    )
    # Two figures from the media library inside the body, one of them without words.
    figures = [library_image(alt="Line A's first stop"), library_image(alt="", caption="")]
    article.body += "".join(f'<figure data-media-id="{image.pk}"></figure>' for image in figures)
    article.save(update_fields=["body"])
    article.figures.set(figures)
    article_services.article_add_correction(
        article=article, actor=EditorFactory(), text="An earlier version gave the wrong date."
    )
    first = CommentFactory(
        article=article,
        approved=True,
        author_name="Carla <b>Reader</b>",
        author_url="https://example.org/carla",
        text="Great news for the east of the city.\n\nFinally!",
    )
    reply = CommentFactory(article=article, approved=True, parent=first, text="I agree & more.")
    CommentFactory(article=article, approved=True, parent=reply, text="Third level.")
    comment_services.comment_staff_reply(
        parent=first, moderator=ModeratorFactory(), text="Thanks, we will follow this."
    )
    CommentFactory(article=article, text="A pending comment nobody else sees.")

    for number in range(5):
        ArticleFactory(
            headline=f"Tram depot story {number}",
            section=city,
            tags=[transport],
            authors=[ada],
        )
    match = ArticleFactory(
        headline="Match report", section=SectionFactory(name="Sport", slug="sport")
    )
    # A live story: an entry with a library picture, one without.
    live = ArticleFactory(
        headline="Storm live", section=match.section, coverage_start_at=timezone.now()
    )
    LiveEntryFactory(article=live, author=ada, media=library_image(alt="Waves over the pier"))
    LiveEntryFactory(article=live, headline="Power cut", is_key_event=True)
    return {
        "article": article,
        "section": city,
        "tag": transport,
        "author": ada,
        "comment": first,
        "live": live,
    }


def render_public_pages(newsroom) -> dict[str, tuple[int, str]]:
    """Each public page type: name -> (status code, HTML)."""
    article = newsroom["article"]
    article_url = article.get_absolute_url()
    search = reverse("articles:search")
    pages: dict[str, tuple[int, str]] = {}

    def get(name: str, url: str, status: HTTPStatus = HTTPStatus.OK, client=None) -> None:
        response = (client or Client()).get(url)
        assert response.status_code == status, (name, url, response.status_code)
        pages[name] = (response.status_code, response.content.decode())

    get("home", reverse("articles:home"))
    get("home-page-2", f"{reverse('articles:home')}?page=2")
    get("article", article_url)
    get("article-replying", f"{article_url}?replytocom={newsroom['comment'].pk}")
    get("live-story", newsroom["live"].get_absolute_url())
    get("section", newsroom["section"].get_absolute_url())
    get("section-page-2", f"{newsroom['section'].get_absolute_url()}?page=2")
    get("tag", newsroom["tag"].get_absolute_url())
    get("author", newsroom["author"].get_absolute_url())
    get("search-form", search)
    get("search-results", f"{search}?q=tram")
    get("search-results-page-2", f"{search}?q=tram&page=2")
    get("search-no-results", f"{search}?q=%22zebra%22+OR+1%3D1+%3Cscript%3E")
    get("not-found", "/no-such-page/", HTTPStatus.NOT_FOUND)
    get("embed-frame", reverse("articles:embed", args=["youtube", "dQw4w9WgXcQ"]))

    post_url = reverse("comments:post", kwargs={"article_id": article.pk})
    bad = Client().post(post_url, comment_form_data(article, name="", email="not-an-email"))
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    pages["comment-form-errors"] = (bad.status_code, bad.content.decode())

    # The poster of a held comment sees it, marked as awaiting moderation.
    poster = Client()
    posted = poster.post(post_url, comment_form_data(article, comment="Held for moderation."))
    assert posted.status_code == HTTPStatus.SEE_OTHER
    get("article-own-pending-comment", article_url, client=poster)
    return pages


def write_pages(pages: dict[str, tuple[int, str]], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, (_status, html) in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    return files


def test_every_public_page_type_is_valid_html(newsroom, html_checker, tmp_path):
    pages = render_public_pages(newsroom)
    files = write_pages(pages, tmp_path / "pages")

    errors = html_checker(files)

    assert not errors, (
        f"The Nu HTML Checker found {len(errors)} error(s) "
        f"(the pages are in {tmp_path / 'pages'}):\n{readable_report(errors)}"
    )


def test_the_pages_checked_show_what_they_are_meant_to(newsroom):
    """Guards the lane itself: each page really has the parts it is there to check."""
    pages = {name: html for name, (_status, html) in render_public_pages(newsroom).items()}

    assert 'class="comment-list comment-list--children"' in pages["article"]
    assert 'id="commentform"' in pages["article"]
    assert 'srcset="' in pages["article"]
    assert 'class="corrections"' in pages["article"]
    assert "Load the video from YouTube" in pages["article"]
    assert pages["live-story"].count('class="article-figure"') == 1
    assert "live-entry--key" in pages["live-story"]
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in pages["embed-frame"]
    assert "comment--staff" in pages["article"]
    assert "Held for moderation." in pages["article-own-pending-comment"]
    assert "is-invalid" in pages["comment-form-errors"]
    assert "<mark>" in pages["search-results"]
    assert "No articles match your search" in pages["search-no-results"]
    assert 'rel="prev"' in pages["section-page-2"]
    assert 'class="lead-story"' in pages["home"]
    assert "Page not found" in pages["not-found"]


def test_the_checker_reports_invalid_html(html_checker, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
        '<body><p><div>block in a paragraph</div></p><img src="x.png"></body></html>',
        encoding="utf-8",
    )
    valid = tmp_path / "valid.html"
    valid.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Fine</title></head><body><p>Hi</p></body></html>',
        encoding="utf-8",
    )

    errors = html_checker([broken, valid])

    assert {error.file for error in errors} == {"broken.html"}
    report = readable_report(errors)
    assert "broken.html (2 errors)" in report
    assert "“img” element must have an “alt” attribute" in report


# Internal links the crawl of the demo site leaves alone: not HTML pages, or
# not pages a reader browses to (the comment form posts, "reply" links).
NOT_CRAWLED = re.compile(r"^/(admin|static|media|comments)/|/feeds?/|\.(xml|txt)$|replytocom=")
CRAWL_LIMIT = 150


def test_every_page_of_the_demo_newsroom_is_valid_html(html_checker, tmp_path, settings):
    """What `make run` shows: real demo content, every page reachable from the home page."""
    settings.NEWSROOM_PAGE_SIZE = 4  # so that the lists have second pages
    call_command("load_demo", force=True, stdout=io.StringIO())
    client = Client()
    folder = tmp_path / "demo"
    folder.mkdir()
    queue, seen, files = ["/"], set(), []
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        html = response.content.decode()
        path = folder / (re.sub(r"[^a-z0-9]+", "_", url).strip("_") or "home")
        path = path.with_suffix(".html")
        path.write_text(html, encoding="utf-8")
        files.append(path)
        for href in re.findall(r'href="(/[^"#]*)', html):
            href = href.replace("&amp;", "&")
            if not NOT_CRAWLED.search(href) and href not in seen:
                queue.append(href)
    assert len(files) > 20, [file.name for file in files]  # the crawl really went round

    errors = html_checker(files)

    assert not errors, (
        f"The Nu HTML Checker found {len(errors)} error(s) in the demo site "
        f"(the pages are in {folder}):\n{readable_report(errors)}"
    )
