"""Malformed and hostile export files stop with a clear error and change nothing;
awkward but valid text (CDATA edge cases, backslashes, line breaks) survives exactly."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Section
from comments.models import Comment
from tests.wordpress.wxr import comment, post, wxr
from wordpress import importer
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol3;</title></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><title>&secret;</title></channel></rss>
"""


def assert_nothing_imported() -> None:
    assert not Article.objects.exists()
    assert not Section.objects.exists()
    assert not Comment.objects.exists()
    assert not ImportedItem.objects.exists()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (wxr(post(1))[:-40], "not well-formed XML (line"),
        (b"\x00\x01 not xml at all", "not well-formed XML"),
        (BILLION_LAUGHS, "declares an entity ('lol')"),
        (EXTERNAL_ENTITY, "declares an external entity ('secret')"),
        ("<rss><channel><title>A feed</title></channel></rss>", "not a WordPress export file"),
        ("<html><body>Hello</body></html>", "not a WordPress export file (no <rss><channel>)"),
        (wxr(post(1), version="2.0"), "WXR version 2.0"),
    ],
    ids=["truncated", "binary", "billion-laughs", "external-entity", "plain-rss", "html", "wxr-2"],
)
def test_a_file_that_is_not_a_sound_export_is_refused_clearly(run_import, document, message):
    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run_import(document)

    assert message in str(error.value)
    assert_nothing_imported()


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(run_import):
    document = wxr(*(post(number) for number in range(1, 30)))

    with pytest.raises(CommandError, match=r"too large: [\d,]+ bytes, the limit is 2,000"):
        run_import(document, "--max-bytes", "2000")

    assert_nothing_imported()


def test_a_missing_file_is_a_clear_error(editor, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"), "--user", editor.username)


def test_a_user_who_may_not_publish_cannot_import(run_import, editor):
    editor.groups.clear()

    with pytest.raises(CommandError, match="may not publish articles"):
        run_import(wxr(post(1)))

    assert_nothing_imported()


def test_a_failure_half_way_leaves_the_database_unchanged(run_import, monkeypatch):
    real_comments = importer._Importer.comments

    def fail_on_second_post(self, item, article):
        if item.post_id == "2":
            raise RuntimeError("the disk caught fire")
        return real_comments(self, item, article)

    monkeypatch.setattr(importer._Importer, "comments", fail_on_second_post)

    with pytest.raises(CommandError, match=r"unexpected error .*the disk caught fire"):
        run_import(wxr(post(1, extra=comment(7)), post(2)))

    assert_nothing_imported()


# --- text that must survive exactly -------------------------------------------------


def test_a_split_cdata_section_keeps_its_closing_brackets(run_import):
    # WordPress writes "]]>" inside content as "]]]]><![CDATA[>".
    title = "<![CDATA[Arrays like a[b[0]]]]><![CDATA[> are fine]]>"
    content = "<![CDATA[Text with ]]]]><![CDATA[> in it.]]>"
    run_import(wxr(post(1, title=title, content=content)))

    imported = Article.objects.get()
    assert imported.headline == "Arrays like a[b[0]]> are fine"
    assert imported.body == "<p>Text with ]]&gt; in it.</p>"


def test_backslashes_and_slashes_survive_exactly(run_import):
    title = r"<![CDATA[C:\Users\news\ and a/b // c \\ d \' e]]>"
    content = r"<![CDATA[Path C:\temp\new and \\server\share, a \"quote\" and 1/2]]>"
    text = r"<![CDATA[Escaped \n is not a line break, \\ stays, \' too / and //]]>"
    run_import(wxr(post(1, title=title, content=content, extra=comment(7, content=text))))

    imported = Article.objects.get()
    assert imported.headline == r"C:\Users\news\ and a/b // c \\ d \' e"
    assert imported.body == r"<p>Path C:\temp\new and \\server\share, a \"quote\" and 1/2</p>"
    assert (
        Comment.objects.get().text == r"Escaped \n is not a line break, \\ stays, \' too / and //"
    )


def test_multi_line_fields_survive_exactly(run_import):
    text = "<![CDATA[First line\n  indented second\n\n\nafter blank lines\n]]>"
    run_import(wxr(post(1, extra=comment(7, content=text))))

    assert Comment.objects.get().text == "First line\n  indented second\n\n\nafter blank lines\n"


def test_escaped_text_outside_cdata_is_read_as_text(run_import):
    run_import(wxr(post(1, title="Fish &amp; chips &lt;3", content="Plain &amp; simple")))

    imported = Article.objects.get()
    assert imported.headline == "Fish & chips <3"
    assert imported.body == "<p>Plain &amp; simple</p>"


def test_script_in_a_post_is_removed_by_the_sanitiser(run_import):
    content = '<![CDATA[Hi <script>alert(1)</script><a href="javascript:x()">link</a>]]>'
    run_import(wxr(post(1, content=content)))

    body = Article.objects.get().body
    assert "script" not in body
    assert "javascript" not in body


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions_are_read(run_import, version):
    tag = '<category domain="tag"><![CDATA[Old tag]]></category>' if version == "1.0" else ""
    output = run_import(
        wxr(post(1, extra=f"<category><![CDATA[News]]></category>{tag}"), version=version)
    )

    imported = Article.objects.get()
    assert imported.section.name == "News"
    assert f"WXR {version}" in output
    if version == "1.0":
        assert list(imported.tags.values_list("name", flat=True)) == ["Old tag"]
