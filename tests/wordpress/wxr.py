"""Small WXR (WordPress export) documents built in the tests, item by item."""

from __future__ import annotations


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
