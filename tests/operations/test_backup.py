"""`manage.py backup` / `restore`: the whole site in one archive, and nothing else let in."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from reversion.models import Revision

from articles.models import Article, Author, MediaImage, Section, Tag
from comments.models import Comment
from operations.backup import MANIFEST, database_is_empty


def wipe_site(settings) -> None:
    """What a fresh machine has: migrated tables, no content, no media."""
    Comment.objects.all().delete()
    Article.objects.all().delete()
    MediaImage.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    Revision.objects.all().delete()
    get_user_model().objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def media_snapshot(settings) -> dict[str, bytes]:
    root = settings.MEDIA_ROOT
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


# In-test transactions: only the JSON dump sees them (pg_dump is another connection);
# tests/operations/test_backup_postgres.py covers pg_dump.


@pytest.mark.django_db
def test_a_backup_restored_into_an_empty_site_serves_the_article_with_its_image(
    newsroom_site, settings, tmp_path, client
):
    article = newsroom_site["article"]
    media_before = media_snapshot(settings)
    archive = tmp_path / "site.tar.gz"

    call_command("backup", str(archive), "--dump", "json", stdout=io.StringIO())
    wipe_site(settings)
    assert database_is_empty()
    call_command("restore", str(archive), stdout=io.StringIO())

    restored = Article.objects.get(slug="tram-line-approved")
    assert restored.pk == article.pk
    assert restored.hero_media.file.name == article.hero_media.file.name
    assert restored.hero_media.renditions == article.hero_media.renditions
    assert [a.slug for a in restored.authors.all()] == ["ada-byline"]
    assert restored.authors.get().user.username == "desk-editor"
    assert Comment.objects.filter(article=restored).count() == 4
    assert Revision.objects.count() == 2
    assert media_snapshot(settings) == media_before
    response = client.get(restored.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    rendition = restored.hero_media.renditions["renditions"]["640"]
    assert default_storage.url(rendition) in response.content.decode()
    assert "The vote was on Tuesday, not Monday." in response.content.decode()


@pytest.mark.django_db
def test_the_manifest_names_the_format_the_vendor_and_the_migrations(newsroom_site, tmp_path):
    archive = tmp_path / "site.tar.gz"

    call_command("backup", str(archive), "--dump", "json", stdout=io.StringIO())

    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile(MANIFEST))
        names = set(opened.getnames())
    assert manifest["format"] == "newsroom-backup"
    assert manifest["format_version"] == 1
    assert manifest["database"] == {
        "vendor": connection.vendor,
        "dump": "json",
        "file": "database.json",
    }
    assert ["articles", "0001_initial"] in manifest["migrations"]
    assert names == {MANIFEST, *manifest["sha256"]}
    assert any(name.startswith("media/renditions/") for name in names)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_content(newsroom_site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), "--dump", "json", stdout=io.StringIO())
    Article.objects.filter(slug="tram-line-approved").update(headline="Changed since")

    with pytest.raises(CommandError, match="already holds content"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert Article.objects.get(slug="tram-line-approved").headline == "Changed since"


@pytest.mark.django_db
def test_restore_with_force_replaces_the_content(newsroom_site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), "--dump", "json", stdout=io.StringIO())
    Article.objects.filter(slug="tram-line-approved").update(headline="Changed since")
    Section.objects.create(name="Added later", slug="added-later")

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert Article.objects.get(slug="tram-line-approved").headline == "Tram line approved"
    assert not Section.objects.filter(slug="added-later").exists()


def hostile_archive(path, member: tarfile.TarInfo, data: bytes = b"owned") -> None:
    with tarfile.open(path, "w:gz") as archive:
        manifest = json.dumps(
            {
                "format": "newsroom-backup",
                "format_version": 1,
                "created_at": "2026-01-01T00:00:00+00:00",
                "database": {"vendor": "sqlite", "dump": "json", "file": "database.json"},
                "migrations": [],
                "sha256": {"database.json": "0" * 64},
            }
        ).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
        member.size = len(data) if member.isfile() else 0
        archive.addfile(member, io.BytesIO(data) if member.isfile() else None)


def symlink_member(name: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type = tarfile.SYMTYPE
    member.linkname = "/etc/passwd"
    return member


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("member", "complaint"),
    [
        (tarfile.TarInfo("media/../../escaped.txt"), "points outside"),
        (tarfile.TarInfo("/tmp/absolute.txt"), "absolute path"),
        (symlink_member("media/link.jpg"), "is a link"),
    ],
    ids=["dot-dot", "absolute", "symlink"],
)
def test_a_hostile_archive_is_refused_with_a_clear_error_and_changes_nothing(
    newsroom_site, settings, tmp_path, member, complaint
):
    archive = tmp_path / "hostile.tar.gz"
    hostile_archive(archive, member)
    media_before = media_snapshot(settings)
    articles_before = list(Article.objects.values_list("slug", "headline"))

    with pytest.raises(CommandError, match=complaint):
        call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert list(Article.objects.values_list("slug", "headline")) == articles_before
    assert media_snapshot(settings) == media_before
    assert not (tmp_path / "escaped.txt").exists()
    assert not (settings.MEDIA_ROOT.parent / "escaped.txt").exists()


@pytest.mark.django_db
def test_an_archive_whose_member_does_not_match_its_checksum_is_refused(newsroom_site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), "--dump", "json", stdout=io.StringIO())
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/renditions/"):
                data = data[:-10] + b"x" * 10
            target.addfile(member, io.BytesIO(data))
    Article.objects.all().delete()

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tampered), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_backup_from_a_newer_release_is_refused(newsroom_site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), "--dump", "json", stdout=io.StringIO())
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(newer, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == MANIFEST:
                manifest = json.loads(data)
                manifest["migrations"].append(["articles", "9999_from_the_future"])
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="newer release"):
        call_command("restore", str(newer), "--force", stdout=io.StringIO())


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    not_archive = tmp_path / "notes.tar.gz"
    not_archive.write_text("hello")

    with pytest.raises(CommandError, match=r"not a readable \.tar\.gz"):
        call_command("restore", str(not_archive), stdout=io.StringIO())
