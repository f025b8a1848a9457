"""Plain-text wire copy: headline, paragraphs, and the page chrome left out."""

from __future__ import annotations

import pytest

from articles.wire import WireCopyError, is_chrome_end, is_chrome_line, parse_wire_copy
from tests.articles.seed import (
    SEED_CHROME,
    SEED_FILE,
    SEED_FIRST_PARAGRAPH,
    SEED_HEADLINE,
    SEED_LAST_PARAGRAPH,
)


@pytest.fixture
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


def test_the_seed_file_headline_is_its_first_line(seed_text):
    assert parse_wire_copy(seed_text).headline == SEED_HEADLINE


def test_the_seed_file_has_exactly_its_seven_body_paragraphs(seed_text):
    story = parse_wire_copy(seed_text)

    assert len(story.paragraphs) == 7
    assert story.paragraphs[0] == SEED_FIRST_PARAGRAPH
    assert story.paragraphs[-1] == SEED_LAST_PARAGRAPH


def test_the_seed_file_typography_is_kept_intact(seed_text):
    body = "\n".join(parse_wire_copy(seed_text).paragraphs)

    assert "\u201cnegotiations and confrontations\u201d" in body
    assert "In 2018\u20132019, Kim" in body


def test_the_seed_file_page_chrome_is_not_in_the_body(seed_text):
    story = parse_wire_copy(seed_text)
    body = "\n".join(story.paragraphs)

    for chrome in SEED_CHROME:
        assert chrome not in body
    assert all(chrome not in story.body_html() for chrome in SEED_CHROME)


def test_the_seed_file_parses_the_same_with_a_bom_and_windows_line_endings(seed_text):
    windows_text = "\ufeff" + seed_text.replace("\n", "\r\n")

    assert parse_wire_copy(windows_text) == parse_wire_copy(seed_text)


def test_the_last_chrome_line_is_dropped_with_or_without_a_trailing_newline(seed_text):
    assert not seed_text.endswith("\n")  # the seed file really lacks one

    assert parse_wire_copy(seed_text + "\n\n") == parse_wire_copy(seed_text)


def test_leading_blank_lines_are_skipped_to_find_the_headline():
    story = parse_wire_copy("\n\n   \nHarbour bridge reopens\n\nTraffic flowed again on Monday.")

    assert story.headline == "Harbour bridge reopens"
    assert story.paragraphs == ("Traffic flowed again on Monday.",)


def test_hard_wrapped_lines_are_joined_into_one_paragraph():
    story = parse_wire_copy("Headline\n\nThe first line\nand its continuation.\n\nSecond.")

    assert story.paragraphs == ("The first line and its continuation.", "Second.")


def test_body_lines_right_under_the_headline_form_the_first_paragraph():
    story = parse_wire_copy("Headline\nFirst paragraph.\n\nSecond paragraph.")

    assert story.paragraphs == ("First paragraph.", "Second paragraph.")


def test_the_body_html_escapes_markup_in_plain_text():
    story = parse_wire_copy('Headline\n\nA <script>alert("x")</script> & more.')

    assert story.body_html() == (
        "<p>A &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more.</p>"
    )


def test_everything_after_a_related_posts_heading_is_dropped():
    text = (
        "Ferry fares to rise\n\nFares rise in May.\n\nThe operator blamed fuel costs.\n\n"
        "Related posts\n\nCouncil backs new pier\n\nSchool wins chess title"
    )

    assert parse_wire_copy(text).paragraphs == (
        "Fares rise in May.",
        "The operator blamed fuel costs.",
    )


@pytest.mark.parametrize(
    "furniture",
    [
        "Share this:",
        "Share on Facebook",
        "Tweet",
        "Advertisement",
        "\u00a9 2024 Harbourside Gazette. All rights reserved.",
        "Copyright 2023 Example Media",
        "Required fields are marked *",
        "Continue reading",
    ],
)
def test_single_furniture_lines_are_dropped_inside_the_story(furniture):
    text = f"Headline\n\nFirst.\n\n{furniture}\n\nSecond."

    assert parse_wire_copy(text).paragraphs == ("First.", "Second.")


def test_a_real_paragraph_that_starts_like_furniture_is_kept():
    paragraph = (
        "Copyright lawyers told the court that the publisher had never asked for permission, "
        "and that the songwriter had complained about the use of her lyrics for two years."
    )

    assert not is_chrome_line(paragraph)
    assert not is_chrome_end("Comments from residents were mixed, the council said.")
    assert parse_wire_copy(f"Headline\n\n{paragraph}").paragraphs == (paragraph,)


def test_empty_text_is_refused():
    with pytest.raises(WireCopyError, match="empty"):
        parse_wire_copy(" \n\n\t\n")


def test_a_headline_without_body_is_refused():
    with pytest.raises(WireCopyError, match="no body"):
        parse_wire_copy("Just a headline\n\nLeave a Reply\n\nLatest News Articles")


def test_a_wordpress_share_bar_and_related_list_are_dropped():
    text = (
        "Headline\n\nThe story.\n\nShare this:\n\nTwitter\n\nFacebook\n\nLike this:\n\n"
        "Like Loading...\n\nRelated\n\nAnother headline entirely"
    )

    assert parse_wire_copy(text).paragraphs == ("The story.",)


def test_the_shared_seed_file_is_found_beside_the_repository():
    assert SEED_FILE.is_file(), (
        f"{SEED_FILE} is missing: the import tests read the scraped page from the project's "
        "shared/ folder, which CI lays out beside the repository (or set NEWSROOM_SHARED_DIR)."
    )
