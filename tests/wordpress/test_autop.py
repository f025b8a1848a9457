"""The wpautop port: WordPress's bare line breaks become paragraphs, blocks stay as they are."""

from __future__ import annotations

from wordpress.autop import autop


def test_blank_lines_separate_paragraphs():
    assert autop("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>\n"


def test_a_single_line_break_is_a_br():
    assert autop("Line one\nline two") == "<p>Line one<br />\nline two</p>\n"


def test_windows_line_endings_count_as_line_breaks():
    assert autop("One.\r\n\r\nTwo.") == "<p>One.</p>\n<p>Two.</p>\n"


def test_block_elements_are_not_wrapped_in_paragraphs():
    html = autop("<h2>Title</h2>\nText\n\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>")

    assert html == "<h2>Title</h2>\n<p>Text</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"


def test_text_in_a_blockquote_becomes_a_paragraph_inside_it():
    assert autop("<blockquote>Said\nthis</blockquote>") == (
        "<blockquote><p>Said<br />\nthis</p></blockquote>\n"
    )


def test_preformatted_text_keeps_its_line_breaks():
    assert autop("<pre>a\n\nb</pre>\n\nx") == "<pre>a\n\nb</pre>\n<p>x</p>\n"


def test_a_line_break_inside_a_tag_is_not_a_paragraph_break():
    assert autop('<a\nhref="https://example.com/">link</a> here') == (
        '<p><a\nhref="https://example.com/">link</a> here</p>\n'
    )


def test_empty_content_stays_empty():
    assert autop("  \n\n ") == ""
