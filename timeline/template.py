"""A small, valid starter timeline with a comment on every field."""

from __future__ import annotations

import os
from pathlib import Path

from .text import printable

SCHEMA_FILE = Path(__file__).resolve().parent / "timeline.schema.json"

STARTER = """\
# yaml-language-server: $schema={schema}
# A starter timeline: edit it, then check it with `python -m timeline validate {name}`.
format: 2                       # the format version
title: What if the Library of Alexandria never burned?
description: >-                 # one or two sentences shown under the title
  A classroom what-if: the library survives, and ancient science keeps going.
histories:                      # a tree: one root (no parent), then branches of it
  - id: ours
    label: Our history
    color: "#0072B2"            # optional #RRGGBB; a colour-blind-safe one when left out
  - id: library
    label: The Library survives
    parent: ours                # the history it leaves...
    divergence: library-saved   # ...at this event of its own
  - id: steam                   # a branch of a branch: in the library's world, one more change
    label: Steam Alexandria
    parent: library
    divergence: hero-engine-works

eras:                           # named spans users can filter by; they may overlap
  - id: antiquity
    label: Late Antiquity
    start: 48 BC                # dates: 1969-07-20, 1969-07, 1969, 1960s, -0047 or 48 BC;
                                # unsure: 1947?, about: 1946~, between: 1942/1947, by: ../1947
    end: 641
    note: optional one-line note
  - id: steam-age
    label: Alexandria's steam age
    history: steam              # optional: an era of one history only
    start: 60
    end: 400

sources:                        # every document cited, once: a url, a seed file, or a
                                # book (isbn, author, page), episode (series) or film (kind)
  - id: britannica-library
    title: Library of Alexandria
    publisher: Encyclopaedia Britannica
    language: en
    url: https://www.britannica.com/topic/Library-of-Alexandria

events:
  - id: caesar-fire             # stable id: lowercase letters, digits, - _ .
    date: 48 BC
    title: Fire during Caesar's siege of Alexandria
    summary: >-                 # your own words, one to three sentences
      Part of the city burns while Caesar is besieged; later writers say the library suffers.
    history: ours               # a history's id, or shared (in every history)
    category: culture           # free text, used by the category filter
    tags: [library, fire]       # optional words to filter by
    counterpart: library-saved  # the same moment in a parent or child history; both point back
    sources: [britannica-library]
    confidence: medium          # optional: high | medium | low

  - id: library-saved
    date: 48 BC
    approximate: true           # "circa": drawn as a hollow marker
    title: The library's scrolls are moved to safety
    summary: In this what-if, the scrolls are carried out before the fire reaches them.
    history: library
    category: culture
    counterpart: caesar-fire
    status: replaced            # against the parent: shifted (other date) or replaced
    sources: [britannica-library]

  - id: library-gone
    date: ../391                # "by 391": some time up to 391
    title: The library is gone
    summary: Whatever was left of the library does not outlive the Serapeum's destruction.
    history: ours
    category: culture
    sources: [britannica-library]
    confidence: low

  - id: hero-engine-works
    date: 60~                   # about AD 60
    title: Hero's steam engine is put to work
    summary: A scholar reading the saved scrolls turns Hero's spinning toy into a pump.
    history: steam
    category: science
    causes: [library-saved]     # ids of the events that led to this one
    sources: [britannica-library]
    confidence: low

  - id: steam-mills
    date: 300s                  # a decade works too: 300s is 300-309
    title: Steam engines drive the city's mills
    summary: Within a few centuries, steam power is ordinary in Alexandria.
    history: steam              # no counterpart: its status is "new"
    category: science
    causes: [hero-engine-works]
    sources: [britannica-library]
    confidence: low
"""


def starter(path: Path) -> str:
    """The starter text for a new file at `path`, pointing editors at the schema.

    Names go into YAML comments: a newline in them would start a line of YAML, so controls
    are written escaped (`\\x0a`).
    """
    schema = os.path.relpath(SCHEMA_FILE, path.resolve().parent)
    return STARTER.format(schema=printable(Path(schema).as_posix()), name=printable(path.name))
