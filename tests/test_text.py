"""File text stays text: in Markdown, in Plotly's pseudo-HTML, in links and in messages."""

from __future__ import annotations

import re

from timeline.text import (
    clip,
    escape_markdown,
    escape_plotly,
    markdown_link,
    printable,
    shown,
    web_address,
)

J = "\u2060"  # the invisible WORD JOINER that stops GFM's autolinking


def test_markdown_image_and_link_syntax_is_escaped():
    assert escape_markdown("x ![a](http://h.example/t.png)") == (
        rf"x \!\[a\]\(http:{J}//h.example/t.png\)"
    )


def test_bare_addresses_cannot_autolink():
    text = escape_markdown("see www.evil.example, https://a.example and me@mail.example")
    assert text == (f"see www{J}.evil.example, https:{J}//a.example and me@{J}mail.example")
    # The patterns remark-gfm's autolink transform applies to the resolved text find nothing.
    resolved = re.sub(r"\\(.)", r"\1", text)
    assert not re.search(r"(https?://|www(?=\.))", resolved, re.IGNORECASE)
    assert not re.search(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", resolved)


def test_block_markup_emoji_math_and_colour_directives_are_escaped():
    assert escape_markdown("1. # <b>&amp; $x$ :red[y] ~z~ | a*b_c`d") == (
        rf"1\. \# \<b\>\&amp; \$x\$ :{J}red\[y\] \~z\~ \| a\*b\_c\`d"
    )
    assert [escape_markdown(t) for t in ("- x", "---", "12) x", "+ y", "a.b-c")] == [
        r"\- x",
        r"\---",
        r"12\) x",
        r"\+ y",
        "a.b-c",
    ]


def test_markdown_text_is_one_line_without_leading_indent_or_raw_controls():
    assert escape_markdown("    code\nnext\tline\x1b[31m\x00") == r"code next line\\x1b\[31m\\x00"
    assert escape_markdown(None) == ""


def test_plotly_markup_entities_and_templates_stay_text():
    hostile = '<a href="http://h.example">x</a><span style="cursor:url(http://h.example)">%{y}&lt;'
    assert escape_plotly(hostile) == (
        '&lt;a href="http://h.example"&gt;x&lt;/a&gt;'
        '&lt;span style="cursor:url(http://h.example)"&gt;&#37;{y}&amp;lt;'
    )
    assert escape_plotly(None) == ""
    assert escape_plotly(float("nan")) == ""
    assert escape_plotly(3) == "3"


def test_only_http_addresses_with_a_host_are_web_addresses():
    assert web_address("https://example.org/a?b=1#c") == "https://example.org/a?b=1#c"
    assert web_address("HTTP://example.org") == "HTTP://example.org"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "http:///path",
        "//example.org",
        "https://exa mple.org",
        "https://example.org/\x1b",
        "https://[::1",
        None,
        3,
    ):
        assert web_address(bad) is None, bad


def test_a_source_link_cannot_break_out_of_its_destination():
    link = markdown_link("T]x", "https://a.example/p)![u](http://h.example/x.png)")
    assert link == "[T\\]x](https://a.example/p%29!%5Bu%5D%28http://h.example/x.png%29)"
    assert markdown_link('A "t"', 'https://a.example/<b>"x" y') == 'A "t"'
    assert markdown_link("A", "https://a.example/'x'`") == "[A](https://a.example/%27x%27%60)"


def test_a_source_that_is_not_a_web_address_is_plain_text():
    assert markdown_link("Doc (1)", "javascript:alert(1)") == r"Doc \(1\)"
    assert markdown_link("", "https://a.example") == "[link](https://a.example)"


def test_printable_escapes_controls_and_bidi_overrides_visibly():
    assert printable("a\x1b]0;t\x07b\x00\x9b\u202ec") == r"a\x1b]0;t\x07b\x00\x9b\u202ec"
    assert printable("line\nnext\tcell\r", keep="\n\t") == "line\nnext\tcell\\x0d"
    assert printable("emoji 👨\u200d👩 and joiners stay") == "emoji 👨\u200d👩 and joiners stay"


def test_long_values_are_clipped_in_messages():
    assert clip("x" * 100) == "x" * 80 + "… (100 characters)"
    assert clip("short") == "short"
    assert shown("y" * 5_000_000) == "'" + "y" * 80 + "'… (5,000,000 characters)"
    assert shown("a\x1bb") == r"'a\x1bb'"
    assert shown(list(range(100))).endswith("… (390 characters)")
