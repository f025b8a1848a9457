"""`manage.py export_site` / `import_site`: the way out, complete enough to come back in."""

from __future__ import annotations

import io
import json
import shutil
from http import HTTPStatus

import jsonschema
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from articles.models import Article, Author, Correction, Section, Tag
from comments.models import Comment
from operations.export import SCHEMA_PATH


def export(tmp_path, *args: str, name: str = "site.json") -> dict:
    out = tmp_path / name
    call_command("export_site", str(out), *args, stdout=io.StringIO())
    return json.loads(out.read_text())


def validate(document: dict) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)


def empty_the_site(settings) -> None:
    Comment.objects.all().delete()
    Correction.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    Version.objects.all().delete()
    Revision.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.mark.django_db
def test_export_then_import_into_an_empty_site_then_export_again_gives_the_same_content(
    newsroom_site, settings, tmp_path, client
):
    first = export(tmp_path, "--media-dir", str(tmp_path / "files"), name="first.json")
    validate(first)
    empty_the_site(settings)

    call_command(
        "import_site",
        str(tmp_path / "first.json"),
        "--media-dir",
        str(tmp_path / "files"),
        stdout=io.StringIO(),
    )
    second = export(tmp_path, name="second.json")

    validate(second)
    first.pop("exported_at")
    second.pop("exported_at")
    assert second == first
    article = Article.objects.get(slug="tram-line-approved")
    assert default_storage.exists(article.hero_media.file.name)
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "Second reader" in response.content.decode()


@pytest.mark.django_db
def test_the_export_holds_revisions_images_corrections_and_threaded_approved_comments(
    newsroom_site, tmp_path
):
    document = export(tmp_path)

    validate(document)
    article = next(a for a in document["articles"] if a["slug"] == "tram-line-approved")
    assert [r["comment"] for r in article["revisions"]] == ["First draft", "Standfirst"]
    assert article["revisions"][0]["content"]["section"] == "city"
    assert article["revisions"][0]["content"]["authors"] == ["ada-byline"]
    assert article["revisions"][1]["content"]["standfirst"] == "Work starts in spring."
    assert article["revisions"][1]["user"] == "desk-editor"
    assert article["hero_image"]["alt"] == "A tram at the depot"
    assert set(article["hero_image"]["renditions"]) == {"320", "640"}
    assert article["corrections"][0]["text"] == "The vote was on Tuesday, not Monday."
    assert [(c["author_name"], c["parent"]) for c in article["comments"]] == [
        ("First reader", None),
        ("Second reader", article["comments"][0]["id"]),
    ]
    author = document["authors"][0]
    assert author["photo"] == {"path": newsroom_site["author"].photo_media.file.name}
    assert author["photo"]["path"].startswith("library/")
    assert author["user"] == "desk-editor"


@pytest.mark.django_db
def test_the_export_leaves_out_commenters_emails_and_addresses_unless_asked(
    newsroom_site, tmp_path
):
    public = json.dumps(export(tmp_path, name="public.json"))
    private = export(tmp_path, "--include-private", name="private.json")

    assert "@example.org" not in public
    assert "203.0.113.7" not in public
    assert "Mozilla/5.0 (test)" not in public
    assert "@newsroom.test" not in public
    validate(private)
    comment = private["articles"][0]["comments"][0]
    assert comment["author_email"].endswith("@example.org")
    assert comment["ip_address"] == "203.0.113.7"


@pytest.mark.django_db
def test_import_refuses_a_site_that_already_holds_content(newsroom_site, tmp_path):
    export(tmp_path)

    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_site", str(tmp_path / "site.json"), stdout=io.StringIO())


@pytest.mark.django_db
def test_import_refuses_a_media_path_outside_the_media_folder(newsroom_site, settings, tmp_path):
    document = export(tmp_path)
    document["articles"][0]["hero_image"]["path"] = "../../etc/passwd"
    (tmp_path / "hostile.json").write_text(json.dumps(document))
    empty_the_site(settings)

    with pytest.raises(CommandError, match="outside the media folder"):
        call_command("import_site", str(tmp_path / "hostile.json"), stdout=io.StringIO())

    assert not Article.objects.exists()


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_an_export(tmp_path):
    (tmp_path / "other.json").write_text(json.dumps({"hello": "world"}))

    with pytest.raises(CommandError, match="not a newsroom export"):
        call_command("import_site", str(tmp_path / "other.json"), stdout=io.StringIO())
