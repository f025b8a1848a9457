"""WXR documents for the importer tests, built here so each test shows what it feeds in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from tests.factories import EditorFactory

FIXTURES = Path(__file__).parent / "fixtures"


def wxr(*items: str, version: str = "1.2", channel: str = "") -> str:
    """A WXR document around ``items`` (``<item>`` elements)."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
  <title>Test site</title>
  <link>https://blog.example.com</link>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>https://blog.example.com</wp:base_site_url>
  <wp:base_blog_url>https://blog.example.com</wp:base_blog_url>
  {channel}
  {"".join(items)}
</channel>
</rss>
"""


def post(
    post_id: int = 1,
    *,
    title: str = "<![CDATA[A post]]>",
    content: str = "<![CDATA[Some text.]]>",
    status: str = "publish",
    name: str | None = None,
    link: str | None = None,
    date_gmt: str = "2024-05-22 08:30:00",
    creator: str = "admin",
    post_type: str = "post",
    extra: str = "",
) -> str:
    """One ``<item>``; ``title`` and ``content`` are raw XML (CDATA or escaped text)."""
    name = f"post-{post_id}" if name is None else name
    link = f"https://blog.example.com/2024/05/{name}/" if link is None else link
    return f"""
  <item>
    <title>{title}</title>
    <link>{link}</link>
    <dc:creator><![CDATA[{creator}]]></dc:creator>
    <content:encoded>{content}</content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>{post_id}</wp:post_id>
    <wp:post_date><![CDATA[{date_gmt}]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[{name}]]></wp:post_name>
    <wp:status><![CDATA[{status}]]></wp:status>
    <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
    {extra}
  </item>"""


def comment(
    comment_id: int,
    *,
    content: str = "<![CDATA[A comment.]]>",
    approved: str = "1",
    parent: int = 0,
    author: str = "Reader",
    email: str = "reader@example.org",
    url: str = "",
    ip: str = "198.51.100.1",
    date_gmt: str = "2024-05-22 10:00:00",
) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{comment_id}</wp:comment_id>
      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
      <wp:comment_author_url><![CDATA[{url}]]></wp:comment_author_url>
      <wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>
      <wp:comment_date><![CDATA[{date_gmt}]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[{date_gmt}]]></wp:comment_date_gmt>
      <wp:comment_content>{content}</wp:comment_content>
      <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
      <wp:comment_type><![CDATA[comment]]></wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
    </wp:comment>"""


def jpeg_bytes(width: int = 640, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def editor(db):
    return EditorFactory(username="importer")


@pytest.fixture
def run_import(editor, tmp_path, django_capture_on_commit_callbacks):
    """Write ``document`` to a file, import it, and return what the command printed."""

    def run(document: str | bytes, *args: str) -> str:
        path = tmp_path / "export.xml"
        path.write_bytes(document.encode() if isinstance(document, str) else document)
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "import_wordpress", str(path), "--user", editor.username, *args, stdout=out
            )
        return out.getvalue()

    return run


@pytest.fixture
def uploads(tmp_path) -> Path:
    """A copy of wp-content/uploads with the realistic export's images that exist."""
    root = tmp_path / "uploads"
    (root / "2024" / "05").mkdir(parents=True)
    (root / "2024" / "05" / "tram-map.jpg").write_bytes(jpeg_bytes())
    png = io.BytesIO()
    Image.new("RGB", (500, 300), (200, 30, 30)).save(png, "PNG")
    (root / "2024" / "05" / "map.png").write_bytes(png.getvalue())
    return root


@pytest.fixture
def realistic() -> str:
    return (FIXTURES / "realistic.xml").read_text(encoding="utf-8")
