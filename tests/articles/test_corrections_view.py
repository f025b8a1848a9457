"""Corrections readers can follow: what changed, and the public corrections pages and feeds."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Correction
from tests.factories import ArticleFactory, CorrectionFactory, SectionFactory
from tests.helpers import assert_rendered

pytestmark = pytest.mark.django_db

OLD_BODY = "<p>The vote was on <strong>Tuesday</strong> night.</p><p>The mayor abstained.</p>"
NEW_BODY = "<p>The vote was on <strong>Wednesday</strong> night.</p><p>The mayor abstained.</p>"


def _corrected_article(editor, *, headline="Council approves new tram line", section=None):
    """A published article whose body was fixed, then a correction added (the admin's order)."""
    article = ArticleFactory(
        headline=headline, body=OLD_BODY, **({"section": section} if section else {})
    )
    services.article_save(article=article, actor=editor)
    article.body = NEW_BODY
    services.article_save(article=article, actor=editor)
    correction = services.article_add_correction(
        article=article, actor=editor, text="The vote was on Wednesday, not Tuesday."
    )
    return article, correction


def _article_with_section(editor, section, headline):
    article = ArticleFactory(headline=headline, section=section, body=OLD_BODY)
    services.article_save(article=article, actor=editor)
    article.body = NEW_BODY
    services.article_save(article=article, actor=editor)
    return services.article_add_correction(article=article, actor=editor, text=f"Fixed {headline}.")


# --- Recording what changed ---------------------------------------------------------


def test_a_correction_records_the_revisions_before_and_after_the_fix(editor):
    _article, correction = _corrected_article(editor)

    assert correction.shows_change
    assert correction.version_before.field_dict["body"] == OLD_BODY
    assert correction.version_after.field_dict["body"] == NEW_BODY


def test_a_correction_without_a_change_of_text_shows_no_diff(editor, client):
    article = ArticleFactory()
    services.article_save(article=article, actor=editor)
    correction = services.article_add_correction(article=article, actor=editor, text="Updated.")

    assert correction.version_before is None
    assert not correction.shows_change
    page = client.get(article.get_absolute_url()).content.decode()
    assert "See what changed" not in page
    detail = client.get(correction.get_absolute_url())
    assert detail.status_code == HTTPStatus.OK
    assert "did not come with a change of the text" in detail.content.decode()


def test_a_save_that_changes_only_tags_is_skipped_when_looking_for_the_old_text(editor):
    article, _ = _corrected_article(editor)
    services.article_save(article=article, actor=editor, comment="Tags only")

    correction = services.article_add_correction(article=article, actor=editor, text="Again.")

    assert correction.version_before.field_dict["body"] == OLD_BODY


# --- The "what changed" page ------------------------------------------------------------


def test_the_article_links_each_correction_to_what_changed(editor, client):
    article, correction = _corrected_article(editor)

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'href="{correction.get_absolute_url()}"' in page
    assert correction.get_absolute_url() == (f"/news/{article.slug}/corrections/{correction.pk}/")


def test_what_changed_is_a_word_diff_of_the_text_not_of_the_html(editor, client):
    _, correction = _corrected_article(editor)

    page = client.get(correction.get_absolute_url()).content.decode()

    assert '<del><span class="visually-hidden">[removed: </span>Tuesday' in page
    assert '<ins><span class="visually-hidden">[added: </span>Wednesday' in page
    assert "The mayor abstained." in page
    # The markup of the body is not part of the diff.
    assert "&lt;strong&gt;" not in page
    assert "<strong>Tuesday" not in page
    assert "The vote was on Wednesday, not Tuesday." in page


def test_a_markup_only_change_is_not_shown_as_a_change_of_text(editor, client):
    article = ArticleFactory(body="<p>The vote was on <b>Tuesday</b>.</p>")
    services.article_save(article=article, actor=editor)
    article.body = "<p>The vote was on <em>Tuesday</em>.</p>"
    services.article_save(article=article, actor=editor)
    correction = services.article_add_correction(article=article, actor=editor, text="Style.")

    page = client.get(correction.get_absolute_url()).content.decode()

    assert "<h3>Text</h3>" not in page


@pytest.mark.parametrize("trait", ["draft", "unpublished", "scheduled"])
def test_what_changed_is_not_shown_for_an_article_the_public_cannot_see(editor, client, trait):
    article, correction = _corrected_article(editor)
    hidden = ArticleFactory.build(**{trait: True})
    Article.objects.filter(pk=article.pk).update(status=hidden.status, publish_at=hidden.publish_at)

    assert client.get(correction.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_correction_is_found_only_under_its_own_article(editor, client):
    _, correction = _corrected_article(editor)
    other = ArticleFactory()

    url = reverse(
        "articles:correction", kwargs={"slug": other.slug, "correction_id": correction.pk}
    )

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_what_changed_is_cached_and_rendered_again_after_a_new_correction(
    editor, client, django_capture_on_commit_callbacks
):
    article, correction = _corrected_article(editor)
    url = correction.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.article_add_correction(article=article, actor=editor, text="Another note.")

    assert client.get(url)["X-Page-Cache"] == "miss"


# --- The corrections pages ---------------------------------------------------------------


def test_the_corrections_page_lists_newest_first_with_article_date_kind_and_note(editor, client):
    _, first = _corrected_article(editor, headline="First story")
    _, second = _corrected_article(editor, headline="Second story")
    Correction.objects.filter(pk=second.pk).update(kind=Correction.Kind.UPDATE)

    page = client.get(reverse("articles:corrections")).content.decode()

    assert page.index("Second story") < page.index("First story")
    assert "The vote was on Wednesday, not Tuesday." in page
    assert '<strong class="correction-entry__kind">Update</strong>' in page
    assert '<strong class="correction-entry__kind">Correction</strong>' in page
    assert '<time datetime="' in page
    assert f'href="{first.get_absolute_url()}"' in page


def test_corrections_on_articles_the_public_cannot_see_are_not_listed(editor, client):
    article, _ = _corrected_article(editor, headline="Withdrawn story")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)

    for url in (
        reverse("articles:corrections"),
        reverse("articles:corrections_feed_rss"),
        reverse("articles:corrections_feed_atom"),
    ):
        assert "Withdrawn story" not in client.get(url).content.decode(), url


def test_the_section_corrections_page_lists_only_that_section(editor, client):
    city, sport = SectionFactory(slug="city"), SectionFactory(slug="sport")
    _article_with_section(editor, city, "City story")
    _article_with_section(editor, sport, "Sport story")

    page = client.get(reverse("articles:section_corrections", kwargs={"slug": "city"}))

    assert "City story" in page.content.decode()
    assert "Sport story" not in page.content.decode()


def test_an_unknown_section_has_no_corrections_page(client, db):
    url = reverse("articles:section_corrections", kwargs={"slug": "nope"})
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    feed = reverse("articles:section_corrections_feed_rss", kwargs={"slug": "nope"})
    assert client.get(feed).status_code == HTTPStatus.NOT_FOUND


def test_the_corrections_page_is_paginated(editor, client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    article = ArticleFactory()
    for number in range(3):
        CorrectionFactory(article=article, text=f"Note {number}")

    second = client.get(reverse("articles:corrections") + "?page=2")

    assert second.status_code == HTTPStatus.OK
    assert "Note 0" in second.content.decode()
    assert "Note 2" not in second.content.decode()
    for bad in ("?page=9", "?page=abc", "?page=-1"):
        assert client.get(reverse("articles:corrections") + bad).status_code == 404, bad


def test_the_corrections_page_offers_its_feeds(editor, client):
    page = client.get(reverse("articles:corrections")).content.decode()
    assert f'href="{reverse("articles:corrections_feed_rss")}"' in page
    assert f'href="{reverse("articles:corrections_feed_atom")}"' in page


@pytest.mark.parametrize("name", ["corrections_feed_rss", "corrections_feed_atom"])
def test_the_corrections_feeds_carry_each_correction(editor, client, name):
    _, correction = _corrected_article(editor, headline="Tram story")

    feed = client.get(reverse(f"articles:{name}"))

    body = feed.content.decode()
    assert feed.status_code == HTTPStatus.OK
    assert "Correction: Tram story" in body
    assert "The vote was on Wednesday, not Tuesday." in body
    assert correction.get_absolute_url() in body


def test_a_section_corrections_feed_carries_only_that_section(editor, client):
    city, sport = SectionFactory(slug="city"), SectionFactory(slug="sport")
    _article_with_section(editor, city, "City story")
    _article_with_section(editor, sport, "Sport story")

    body = client.get(
        reverse("articles:section_corrections_feed_atom", kwargs={"slug": "sport"})
    ).content.decode()

    assert "Sport story" in body
    assert "City story" not in body


def test_the_corrections_page_is_cached_until_a_correction_is_added(
    editor, client, django_capture_on_commit_callbacks
):
    url = reverse("articles:corrections")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        _corrected_article(editor, headline="Fresh story")

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Fresh story" in response.content.decode()


# --- Query budgets -------------------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert_rendered(response)
    assert response.status_code == HTTPStatus.OK
    return len(captured)


def test_the_corrections_page_costs_the_same_queries_for_3_or_20_corrections(
    client, django_assert_max_num_queries, page_cache_off, db
):
    for number in range(3):
        CorrectionFactory(article=ArticleFactory(), text=f"Note {number}")
    client.get(reverse("articles:corrections"))  # builds the shared fragments (navigation)
    few = _queries(client, reverse("articles:corrections"), django_assert_max_num_queries, 8)
    for number in range(17):
        CorrectionFactory(article=ArticleFactory(), text=f"More {number}")
    many = _queries(client, reverse("articles:corrections"), django_assert_max_num_queries, 8)

    assert few == many


def test_what_changed_costs_a_fixed_number_of_queries(
    editor, client, django_assert_max_num_queries, page_cache_off
):
    _, correction = _corrected_article(editor)

    _queries(client, correction.get_absolute_url(), django_assert_max_num_queries, 4)
