"""Live coverage: services, the live story's page, its poll endpoint, feed and metadata."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.images.library import MediaImage
from articles.live_views import POLL_MAX_AGE
from articles.models import Article, LiveEntry
from articles.public_versions import (
    ARTICLE_COUNTS,
    CONTENT_PAGE,
    PUBLIC_CONTENT,
    article_version,
)
from delivery.versions import bump_version, read_version
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    LiveEntryFactory,
    MediaImageFactory,
    ReporterFactory,
)
from tests.helpers import assert_no_metadata, assert_rendered, photo_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(db):
    return ArticleFactory(headline="Storm hits the coast", coverage_start_at=timezone.now())


def _entries_url(article, after=0):
    return reverse("articles:live_entries", kwargs={"slug": article.slug}) + f"?after={after}"


def article_version_value(article) -> int:
    return read_version(article_version(article.slug))


def _own_story(reporter):
    author = AuthorFactory(user=reporter)
    return ArticleFactory(authors=[author], coverage_start_at=timezone.now())


# --- Services: who may do what ----------------------------------------------------------


def test_an_editor_starts_and_ends_live_coverage(editor):
    article = ArticleFactory()

    services.live_start(article=article, actor=editor)
    article.refresh_from_db()
    assert article.is_live

    services.live_end(article=article, actor=editor)
    article.refresh_from_db()
    assert article.is_live_story
    assert not article.is_live
    assert article.coverage_end_at is not None


def test_a_reporter_cannot_start_or_end_coverage(reporter, story):
    with pytest.raises(services.ActionNotAllowed):
        services.live_start(article=ArticleFactory(), actor=reporter)
    with pytest.raises(services.ActionNotAllowed):
        services.live_end(article=story, actor=reporter)


def test_ending_coverage_twice_is_refused(editor, story):
    services.live_end(article=story, actor=editor)
    with pytest.raises(services.WorkflowError):
        services.live_end(article=story, actor=editor)


def test_an_editor_posts_a_sanitised_entry_under_their_own_byline(editor, story):
    byline = AuthorFactory(user=editor, name="Eda Tor")

    entry = services.live_entry_add(
        article=story,
        actor=editor,
        body='<p>Winds at 120 km/h.<script>alert(1)</script></p><p onclick="x()">Roads shut.</p>',
    )

    assert entry.author == byline
    assert entry.created_by == editor
    assert "<script" not in entry.body
    assert "onclick" not in entry.body
    assert "Winds at 120 km/h." in entry.body


def test_an_entry_needs_text(editor, story):
    with pytest.raises(services.InvalidRequest):
        services.live_entry_add(article=story, actor=editor, body="<p> </p><script>x</script>")


def test_no_entry_goes_to_an_article_without_live_coverage(editor):
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_add(article=ArticleFactory(), actor=editor, body="<p>Hi</p>")


def test_no_entry_goes_to_a_story_whose_coverage_ended(editor, story):
    services.live_end(article=story, actor=editor)
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_add(article=story, actor=editor, body="<p>Late</p>")


def test_a_reporter_posts_to_their_own_live_story_but_not_to_others(reporter):
    own = _own_story(reporter)
    other = ArticleFactory(coverage_start_at=timezone.now())

    entry = services.live_entry_add(article=own, actor=reporter, body="<p>On the scene.</p>")

    assert entry.article == own
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_add(article=other, actor=reporter, body="<p>Not mine.</p>")


def test_only_editors_pin_key_events(reporter, editor):
    own = _own_story(reporter)
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_add(
            article=own, actor=reporter, body="<p>Big news.</p>", is_key_event=True
        )
    entry = services.live_entry_add(article=own, actor=reporter, body="<p>Big news.</p>")
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_set_key_event(entry=entry, actor=reporter, key_event=True)

    services.live_entry_set_key_event(entry=entry, actor=editor, key_event=True)
    entry.refresh_from_db()
    assert entry.is_key_event


def test_a_reporter_changes_only_their_own_entries(reporter, editor):
    own = _own_story(reporter)
    mine = services.live_entry_add(article=own, actor=reporter, body="<p>Mine.</p>")
    theirs = services.live_entry_add(article=own, actor=editor, body="<p>Editor's.</p>")

    services.live_entry_edit(entry=mine, actor=reporter, body="<p>Mine, fixed.</p>")
    assert LiveEntry.objects.get(pk=mine.pk).body == "<p>Mine, fixed.</p>"
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_edit(entry=theirs, actor=reporter, body="<p>Hijack.</p>")
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_delete(entry=theirs, actor=reporter)
    other_reporter = ReporterFactory()
    with pytest.raises(services.ActionNotAllowed):
        services.live_entry_delete(entry=mine, actor=other_reporter)

    services.live_entry_delete(entry=mine, actor=reporter)
    assert not LiveEntry.objects.filter(pk=mine.pk).exists()


def test_a_picture_needs_its_alt_text(editor, story):
    upload = SimpleUploadedFile("x.png", b"not really", content_type="image/png")
    with pytest.raises(services.InvalidRequest):
        services.live_entry_add(
            article=story,
            actor=editor,
            body="<p>Look.</p>",
            upload=services.LiveImageUpload(file=upload),
        )


def test_a_broken_picture_is_refused_with_a_reason(editor, story):
    upload = SimpleUploadedFile("x.png", b"not really", content_type="image/png")
    with pytest.raises(services.ArticleImageRefused):
        services.live_entry_add(
            article=story,
            actor=editor,
            body="<p>Look.</p>",
            upload=services.LiveImageUpload(file=upload, alt_text="A wave"),
        )
    assert not LiveEntry.objects.exists()
    assert not MediaImage.objects.exists()


# --- Pictures: from the media library ---------------------------------------------------------


def _library_image(**words) -> MediaImage:
    return MediaImageFactory(
        alt_text=words.pop("alt_text", "Waves over the pier"),
        caption=words.pop("caption", "The pier at noon"),
        credit=words.pop("credit", "Sam Shore"),
        renditions={
            "width": 1600,
            "height": 900,
            "renditions": {"320": "renditions/p/320.jpg", "1280": "renditions/p/1280.jpg"},
        },
        **words,
    )


def _photo_upload(name="pier.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_with_gps((800, 450)), content_type="image/jpeg")


def test_an_entry_shows_a_library_image_as_a_figure_with_caption_and_credit(client, editor, story):
    image = _library_image()
    services.live_entry_add(article=story, actor=editor, body="<p>Look.</p>", media=image)

    page = client.get(story.get_absolute_url()).content.decode()

    entry_html = page[page.index('class="live-entry"') :]
    figure = entry_html[entry_html.index("<figure") : entry_html.index("</figure>")]
    assert 'srcset="/media/renditions/p/320.jpg 320w, /media/renditions/p/1280.jpg 1280w"' in figure
    assert 'width="1280" height="720"' in figure  # the largest rendition's
    assert 'alt="Waves over the pier"' in figure
    assert "The pier at noon" in figure
    assert "Sam Shore" in figure


def test_a_picture_uploaded_with_an_entry_lands_in_the_library(editor, story):
    entry = services.live_entry_add(
        article=story,
        actor=editor,
        body="<p>Look.</p>",
        upload=services.LiveImageUpload(
            file=_photo_upload(), alt_text="The pier", caption="At noon", credit="Sam Shore"
        ),
    )

    image = MediaImage.objects.get()
    assert entry.media == image
    assert (image.alt_text, image.caption, image.credit) == ("The pier", "At noon", "Sam Shore")
    assert (image.uploaded_by, image.uploaded_for) == (editor, story)
    assert image.image.renditions
    assert_no_metadata(default_storage.open(image.file.name).read())


def test_an_upload_wins_over_a_chosen_library_image(editor, story):
    chosen = _library_image()
    entry = services.live_entry_add(
        article=story,
        actor=editor,
        body="<p>Look.</p>",
        media=chosen,
        upload=services.LiveImageUpload(file=_photo_upload(), alt_text="The pier"),
    )

    assert entry.media != chosen
    assert entry.media.alt_text == "The pier"


def test_deleting_an_entry_deletes_the_picture_uploaded_with_it(
    editor, story, django_capture_on_commit_callbacks
):
    entry = services.live_entry_add(
        article=story,
        actor=editor,
        body="<p>Look.</p>",
        upload=services.LiveImageUpload(file=_photo_upload(), alt_text="The pier"),
    )
    file_name = entry.media.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_delete(entry=entry, actor=editor)

    assert not MediaImage.objects.exists()
    assert not default_storage.exists(file_name)


def test_deleting_the_story_deletes_the_pictures_uploaded_with_its_entries(editor, story):
    services.live_entry_add(
        article=story,
        actor=editor,
        body="<p>Look.</p>",
        upload=services.LiveImageUpload(file=_photo_upload(), alt_text="The pier"),
    )
    kept = _library_image()
    services.live_entry_add(article=story, actor=editor, body="<p>Hi.</p>", media=kept)

    services.article_delete(article=story, actor=editor)

    assert list(MediaImage.objects.all()) == [kept]


def test_deleting_an_entry_keeps_a_picture_chosen_from_the_library(editor, story):
    image = _library_image()
    entry = services.live_entry_add(article=story, actor=editor, body="<p>Hi.</p>", media=image)

    services.live_entry_delete(entry=entry, actor=editor)

    assert MediaImage.objects.filter(pk=image.pk).exists()


def test_replacing_an_entrys_uploaded_picture_deletes_the_old_one_unless_shown_elsewhere(
    editor, story
):
    entry = services.live_entry_add(
        article=story,
        actor=editor,
        body="<p>Look.</p>",
        upload=services.LiveImageUpload(file=_photo_upload("one.jpg"), alt_text="One"),
    )
    first = entry.media
    services.live_entry_add(article=story, actor=editor, body="<p>Again.</p>", media=first)

    services.live_entry_edit(
        entry=entry,
        actor=editor,
        body="<p>Look.</p>",
        upload=services.LiveImageUpload(file=_photo_upload("two.jpg"), alt_text="Two"),
    )
    assert MediaImage.objects.filter(pk=first.pk).exists()  # the other entry shows it

    second = LiveEntry.objects.get(pk=entry.pk).media
    services.live_entry_edit(entry=entry, actor=editor, body="<p>Look.</p>", media=None)
    assert LiveEntry.objects.get(pk=entry.pk).media is None
    assert not MediaImage.objects.filter(pk=second.pk).exists()


def test_editing_an_entrys_text_keeps_its_picture(editor, story):
    image = _library_image()
    entry = services.live_entry_add(article=story, actor=editor, body="<p>Hi.</p>", media=image)

    services.live_entry_edit(entry=entry, actor=editor, body="<p>Hi again.</p>")

    assert LiveEntry.objects.get(pk=entry.pk).media == image


def test_a_changed_caption_refreshes_the_live_story_showing_it(
    editor, story, django_capture_on_commit_callbacks
):
    image = _library_image()
    services.live_entry_add(article=story, actor=editor, body="<p>Hi.</p>", media=image)
    before = article_version_value(story)

    image.caption = "A new caption"
    with django_capture_on_commit_callbacks(execute=True):
        services.media_image_save(image=image, actor=editor)

    assert article_version_value(story) != before


def test_the_poll_endpoint_draws_the_entrys_figure(client, editor, story):
    first = services.live_entry_add(article=story, actor=editor, body="<p>First.</p>")
    services.live_entry_add(
        article=story, actor=editor, body="<p>Look.</p>", media=_library_image()
    )

    data = client.get(_entries_url(story, after=first.pk)).json()

    (html,) = [entry["html"] for entry in data["entries"]]
    assert "<figure" in html
    assert "Sam Shore" in html


def test_json_ld_gives_an_update_its_picture(client, editor, story):
    services.live_entry_add(
        article=story, actor=editor, body="<p>Look.</p>", media=_library_image()
    )

    data = _json_ld(client.get(story.get_absolute_url()).content.decode())

    posting = next(item for item in data if item.get("@type") == "LiveBlogPosting")
    (update,) = posting["liveBlogUpdate"]
    assert update["image"] == {
        "@type": "ImageObject",
        "url": "http://testserver/media/renditions/p/1280.jpg",
        "width": 1280,
        "height": 720,
    }


# --- What an entry costs the cache --------------------------------------------------------


def test_an_entry_bumps_only_its_story_version(editor, story, django_capture_on_commit_callbacks):
    other = ArticleFactory()
    names = [PUBLIC_CONTENT, ARTICLE_COUNTS, article_version(other.slug)]
    before = {name: read_version(name) for name in names}
    own_before = read_version(article_version(story.slug))

    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_add(article=story, actor=editor, body="<p>New.</p>")

    assert {name: read_version(name) for name in names} == before
    assert read_version(article_version(story.slug)) != own_before


def test_an_entry_renders_the_story_again_and_leaves_the_lists_cached(
    editor, story, client, django_capture_on_commit_callbacks
):
    urls = [reverse("articles:home"), story.section.get_absolute_url(), story.get_absolute_url()]
    for url in urls:
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_add(article=story, actor=editor, body="<p>Fresh update.</p>")

    assert client.get(urls[0])["X-Page-Cache"] == "hit"
    assert client.get(urls[1])["X-Page-Cache"] == "hit"
    page = client.get(urls[2])
    assert page["X-Page-Cache"] == "miss"
    assert "Fresh update." in page.content.decode()


# --- The page --------------------------------------------------------------------------------


def test_the_page_shows_entries_newest_first_with_anchors_and_permalinks(client, story):
    old = LiveEntryFactory(article=story, body="<p>Older update.</p>")
    new = LiveEntryFactory(article=story, body="<p>Newer update.</p>")

    page = client.get(story.get_absolute_url()).content.decode()

    assert page.index("Newer update.") < page.index("Older update.")
    for entry in (old, new):
        assert f'id="entry-{entry.pk}"' in page
        assert f'href="{story.get_absolute_url()}#entry-{entry.pk}"' in page


def test_key_events_are_listed_at_the_top(client, story):
    LiveEntryFactory(article=story, body="<p>Ordinary.</p>")
    key = LiveEntryFactory(article=story, headline="Bridge closed", is_key_event=True)
    LiveEntryFactory(article=story, body="<p>Later ordinary.</p>")

    page = client.get(story.get_absolute_url()).content.decode()

    key_events = page[page.index('id="key-events-heading"') : page.index("data-live-entries")]
    assert f'href="#entry-{key.pk}"' in key_events
    assert "Bridge closed" in key_events
    assert "Ordinary." not in key_events


def test_a_live_page_loads_the_polling_script_and_an_ended_one_does_not(client, editor, story):
    entry = LiveEntryFactory(article=story)
    page = client.get(story.get_absolute_url()).content.decode()
    endpoint = reverse("articles:live_entries", kwargs={"slug": story.slug})
    assert f'data-live-endpoint="{endpoint}"' in page
    assert f'data-live-latest="{entry.pk}"' in page
    assert re.search(r'<script src="[^"]*articles/live[^"]*\.js" defer>', page)
    assert 'aria-live="polite"' in page
    assert "<script>" not in page  # CSP: no inline script

    Article.objects.filter(pk=story.pk).update(coverage_end_at=timezone.now())
    cache.clear()
    ended = client.get(story.get_absolute_url()).content.decode()
    assert "data-live-endpoint" not in ended
    assert "live.js" not in ended
    assert entry.body in ended


def test_an_ordinary_article_has_no_live_section(client, newsroom):
    page = client.get(newsroom["article"].get_absolute_url()).content.decode()
    assert "live-story" not in page
    assert "LiveBlogPosting" not in page


def _json_ld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def test_json_ld_is_a_live_blog_posting_with_its_updates(client, editor, story):
    entry = LiveEntryFactory(article=story, headline="Power cut", body="<p>Homes dark.</p>")

    data = _json_ld(client.get(story.get_absolute_url()).content.decode())
    posting = next(item for item in data if item.get("@type") == "LiveBlogPosting")

    assert posting["coverageStartTime"]
    assert "coverageEndTime" not in posting
    (update,) = posting["liveBlogUpdate"]
    assert update["headline"] == "Power cut"
    assert update["articleBody"] == "Homes dark."
    assert update["url"].endswith(f"#entry-{entry.pk}")


def test_json_ld_of_an_ended_story_has_its_end_time(client, editor, story):
    services.live_end(article=story, actor=editor)

    data = _json_ld(client.get(story.get_absolute_url()).content.decode())

    posting = next(item for item in data if item.get("@type") == "LiveBlogPosting")
    assert posting["coverageEndTime"]


def test_a_story_with_200_illustrated_entries_costs_the_same_queries_as_one_with_5(
    client, story, django_assert_max_num_queries, page_cache_off
):
    for _ in range(5):
        LiveEntryFactory(article=story, author=AuthorFactory(), media=_library_image())
    client.get(story.get_absolute_url())  # builds the shared fragments
    bump_version(article_version(story.slug))  # as adding an entry does: the story renders again
    with django_assert_max_num_queries(30) as few:
        response = client.get(story.get_absolute_url())
    assert_rendered(response)
    for _ in range(195):
        LiveEntryFactory(article=story, author=AuthorFactory(), media=_library_image())
    bump_version(article_version(story.slug))
    with django_assert_max_num_queries(30) as many:
        response = client.get(story.get_absolute_url())
    assert_rendered(response)

    assert response.content.decode().count("data-entry-id=") == 200
    assert response.content.decode().count('class="article-figure"') == 200
    assert len(few) == len(many)


# --- The poll endpoint ------------------------------------------------------------------------


def test_the_endpoint_returns_the_entries_after_the_one_given(client, story):
    first = LiveEntryFactory(article=story, body="<p>First.</p>")
    second = LiveEntryFactory(article=story, body="<p>Second.</p>")

    data = client.get(_entries_url(story, after=first.pk)).json()

    assert data["ended"] is False
    assert data["latest"] == second.pk
    assert [entry["id"] for entry in data["entries"]] == [second.pk]
    assert "Second." in data["entries"][0]["html"]
    assert f'id="entry-{second.pk}"' in data["entries"][0]["html"]


def test_nothing_new_is_an_empty_list_and_then_a_304(client, story):
    entry = LiveEntryFactory(article=story)
    response = client.get(_entries_url(story, after=entry.pk))
    assert response.json()["entries"] == []
    assert "max-age" in response["Cache-Control"]

    again = client.get(_entries_url(story, after=entry.pk), HTTP_IF_NONE_MATCH=response["ETag"])

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""


def test_a_304_costs_no_query_and_a_repeated_poll_none(client, story, django_assert_num_queries):
    entry = LiveEntryFactory(article=story)
    etag = client.get(_entries_url(story, after=entry.pk))["ETag"]

    with django_assert_num_queries(0):
        assert (
            client.get(_entries_url(story, after=entry.pk), HTTP_IF_NONE_MATCH=etag).status_code
            == HTTPStatus.NOT_MODIFIED
        )
    with django_assert_num_queries(0):
        assert client.get(_entries_url(story, after=0)).status_code == HTTPStatus.OK


def test_a_new_entry_changes_the_etag(client, editor, story, django_capture_on_commit_callbacks):
    entry = LiveEntryFactory(article=story)
    etag = client.get(_entries_url(story, after=entry.pk))["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        new = services.live_entry_add(article=story, actor=editor, body="<p>Breaking.</p>")

    response = client.get(_entries_url(story, after=entry.pk), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == HTTPStatus.OK
    assert [item["id"] for item in response.json()["entries"]] == [new.pk]


def test_a_poll_answer_is_shared_for_a_few_seconds_under_its_storys_tags(client, story):
    entry = LiveEntryFactory(article=story)

    response = client.get(_entries_url(story, after=entry.pk), HTTP_COOKIE="_ga=GA1.2.3")

    # Any shared cache in front may keep it (the proxy's TTL: max-age), for every reader.
    directives = [part.strip() for part in response["Cache-Control"].split(",")]
    assert "public" in directives
    assert f"max-age={POLL_MAX_AGE}" in directives
    assert not {"private", "no-store", "no-cache"} & set(directives)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    # Filed under the versions its ETag is made of, so their purge drops it.
    assert set(response["xkey"].split()) == {*CONTENT_PAGE, article_version(story.slug)}


def test_a_new_entry_purges_the_poll_answer_from_the_proxy(
    client, editor, story, settings, monkeypatch, django_capture_on_commit_callbacks
):
    entry = LiveEntryFactory(article=story)
    poll_tags = set(client.get(_entries_url(story, after=entry.pk))["xkey"].split())
    purged: list[list[str]] = []
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:6081/"]
    monkeypatch.setattr(
        "delivery.edge._send_purge", lambda url, tags, **kwargs: purged.append(tags) or 200
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_add(article=story, actor=editor, body="<p>Breaking.</p>")

    assert article_version(story.slug) in poll_tags
    assert [tags for tags in purged if article_version(story.slug) in tags]


def test_the_endpoint_says_when_coverage_ended(
    client, editor, story, django_capture_on_commit_callbacks
):
    client.get(_entries_url(story))
    with django_capture_on_commit_callbacks(execute=True):
        services.live_end(article=story, actor=editor)

    assert client.get(_entries_url(story)).json()["ended"] is True


def test_a_reader_who_saw_a_deleted_entry_is_told_to_reload(client, story):
    entry = LiveEntryFactory(article=story)
    assert client.get(_entries_url(story, after=entry.pk + 5)).json()["reload"] is True


@pytest.mark.parametrize("after", ["abc", "-1", "1e3", "9" * 30])
def test_a_bad_after_is_a_400(client, story, after):
    url = reverse("articles:live_entries", kwargs={"slug": story.slug}) + f"?after={after}"
    assert client.get(url).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("trait", ["draft", "scheduled", "unpublished"])
def test_the_endpoint_and_feed_do_not_show_a_story_the_public_cannot_see(client, trait):
    hidden = ArticleFactory(coverage_start_at=timezone.now(), **{trait: True})
    LiveEntryFactory(article=hidden, body="<p>Secret.</p>")

    assert client.get(_entries_url(hidden)).status_code == HTTPStatus.NOT_FOUND
    feed = reverse("articles:live_feed_rss", kwargs={"slug": hidden.slug})
    assert client.get(feed).status_code == HTTPStatus.NOT_FOUND


def test_an_ordinary_article_has_no_entries_endpoint(client, newsroom):
    assert client.get(_entries_url(newsroom["article"])).status_code == HTTPStatus.NOT_FOUND


def test_the_endpoint_takes_only_safe_methods(client, story):
    assert client.post(_entries_url(story)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- The story's feed ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["live_feed_rss", "live_feed_atom"])
def test_the_story_feed_carries_its_entries(client, story, name):
    entry = LiveEntryFactory(article=story, headline="Evacuation ordered")

    response = client.get(reverse(f"articles:{name}", kwargs={"slug": story.slug}))

    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Evacuation ordered" in body
    assert f"#entry-{entry.pk}" in body


def test_the_story_page_links_its_feed(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    assert reverse("articles:live_feed_rss", kwargs={"slug": story.slug}) in page
