"""Importing a realistic WordPress export: what each kind of thing becomes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage

from articles.models import Article, ArticleTransition, Author, Section, Tag
from comments.models import Comment
from tests.wordpress.wxr import comment, post, wxr
from wordpress.models import ImportedItem, LegacyAddress

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def imported(run_import, realistic, uploads) -> str:
    return run_import(realistic, "--uploads", str(uploads))


def article(slug: str) -> Article:
    return Article.objects.get(slug=slug)


# --- posts ----------------------------------------------------------------------


def test_a_published_post_is_published_at_its_original_date(imported):
    tram = article("council-approves-tram")

    assert tram.is_published
    assert tram.publish_at == datetime(2024, 5, 22, 8, 30, tzinfo=UTC)
    assert tram.first_published_at == tram.publish_at


def test_a_future_post_is_scheduled(imported):
    festival = article("festival-programme")

    assert festival.is_scheduled
    assert festival.publish_at == datetime(2099, 7, 1, 7, 0, tzinfo=UTC)


def test_a_draft_stays_a_draft_and_gets_a_slug_from_its_title(imported):
    draft = article("half-written-budget-story")

    assert draft.status == Status.DRAFT
    assert draft.publish_at is None


def test_a_post_pending_review_is_in_review(imported):
    assert article("reader-survey").status == Status.IN_REVIEW


def test_private_and_trashed_posts_and_pages_are_skipped_with_a_reason(imported):
    assert not Article.objects.filter(headline__in=["Staff party photos", "Retracted story"])
    assert "post 106 “Staff party photos”: private" in imported
    assert "post 107 “Retracted story”: in the WordPress trash" in imported
    assert "page 2 “About us”: a page, not a post" in imported


def test_the_import_is_recorded_as_done_by_the_editor(imported, editor):
    tram = article("council-approves-tram")

    assert tram.created_by == editor
    step = ArticleTransition.objects.get(article=tram, to_status=Status.PUBLISHED)
    assert step.actor == editor
    assert step.note == "Imported from WordPress"


def test_comments_closed_in_wordpress_stay_closed(imported):
    assert article("bridge-closes").comments_open is False
    assert article("council-approves-tram").comments_open is True


def test_the_body_keeps_its_paragraphs_and_passes_the_sanitiser(imported):
    body = article("council-approves-tram").body

    assert body.startswith("<p>The council voted 31 to 12 on Tuesday.<br>")
    assert "<h2>What happens next</h2>" in body
    assert "<p>Work starts in the autumn.</p>" in body
    assert "<img" not in body


def test_the_excerpt_becomes_the_standfirst(imported):
    assert article("council-approves-tram").standfirst == "A new line across the river."


# --- authors, sections, tags ------------------------------------------------------


def test_wordpress_authors_become_bylines(imported):
    assert list(article("council-approves-tram").authors.values_list("name", flat=True)) == [
        "Jane Doe"
    ]
    # No display name: first and last name.
    assert list(article("bridge-closes").authors.values_list("slug", "name")) == [
        ("rsmith", "Rob Smith")
    ]


def test_the_first_category_is_the_section_and_the_others_become_tags(imported):
    tram = article("council-approves-tram")

    assert tram.section.name == "Local News"
    assert set(tram.tags.values_list("name", flat=True)) == {"Arts & Culture", "Trams"}
    assert "section “Local News” (its first category)" in imported


def test_a_post_without_a_category_goes_to_uncategorized(imported):
    assert article("reader-survey").section.slug == "uncategorized"


def test_a_category_used_by_several_posts_is_one_section(imported):
    assert Section.objects.filter(name="Local News").count() == 1
    assert article("bridge-closes").section == article("council-approves-tram").section


def test_an_existing_section_with_the_same_slug_is_reused(run_import, realistic):
    existing = Section.objects.create(name="Local", slug="local-news")

    run_import(realistic)

    assert article("council-approves-tram").section == existing


# --- images -----------------------------------------------------------------------


def test_a_featured_image_that_exists_becomes_the_hero_image(imported):
    tram = article("council-approves-tram")

    assert tram.hero_media.file.name.startswith("library/")
    assert "tram-map" in tram.hero_media.file.name
    assert default_storage.exists(tram.hero_media.file.name)
    assert tram.hero_media.alt_text == "The tram route across the river"
    assert tram.hero_media.renditions["width"] == 640


def test_a_featured_image_whose_file_is_missing_is_reported(imported):
    assert article("bridge-closes").hero_media is None
    assert "Images not imported (2):" in imported
    assert "featured image https://gazette.example.com/wp-content/uploads/2024/06/bridge.jpg" in (
        imported
    )


def test_a_content_image_that_is_missing_is_reported(imported):
    assert "missing-diagram.png: no file at" in imported


def test_without_an_uploads_directory_every_image_is_reported(run_import, realistic):
    output = run_import(realistic)

    assert article("council-approves-tram").hero_media is None
    assert "no --uploads directory was given" in output


def test_a_content_image_becomes_the_hero_image_when_there_is_no_featured_image(
    run_import, uploads
):
    content = (
        '<![CDATA[Text.\n\n<img src="https://blog.example.com/wp-content/uploads/2024/05/map.png"'
        ' alt="Map">]]>'
    )
    output = run_import(wxr(post(1, content=content)), "--uploads", str(uploads))

    assert article("post-1").hero_media.renditions["width"] == 500
    assert "became the hero image" in output


def test_an_image_path_cannot_escape_the_uploads_directory(run_import, uploads):
    (uploads.parent / "secret.jpg").write_bytes((uploads / "2024/05/tram-map.jpg").read_bytes())
    content = '<![CDATA[<img src="https://blog.example.com/wp-content/uploads/../secret.jpg">]]>'
    output = run_import(wxr(post(1, content=content)), "--uploads", str(uploads))

    assert article("post-1").hero_media is None
    assert "points outside the uploads directory" in output


def test_a_file_that_is_not_an_image_is_refused_like_an_admin_upload(run_import, uploads):
    (uploads / "2024/05/fake.jpg").write_bytes(b"%PDF-1.4 not a picture")
    content = '<![CDATA[<img src="https://blog.example.com/wp-content/uploads/2024/05/fake.jpg">]]>'
    output = run_import(wxr(post(1, content=content)), "--uploads", str(uploads))

    assert article("post-1").hero_media is None
    assert "fake.jpg refused:" in output


# --- comments ---------------------------------------------------------------------


def test_comments_keep_their_wordpress_status(imported):
    tram = article("council-approves-tram")
    statuses = dict(tram.comments.values_list("author_name", "status"))

    assert statuses == {
        "First Reader": Comment.Status.APPROVED,
        "Second Reader": Comment.Status.APPROVED,
        "Held Reader": Comment.Status.PENDING,
        "Cheap Pills": Comment.Status.SPAM,
        "Rude Reader": Comment.Status.REMOVED,
    }
    tram.refresh_from_db()
    assert tram.approved_comment_count == 2


def test_a_trashed_comment_remembers_what_it_was(imported):
    rude = Comment.objects.get(author_name="Rude Reader")

    assert rude.status_before_removal == Comment.Status.APPROVED


def test_comments_keep_their_threading_whatever_the_order_in_the_file(imported):
    first = Comment.objects.get(author_name="First Reader")
    second = Comment.objects.get(author_name="Second Reader")

    assert second.parent == first
    assert Comment.objects.get(author_name="Held Reader").parent == first
    assert Comment.objects.get(author_name="Rude Reader").parent == second


def test_comments_keep_their_author_details_and_date(imported):
    first = Comment.objects.get(author_name="First Reader")

    assert first.author_email == "first@example.org"
    assert first.author_url == "https://first.example.org/"
    assert first.ip_address == "198.51.100.7"
    assert first.created_at == datetime(2024, 5, 22, 10, 0, tzinfo=UTC)
    assert first.text == "Finally!\nAbout time, too."
    assert Comment.objects.get(author_name="Second Reader").ip_address == "2001:db8::7"


def test_a_website_that_is_not_a_web_address_is_dropped_and_reported(imported):
    assert Comment.objects.get(author_name="Held Reader").author_url == ""
    assert "the website 'javascript:alert(1)' is not a usable web address" in imported


def test_pingbacks_are_skipped_with_a_reason(imported):
    assert not Comment.objects.filter(author_name="Other Blog").exists()
    assert "comment 17 on post 101" in imported
    assert "a pingback, not a reader's comment" in imported


def test_a_reply_whose_parent_is_missing_is_shown_at_the_top_level(run_import):
    run_import(wxr(post(1, extra=comment(5, parent=99))))

    reply = Comment.objects.get()
    assert reply.parent is None


# --- report, slugs, idempotency ------------------------------------------------------


def test_the_report_counts_every_kind(imported):
    for line in [
        "posts: 5",
        "authors: 2",
        "sections: 3",
        "tags: 2",
        "images: 1",
        "comments: 5",
        "redirects: 7",
    ]:
        assert f"  {line}\n" in imported


def test_running_it_twice_imports_nothing_twice(run_import, realistic, uploads):
    run_import(realistic, "--uploads", str(uploads))
    before = {
        model: model.objects.count()
        for model in (Article, Author, Section, Tag, Comment, LegacyAddress, ImportedItem)
    }

    output = run_import(realistic, "--uploads", str(uploads))

    assert {model: model.objects.count() for model in before} == before
    assert "posts: 0" in output
    assert "already imported (article “council-approves-tram”)" in output
    article_ = article("council-approves-tram")
    assert article_.approved_comment_count == 2


def test_a_later_export_brings_only_the_new_comments(run_import):
    run_import(wxr(post(1, extra=comment(5))))
    run_import(wxr(post(1, extra=comment(5) + comment(6, parent=5))))

    reply = Comment.objects.get(text="A comment.", parent__isnull=False)
    assert Comment.objects.count() == 2
    assert reply.parent.article == reply.article


def test_a_slug_that_is_taken_gets_a_suffix(run_import):
    Article.objects.create(
        headline="Existing", slug="post-1", section=Section.objects.create(name="S", slug="s")
    )

    output = run_import(wxr(post(1)))

    assert Article.objects.filter(headline="A post").get().slug == "post-1-2"
    assert "the address “post-1” was taken, so it is “post-1-2”" in output


def test_a_dry_run_saves_nothing_and_leaves_no_files(run_import, realistic, uploads, settings):
    output = run_import(realistic, "--uploads", str(uploads), "--dry-run")

    assert "posts: 5" in output
    assert "Dry run: nothing was saved." in output
    assert not Article.objects.exists()
    assert not Comment.objects.exists()
    assert not ImportedItem.objects.exists()
    media = settings.MEDIA_ROOT
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_a_scheduled_post_whose_time_has_passed_is_published_then(run_import):
    output = run_import(wxr(post(1, status="future", date_gmt="2024-01-02 03:04:05")))

    imported = article("post-1")
    assert imported.is_published
    assert imported.publish_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert "its scheduled time has passed" in output


def test_a_slug_that_cannot_be_an_address_falls_back_to_the_title(run_import):
    # WordPress percent-encodes non-ASCII slugs; our addresses are ASCII.
    run_import(wxr(post(1, name="%e4%b8%ad%e6%96%87", title="<![CDATA[Zürich news]]>")))

    assert Article.objects.get().slug == "zurich-news"
