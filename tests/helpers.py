"""Helpers several test modules share (fixtures live in ``tests/conftest.py``).

Test modules never import from each other or from a ``conftest.py``: what two
of them need lives here (or in ``tests/factories.py``), so that moving or
renaming a test file breaks no other.
"""

from __future__ import annotations

import io
import re
from http import HTTPStatus

from django.db import connection
from django.urls import reverse
from PIL import ExifTags, Image

from articles.models import Article
from comments import services as comment_services
from comments.models import Comment
from tests.factories import SectionFactory, comment_form_data

#: A hero image's stored rendition data, as the upload would leave it.
RENDITIONS = {
    "width": 2000,
    "height": 1000,
    "renditions": {
        "320": "renditions/tram-320.jpg",
        "640": "renditions/tram-640.jpg",
        "1280": "renditions/tram-1280.jpg",
    },
}


# --- Images ---------------------------------------------------------------------


def photo_with_gps(size=(1600, 900), *, orientation: int | None = None) -> bytes:
    """A phone photo: a camera make, a GPS position, a comment, maybe sideways."""
    picture = Image.new("RGB", size, (200, 30, 30))
    picture.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, comment=b"shot at 12 Secret Street", quality=90)
    return buffer.getvalue()


def assert_no_metadata(raw: bytes) -> None:
    with Image.open(io.BytesIO(raw)) as served:
        assert dict(served.getexif()) == {}
        assert "exif" not in served.info
        assert "comment" not in served.info
    assert b"SecretCam" not in raw
    assert b"Secret Street" not in raw


# --- Public pages ----------------------------------------------------------------


def article_change_versions(article: Article) -> tuple[int, int]:
    """The versions a change of one public article bumps: the lists' and its own page's."""
    from articles import public_versions
    from delivery.versions import read_version

    return (
        read_version(public_versions.PUBLIC_LISTS),
        public_versions.article_own_version(article.slug),
    )


def page_urls(newsroom) -> dict[str, str]:
    """Every cached public page that lists or shows the newsroom's article."""
    slug = newsroom["article"].slug
    return {
        "article": newsroom["article"].get_absolute_url(),
        "home": reverse("articles:home"),
        "section": newsroom["section"].get_absolute_url(),
        "tag": newsroom["tag"].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
        "rss": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "section_feed": reverse("articles:section_feed_rss", kwargs={"slug": "city"}),
        "tag_feed": reverse("articles:tag_feed_atom", kwargs={"slug": "transport"}),
        "author_feed": reverse("articles:author_feed_rss", kwargs={"slug": "ada-marsh"}),
        "sitemap_articles": reverse("sitemap_section", kwargs={"section": "articles"}),
        "sitemap_news": reverse("sitemap_news"),
        "comments_feed": reverse("comments:article_feed_rss", kwargs={"slug": slug}),
    }


def fetch(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


def assert_rendered(response) -> None:
    """The response was rendered by its view, not answered from the page cache.

    A query budget measured on a page-cache hit counts zero queries whatever
    the page costs: every budget test calls this on the response it measures.
    """
    assert response.get("X-Page-Cache", "off") in {"off", "miss", "bypass"}, response.get(
        "X-Page-Cache"
    )


# --- Comments --------------------------------------------------------------------


def submit_comment(article, **overrides) -> Comment:
    """A comment through ``comments.services.comment_submit``, as the form view would send it."""
    values = {
        "article": article,
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "text": "A plain comment.",
        "ip_address": "198.51.100.20",
    }
    values.update(overrides)
    return comment_services.comment_submit(**values)


def post_url(article) -> str:
    """Where the comment form of ``article`` posts."""
    return reverse("comments:post", kwargs={"article_id": article.pk})


def comment_post(article, token: str, **overrides) -> dict[str, str]:
    """The comment form's fields as a browser posts them, with a CSRF ``token``."""
    return comment_form_data(article) | {"csrfmiddlewaretoken": token} | overrides


# --- The article admin -------------------------------------------------------------


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def article_form_data(article: Article | None = None, **overrides) -> dict:
    """What the admin's change form posts for ``article`` (or a new one)."""
    section = article.section if article else SectionFactory()
    data = {
        "headline": article.headline if article else "Harbour ferry returns after winter",
        "slug": article.slug if article else "harbour-ferry-returns",
        "standfirst": article.standfirst if article else "Crossings resume on Saturday.",
        "body": article.body if article else "<p>The ferry is back.</p>",
        "authors": [author.pk for author in article.authors.all()] if article else [],
        "section": section.pk,
        "tags": [],
        "hero_image_alt": "",
        "hero_image_caption": "",
        "hero_image_credit": "",
        "comments_open": "on",
        "loaded_version": article.version if article else "",
    }
    if article is not None and article.status == Article.Status.PUBLISHED:
        # Published articles carry the (empty) corrections inline.
        data.update(correction_formset(total_forms="0"))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def correction_formset(prefix: str = "corrections", total_forms: str = "1", **new) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": total_forms,
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update({f"{prefix}-0-{key}": value for key, value in new.items()})
    return data


# --- Query plans -------------------------------------------------------------------


def full_scans(sql: str) -> list[str]:
    """The plan lines that read a whole article or comment table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            lines = [row[-1] for row in cursor.fetchall()]
            pattern = re.compile(r"^SCAN (articles_article|comments_comment)\b(?!.*USING)")
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            lines = [row[0] for row in cursor.fetchall()]
            pattern = re.compile(r"Seq Scan on (articles_article|comments_comment)\b")
    return [line for line in lines if pattern.search(line.strip())]
