"""The editor's desk pages this project adds to Django's admin, through the Nu HTML Checker.

Django's own admin markup is not ours to rewrite: its findings are written to
``test-artifacts/standards/nu-admin-desk.txt`` and not failed on. What this
project put into those pages (the action panel, the desk, the draft and
presence notices, the preview links, the workflow box and timeline) must have
no error, and the "Preview changes" page, a public page, none at all.
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from articles import services as article_services
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory
from tests.helpers import change_url
from tests.servers import REPO_ROOT
from tests.standards.nu_checker import readable_report

pytestmark = [pytest.mark.standards, pytest.mark.django_db]

REPORT = REPO_ROOT / "test-artifacts" / "standards" / "nu-admin-desk.txt"
# What marks markup as ours in a checker's extract of the page.
OUR_MARKERS = (
    "article-",
    "preview-link",
    "_workflow",
    "workflow_",
    "presence",
    "data-create-url",
    "Restore the autosaved",
)


def desk_pages() -> dict[str, str]:
    editor = EditorFactory(first_name="Alex", last_name="Editor")
    other = EditorFactory(first_name="Sam", last_name="Subeditor")
    reporter = ReporterFactory()
    live = ArticleFactory(body="<p>As published.</p>")
    article_services.article_draft_save(
        article=live, actor=other, data={"body": ["<p>Fixed.</p>"]}, expected_version=None
    )
    article_services.article_presence_beat(article=live, actor=other)
    draft = ArticleFactory(draft=True, created_by=reporter)
    article_services.article_preview_url(article=draft, actor=editor)
    in_review = ArticleFactory(in_review=True, created_by=reporter)
    article_services.article_send_back(
        article=in_review, actor=editor, note="Check the date, please."
    )
    article_services.article_submit_for_review(article=in_review, actor=reporter)

    client = Client()
    client.force_login(editor)
    reporter_client = Client()
    reporter_client.force_login(reporter)
    pages = {}
    for name, url, who in [
        ("dashboard-editor", reverse("admin:index"), client),
        ("dashboard-reporter", reverse("admin:index"), reporter_client),
        ("change-live-with-draft-and-presence", change_url(live), client),
        ("change-draft-with-preview-links", change_url(draft), client),
        ("change-in-review-read-only", change_url(in_review), reporter_client),
        ("add-article", reverse("admin:articles_article_add"), client),
        ("preview-changes", reverse("articles:preview_changes", args=[live.pk]), client),
    ]:
        response = who.get(url)
        assert response.status_code == HTTPStatus.OK, (name, url)
        pages[name] = response.content.decode()
    assert "Sam Subeditor is editing this story" in pages["change-live-with-draft-and-presence"]
    assert "draft of changes" in pages["change-live-with-draft-and-presence"]
    assert "article-preview-links__url" in pages["change-draft-with-preview-links"]
    assert "Waiting for review" in pages["dashboard-editor"]
    return pages


def test_the_desk_pages_we_add_to_the_admin_are_valid_html(html_checker, tmp_path):
    folder = tmp_path / "admin-desk"
    folder.mkdir()
    files = []
    for name, html in desk_pages().items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)

    errors = html_checker(files)

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(readable_report(errors) or "no errors\n", encoding="utf-8")
    print(f"\nNu on the admin desk pages: {len(errors)} error(s), see {REPORT}")
    ours = [
        error
        for error in errors
        if error.file == "preview-changes.html"
        or any(marker in error.extract for marker in OUR_MARKERS)
    ]
    assert not ours, f"(the pages are in {folder}):\n{readable_report(ours)}"


def test_the_filter_would_catch_an_error_in_our_markup(html_checker, tmp_path):
    """The lane itself: an error in markup of ours is recognised as ours."""
    page = tmp_path / "ours.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
        '<p><time class="article-timeline" datetime="soon">soon</time></p></body></html>',
        encoding="utf-8",
    )

    errors = html_checker([Path(page)])

    assert any(any(marker in error.extract for marker in OUR_MARKERS) for error in errors)
