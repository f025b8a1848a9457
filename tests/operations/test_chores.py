"""`manage.py run_chores`: sessions, orphaned media, commenters' addresses, preview links."""

from __future__ import annotations

import io
import json
import os
import time
from datetime import timedelta

import pytest
import reversion
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from articles.images.renditions import rendition_names
from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory


def run_chores(*args: str) -> str:
    out = io.StringIO()
    call_command("run_chores", *args, stdout=out)
    return out.getvalue()


def age_file(settings, name: str, *, hours: float) -> None:
    stamp = time.time() - hours * 3600
    os.utime(settings.MEDIA_ROOT / name, (stamp, stamp))


def age_all_media(settings, *, hours: float) -> None:
    for path in settings.MEDIA_ROOT.rglob("*"):
        if path.is_file():
            age_file(settings, str(path.relative_to(settings.MEDIA_ROOT)), hours=hours)


# --- sessions ---------------------------------------------------------------


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept():
    expired = SessionStore()
    expired.set_expiry(1)
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    live = SessionStore()
    live.create()

    output = run_chores("--only", "sessions")

    assert "sessions: Handled 1" in output
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


# --- orphaned media -----------------------------------------------------------


@pytest.mark.django_db
def test_only_old_unreferenced_files_in_upload_folders_are_deleted(newsroom_site, settings):
    article = newsroom_site["article"]
    author = newsroom_site["author"]
    orphan = default_storage.save("heroes/2020/01/forgotten.jpg", ContentFile(b"x"))
    fresh_upload = default_storage.save("heroes/2020/01/uploading.jpg", ContentFile(b"x"))
    old_rendition = default_storage.save("renditions/deadbeef/320.jpg", ContentFile(b"x"))
    not_ours = default_storage.save("press/logo.png", ContentFile(b"x"))
    age_all_media(settings, hours=2)
    age_file(settings, fresh_upload, hours=0.5)

    output = run_chores("--only", "media")

    assert "media: Handled 2" in output
    assert not default_storage.exists(orphan)
    assert not default_storage.exists(old_rendition)
    assert default_storage.exists(fresh_upload)
    assert default_storage.exists(not_ours)
    assert default_storage.exists(article.hero_media.file.name)
    for name in article.hero_media.renditions["renditions"].values():
        assert default_storage.exists(name)
    assert default_storage.exists(author.photo_media.file.name)


@pytest.mark.django_db
def test_a_hero_image_only_a_revision_from_before_the_media_library_names_is_kept(
    newsroom_site, settings
):
    article = newsroom_site["article"]
    old_hero = default_storage.save("heroes/2020/01/old.jpg", ContentFile(b"x"))
    old_rendition = default_storage.save("renditions/0ld/320.jpg", ContentFile(b"x"))
    # Revisions saved before the library named the files on the article itself.
    with reversion.create_revision():
        reversion.add_to_revision(article)
    version = Version.objects.get_for_object(article).order_by("-pk").first()
    stored = json.loads(version.serialized_data)
    stored[0]["fields"].update(
        hero_image=old_hero, hero_image_renditions={"renditions": {"320": old_rendition}}
    )
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(stored))
    age_all_media(settings, hours=2)

    run_chores("--only", "media")

    assert default_storage.exists(old_hero)
    assert default_storage.exists(old_rendition)


@pytest.mark.django_db
def test_the_files_of_a_library_image_are_kept_by_the_chore(newsroom_site, settings):
    image = newsroom_site["article"].hero_media
    Article.objects.update(hero_media=None)  # in the library, shown nowhere
    age_all_media(settings, hours=2)

    run_chores("--only", "media")

    assert default_storage.exists(image.file.name)
    assert all(default_storage.exists(name) for name in rendition_names(image.renditions))


@pytest.mark.django_db
def test_pending_uploads_older_than_a_day_are_swept(settings):
    stale = default_storage.save("pending-uploads/abc--old.png", ContentFile(b"x"))
    fresh = default_storage.save("pending-uploads/def--new.png", ContentFile(b"x"))
    age_file(settings, stale, hours=25)
    age_file(settings, fresh, hours=23)

    output = run_chores("--only", "pending-uploads")

    assert "pending-uploads: Handled 1" in output
    assert not default_storage.exists(stale)
    assert default_storage.exists(fresh)


@pytest.mark.django_db
def test_dry_run_names_the_orphans_and_deletes_nothing(newsroom_site, settings):
    orphan = default_storage.save("authors/2020/gone.jpg", ContentFile(b"x"))
    age_all_media(settings, hours=2)

    output = run_chores("--only", "media", "--dry-run")

    assert "media: Would handle 1" in output
    assert orphan in output
    assert default_storage.exists(orphan)


@pytest.mark.django_db
def test_an_unreadable_revision_stops_the_media_chore_before_any_deletion(newsroom_site, settings):
    from django.core.management import CommandError
    from reversion.models import Version

    orphan = default_storage.save("heroes/2020/01/forgotten.jpg", ContentFile(b"x"))
    age_all_media(settings, hours=2)
    Version.objects.update(serialized_data="not json")

    with pytest.raises(CommandError, match="media"):
        run_chores("--only", "media")

    assert default_storage.exists(orphan)


# --- commenters' addresses ----------------------------------------------------


@pytest.mark.django_db
def test_comments_older_than_the_retention_lose_ip_and_user_agent(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 60
    article = ArticleFactory()
    old = CommentFactory(article=article, created_at=timezone.now() - timedelta(days=61))
    recent = CommentFactory(article=article, created_at=timezone.now() - timedelta(days=59))

    output = run_chores("--only", "comment-addresses")

    assert "comment-addresses: Handled 1" in output
    old = Comment.objects.get(pk=old.pk)
    assert (old.ip_address, old.user_agent) == (None, "")
    assert old.ip_network == ""  # the network is an address too
    assert old.author_email.endswith("@example.org")  # only the addresses go
    recent = Comment.objects.get(pk=recent.pk)
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.7", "Mozilla/5.0 (test)")


@pytest.mark.django_db
def test_a_retention_of_zero_keeps_the_addresses(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 0
    old = CommentFactory(created_at=timezone.now() - timedelta(days=400))

    run_chores("--only", "comment-addresses")

    assert Comment.objects.get(pk=old.pk).ip_address == "203.0.113.7"


def test_the_retention_setting_defaults_to_sixty_days():
    from newsroom.settings import base

    assert base.COMMENTS_IP_RETENTION_DAYS == 60


# --- preview links ------------------------------------------------------------


@pytest.mark.django_db
def test_all_chores_run_together_and_say_preview_links_need_nothing():
    output = run_chores()

    for chore in ("sessions", "media", "comment-addresses", "preview-links"):
        assert f"{chore}:" in output
    assert "signed tokens" in output
