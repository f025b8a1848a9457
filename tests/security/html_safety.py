"""Is a rendered page free of markup that a reader's input could have smuggled in?

A page is parsed the way a browser tokenises it (``html.parser`` and lxml's
HTML parser, which disagree on enough edge cases to be worth both), and every
element and attribute is judged on its own, whatever text surrounds it:

- no event-handler attribute (``on*``) anywhere: the site has none of its own
  (the Content-Security-Policy forbids them), so any one came from input;
- no URL attribute whose scheme is ``javascript:``, ``vbscript:`` or an
  executable ``data:`` type, spelled in any case, with any whitespace or
  control characters inside, or hidden behind character references;
- no element that runs or embeds content (``iframe``, ``object``, ``embed``,
  ``base``, ``svg``, ``math``, ``meta http-equiv``, ``srcdoc``...);
- every ``<script>`` either loads a file from this site or is inert data
  (JSON, JSON-LD, an import map) that parses as JSON and holds no payload.

``verbatim_payloads`` adds the plain check: a payload containing ``<`` or a
quote must never appear character for character in the output (escaping
always changes those characters).
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import lxml.html

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "lowsrc",
    "dynsrc",
    "ping",
    "cite",
    "codebase",
    "longdesc",
    "manifest",
    "icon",
}
EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html", "data:image/svg")
EMBEDDING_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "isindex",
    "marquee",
    "plaintext",
    "xmp",
    "noembed",
    "portal",
}
INERT_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap"}
SCRIPT_MARKERS = ("alert", "prompt", "confirm", "evil.example", "document.cookie", "eval(")
_LXML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
# Everything a browser ignores inside a URL scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _scheme_of(value: str) -> str:
    return _IGNORED_IN_SCHEME.sub("", unescape(value)).lower()


def _judge_element(
    tag: str,
    attributes: list[tuple[str, str | None]],
    where: str,
    allow_tags: frozenset[str] = frozenset(),
) -> list[str]:
    problems = []
    tag = tag.lower()
    if tag in EMBEDDING_TAGS and tag not in allow_tags:
        problems.append(f"{where}: a <{tag}> element")
    named = {}
    for name, value in attributes:
        name = (name or "").lower()
        value = value or ""
        named[name] = value
        if name.startswith("on"):
            problems.append(f"{where}: an event handler {name}={value!r} on <{tag}>")
        if name == "srcdoc":
            problems.append(f"{where}: a srcdoc attribute on <{tag}>")
        if (name in URL_ATTRIBUTES or name.endswith(":href")) and _scheme_of(value).startswith(
            EXECUTABLE_SCHEMES
        ):
            problems.append(f"{where}: <{tag} {name}={value!r}> runs code")
        if name == "style" and re.search(r"expression\(|javascript:|url\(", _scheme_of(value)):
            problems.append(f"{where}: a style attribute that loads or runs code: {value!r}")
    if tag == "meta" and named.get("http-equiv", "").lower() == "refresh":
        problems.append(f"{where}: a <meta http-equiv=refresh>")
    if tag == "link" and (
        "import" in named.get("rel", "").lower()
        or not named.get("href", "/static/").startswith(("/static/", "/", "http"))
    ):
        problems.append(f"{where}: a <link> that imports {named.get('href')!r}")
    if tag == "script":
        source = named.get("src")
        script_type = named.get("type", "").lower()
        if source is not None and not (source.startswith("/") and not source.startswith("//")):
            problems.append(f"{where}: a <script> loading {source!r}")
        if source is None and script_type not in INERT_SCRIPT_TYPES:
            problems.append(f"{where}: an inline executable <script type={script_type!r}>")
    return problems


class _Tokeniser(HTMLParser):
    def __init__(self, where: str, allow_tags: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.allow_tags = allow_tags
        self.problems: list[str] = []
        self._script_type: str | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.problems += _judge_element(tag, attrs, self.where, self.allow_tags)
        if tag == "script":
            self._script_type = dict(attrs).get("type", "") or ""
            self._script_text = []

    def handle_startendtag(self, tag, attrs):
        self.problems += _judge_element(tag, attrs, self.where, self.allow_tags)

    def handle_data(self, data):
        if self._script_type is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_type is not None:
            self.problems += _judge_script_text(
                "".join(self._script_text), self._script_type, self.where
            )
            self._script_type = None


def _judge_script_text(text: str, script_type: str, where: str) -> list[str]:
    if not text.strip():
        return []
    problems = []
    lowered = text.lower()
    for marker in SCRIPT_MARKERS:
        if marker in lowered:
            problems.append(f"{where}: {marker!r} inside a <script>: {text[:120]!r}")
    if script_type.lower() in INERT_SCRIPT_TYPES:
        try:
            json.loads(text)
        except ValueError:
            problems.append(f"{where}: a {script_type} <script> that is not JSON: {text[:120]!r}")
    return problems


def unsafe_markup(
    html: str, *, where: str = "page", allow_tags: frozenset[str] = frozenset()
) -> list[str]:
    """Every element or attribute in ``html`` that could run code; [] for a safe page.

    ``allow_tags`` lets through elements a page draws itself (the admin's
    theme-switch icons are inline ``<svg>``); every other rule still applies
    inside them.
    """
    tokeniser = _Tokeniser(where, allow_tags)
    tokeniser.feed(html)
    tokeniser.close()
    problems = tokeniser.problems
    if html.strip():
        document = lxml.html.document_fromstring(
            html.encode("utf-8", "replace"), parser=_LXML_PARSER
        )
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions
            for problem in _judge_element(
                element.tag, list(element.attrib.items()), f"{where} (lxml)", allow_tags
            ):
                if problem not in problems:
                    problems.append(problem)
    return problems


def verbatim_payloads(output: str, values: list[str], *, where: str = "page") -> list[str]:
    """Payloads with markup characters that appear unchanged (so unescaped) in ``output``."""
    found = []
    for value in values:
        stripped = value.strip()
        if (
            len(stripped) >= 4
            and re.search(r"<[a-zA-Z/!?%]|[\"']", stripped)
            and stripped in output
        ):
            found.append(f"{where}: the payload {stripped[:80]!r} appears unescaped")
    return found
