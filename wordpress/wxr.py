"""Reading a WordPress export file (WXR 1.0, 1.1 and 1.2) into plain values.

The file is untrusted input: it is read with a size cap, parsed by defusedxml
(no entity declarations, so no "billion laughs" expansion, and no external
entities or DTD fetching), and any problem becomes a :class:`WxrError` with a
sentence for the person running the import. Nothing here touches the
database, so a file that cannot be read changes nothing.

Text is taken exactly as the parser gives it: CDATA sections (including a
``]]>`` that WordPress splits across two of them), backslashes and line
breaks come through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

# Big enough for the export of a large site (text only: the images are not in it).
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

_WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/([0-9]+\.[0-9]+)/$")
_EXCERPT_NAMESPACE = re.compile(r"^http://wordpress\.org/export/[0-9]+\.[0-9]+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WxrError(Exception):
    """The file cannot be imported; the message says why."""


@dataclass
class WxrAuthor:
    login: str
    display_name: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrTerm:
    slug: str
    name: str


@dataclass
class WxrComment:
    wp_id: str
    author: str
    email: str
    url: str
    ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class WxrItem:
    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_name: str
    date: str
    date_gmt: str
    attachment_url: str
    comment_status: str = "open"
    categories: list[WxrTerm] = field(default_factory=list)
    tags: list[WxrTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


@dataclass
class Wxr:
    version: str
    base_site_url: str
    base_blog_url: str
    authors: list[WxrAuthor]
    categories: list[WxrTerm]
    tags: list[WxrTerm]
    items: list[WxrItem]


def read_wxr(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Wxr:
    """Read and parse the export at ``path``; raises :class:`WxrError`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise WxrError(_too_big(size, max_bytes))
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise WxrError(f"Cannot read {path}: {error.strerror or error}.") from error
    if len(data) > max_bytes:  # it grew while we looked
        raise WxrError(_too_big(len(data), max_bytes))
    return parse_wxr(data)


def parse_wxr(data: bytes) -> Wxr:
    """Parse the bytes of an export; raises :class:`WxrError`."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as error:
        kind = "an external entity" if error.sysid or error.pubid else "an entity"
        raise WxrError(
            f"The file declares {kind} ({error.name!r}). WordPress exports never do; "
            "entity declarations are how entity-expansion ('billion laughs') and "
            "external-entity attacks work, so the file is refused."
        ) from error
    except defusedxml.DefusedXmlException as error:
        raise WxrError(
            f"The file refers to an external resource ({error}); refused for safety."
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise WxrError(
            f"The file is not well-formed XML (line {line}, column {column + 1}): "
            f"{_reason(error)}. Export it from WordPress again."
        ) from error
    except (ValueError, RecursionError) as error:
        raise WxrError(f"The file could not be parsed as XML: {error}.") from error
    return _read_root(root)


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"The file is too large: {size:,} bytes, the limit is {max_bytes:,} "
        "(--max-bytes raises it)."
    )


def _reason(error: ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(error))


def _key(tag: str) -> str:
    """``{namespace}local`` as ``prefix:local`` (``wp:``, ``excerpt:``, ``content:``, ``dc:``)."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if _WP_NAMESPACE.match(namespace):
        return f"wp:{local}"
    if _EXCERPT_NAMESPACE.match(namespace):
        return f"excerpt:{local}"
    return f"{_PREFIXES.get(namespace, namespace)}:{local}"


def _text(element: Element, name: str) -> str:
    for child in element:
        if _key(child.tag) == name:
            return child.text or ""
    return ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _key(child.tag) == name]


def _meta(element: Element, name: str) -> dict[str, str]:
    return {
        _text(meta, "wp:meta_key"): _text(meta, "wp:meta_value")
        for meta in _children(element, name)
    }


