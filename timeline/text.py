"""Text from a timeline file shown safely: as literal Markdown, Plotly text, links and messages.

Every output path that shows file text goes through one of these, so text is data, never markup.
"""

from __future__ import annotations

import math
import re
from urllib.parse import quote, urlsplit

# The ASCII punctuation that starts emphasis, code, links, images, headings, tables, HTML,
# entities, math or Streamlit's colour directives; the text is one line, so a list or a rule
# can only start it (`_LINE_START`). Dots and dashes elsewhere stay readable in a raw report.
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+!|~$&])")
_LINE_START = re.compile(r"^(\d*)([-.)=])")
# GFM turns bare addresses into links *after* escapes are resolved (remark-gfm's autolink
# literal transform looks at the plain text), so escaping cannot stop it: an invisible WORD
# JOINER after `:` and `@` and inside `www.` breaks `http://`, `a@b.c`, `www.x` and `:emoji:`.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"([:@])|(?<=www)(?=\.)", re.IGNORECASE)
_BLANKS = re.compile(r"[\r\n\t\f\v\u2028\u2029\x85]+")
# What terminals and reports must never receive raw: C0/C1 controls, DEL, and the bidi
# overrides and isolates that show text in another order than it is stored ("Trojan source").
# Joiners stay: scripts and emoji need them.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
MESSAGE_CHARS = 80


def escape_markdown(text: object) -> str:
    """Any value as literal text in (Streamlit or GitHub) Markdown: one line, nothing rendered."""
    value = "" if text is None else str(text)
    value = printable(_BLANKS.sub(" ", value).strip())  # leading spaces: a code block
    value = _LINE_START.sub(r"\1\\\2", _MD_PUNCT.sub(r"\\\1", value))
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + _JOINER, value)


def escape_plotly(value: object) -> str:
    """Any value as literal text in Plotly's pseudo-HTML (names, ticks, hover, annotations).

    Plotly decodes entities after splitting tags, so `<a>`, `<span style>` stay text; `%` is
    an entity too, so a `%{...}` in data is never a template placeholder.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return (
        str(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("%", "&#37;")
    )


def web_address(url: object) -> str | None:
    """`url` if it is an absolute http(s) address with a host, else None."""
    if not isinstance(url, str) or _UNPRINTABLE.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced `[` in the host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def markdown_link(title: object, url: object) -> str:
    """A Markdown link to an http(s) address that cannot break out; plain text if not one."""
    text = escape_markdown(title) or "link"
    address = web_address(url)
    if address is None:
        return text
    # Percent-encode everything Markdown could read as the end of the destination or a title.
    return f"[{text}]({quote(address, safe=':/?#@!$&*+,;=%-._~')})"


def printable(text: object, keep: str = "") -> str:
    """Text safe to print to a terminal or a one-line message: controls shown as `\\x1b`.

    `keep` lists controls that stay as they are, e.g. newlines in a CSV cell.
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, str(text))


def clip(text: str, size: int = MESSAGE_CHARS) -> str:
    """The first `size` characters of `text`, saying how long it was when cut."""
    return text if len(text) <= size else f"{text[:size]}… ({len(text):,} characters)"


def shown(value: object) -> str:
    """A value quoted for an error message: short, with controls escaped."""
    if isinstance(value, str) and len(value) > MESSAGE_CHARS:
        return printable(repr(value[:MESSAGE_CHARS]) + f"… ({len(value):,} characters)")
    text = repr(value)
    return printable(clip(text) if len(text) > MESSAGE_CHARS * 2 else text)