def _read_root(root: Element) -> Wxr:
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise WxrError("This is not a WordPress export file (no <rss><channel>).")
    namespaces = {
        match.group(1)
        for element in channel.iter()
        if isinstance(element.tag, str) and element.tag.startswith("{")
        for match in [_WP_NAMESPACE.match(element.tag[1:].split("}", 1)[0])]
        if match
    }
    version = _text(channel, "wp:wxr_version").strip() or (
        next(iter(namespaces)) if len(namespaces) == 1 else ""
    )
    if not namespaces or version not in SUPPORTED_VERSIONS:
        raise WxrError(
            "This is not a WordPress export file this importer knows "
            f"(WXR version {version or 'missing'}; supported: {', '.join(SUPPORTED_VERSIONS)})."
        )

    authors = [
        WxrAuthor(
            login=_text(author, "wp:author_login"),
            display_name=_text(author, "wp:author_display_name"),
            email=_text(author, "wp:author_email"),
            first_name=_text(author, "wp:author_first_name"),
            last_name=_text(author, "wp:author_last_name"),
        )
        for author in _children(channel, "wp:author")
    ]
    categories = [
        WxrTerm(slug=_text(term, "wp:category_nicename"), name=_text(term, "wp:cat_name"))
        for term in _children(channel, "wp:category")
    ]
    tags = [
        WxrTerm(slug=_text(term, "wp:tag_slug"), name=_text(term, "wp:tag_name"))
        for term in _children(channel, "wp:tag")
    ]
    return Wxr(
        version=version,
        base_site_url=_text(channel, "wp:base_site_url").strip(),
        base_blog_url=(_text(channel, "wp:base_blog_url") or _text(channel, "link") or "").strip(),
        authors=authors,
        categories=categories,
        tags=tags,
        items=[_read_item(item) for item in channel.findall("item")],
    )


def _read_item(item: Element) -> WxrItem:
    categories: list[WxrTerm] = []
    tags: list[WxrTerm] = []
    for term in item.findall("category"):
        domain = term.get("domain", "category")
        entry = WxrTerm(slug=term.get("nicename", ""), name=term.text or "")
        if domain == "category":
            categories.append(entry)
        elif domain in {"post_tag", "tag"}:  # "tag" in WXR 1.0
            tags.append(entry)
    return WxrItem(
        post_id=_text(item, "wp:post_id").strip(),
        post_type=_text(item, "wp:post_type").strip() or "post",
        status=_text(item, "wp:status").strip(),
        title=_text(item, "title"),
        link=_text(item, "link").strip(),
        creator=_text(item, "dc:creator"),
        content=_text(item, "content:encoded"),
        excerpt=_text(item, "excerpt:encoded"),
        post_name=_text(item, "wp:post_name").strip(),
        date=_text(item, "wp:post_date").strip(),
        date_gmt=_text(item, "wp:post_date_gmt").strip(),
        attachment_url=_text(item, "wp:attachment_url").strip(),
        comment_status=_text(item, "wp:comment_status").strip() or "open",
        categories=categories,
        tags=tags,
        meta=_meta(item, "wp:postmeta"),
        comments=[
            WxrComment(
                wp_id=_text(comment, "wp:comment_id").strip(),
                author=_text(comment, "wp:comment_author"),
                email=_text(comment, "wp:comment_author_email").strip(),
                url=_text(comment, "wp:comment_author_url").strip(),
                ip=_text(comment, "wp:comment_author_IP").strip(),
                date=_text(comment, "wp:comment_date").strip(),
                date_gmt=_text(comment, "wp:comment_date_gmt").strip(),
                content=_text(comment, "wp:comment_content"),
                approved=_text(comment, "wp:comment_approved").strip(),
                type=_text(comment, "wp:comment_type").strip(),
                parent=_text(comment, "wp:comment_parent").strip() or "0",
                meta=_meta(comment, "wp:commentmeta"),
            )
            for comment in _children(item, "wp:comment")
        ],
    )


def parse_date(gmt: str, local: str) -> datetime | None:
    """A WordPress date as an aware datetime: the GMT one, else the local one read as UTC.

    WordPress writes ``0000-00-00 00:00:00`` for "no date" (drafts never saved with one).
    """
    for value in (gmt, local):
        if value and not value.startswith("0000"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
    return None
