"""Find an item's quotes in the article, and the 【n】 markers they carry.

Every item rests on sentences of the Dutch source article, quoted verbatim in its
``quotes``; the pack ships the article (``article.nl.txt``) so the check works from an
installed wheel. Editors copy sentences from the article as they read it, so the
comparison forgives what copying changes and nothing else: runs of whitespace (line
breaks included) count as one space, the 【n】 reference markers and the ``*`` of the
article's bold and italics are left out, and curly quotes count as straight ones.

A quote *carries* the markers the article puts on its words: every marker inside it,
and those right after its last word (past closing punctuation: "depressie【16】)." ends
a quote "... angst en depressie" with 【16】). A quote that stops before a marker does
not carry it: the article puts its numbers on a clause, so quoting a sentence's other
clause ("stress kan de darmbarrière verzwakken") cites the article itself. An item's
numbered ``refs`` must be exactly the markers its quotes carry, plus ``article`` when a
quote carries none (:func:`expected_refs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nudgebot.core.content import ARTICLE, Source

ARTICLE_TEXT_FILE = "article.nl.txt"
MIN_QUOTE_WORDS = 4
"""A shorter quote ("de darmflora") would be found anywhere and show nothing."""

_MARKER = re.compile(r"【(\d+)】")
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_SPACE = re.compile(r"\s+")
_TRAILING = " .,;:!?)\"'"
"""What may stand between a quote's last word and the markers that belong to it."""


def normalise(text: str) -> str:
    """``text`` as the comparison sees it: one space per run, no markers, no ``*``."""
    text = _MARKER.sub("", text).replace("*", "").translate(_CURLY)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Found:
    """Where a quote is in the article and which reference markers it carries."""

    start: int
    end: int
    markers: tuple[int, ...]


@dataclass(slots=True)
class ArticleText:
    """The article normalised once, with each marker at the position it sat before."""

    text: str
    markers: list[tuple[int, int]] = field(default_factory=list)
    """(position in :attr:`text`, reference number), in order."""

    @classmethod
    def parse(cls, raw: str) -> ArticleText:
        parts: list[str] = []
        markers: list[tuple[int, int]] = []
        length = 0
        previous_space = True
        for piece in _tokens(raw.replace("*", "").translate(_CURLY)):
            number = _MARKER.fullmatch(piece)
            if number:
                markers.append((length, int(number.group(1))))
                continue
            if piece.isspace():
                if previous_space:
                    continue
                piece = " "
            previous_space = piece == " "
            parts.append(piece)
            length += len(piece)
        return cls("".join(parts), markers)

    def _carried_until(self, end: int) -> int:
        """The last position whose markers still belong to words ending at ``end``."""
        while end < len(self.text) and self.text[end] in _TRAILING:
            end += 1
        return end

    def find(self, quote: str) -> Found | None:
        """The first place ``quote`` appears, or None if the article does not say it."""
        wanted = normalise(quote)
        start = self.text.find(wanted) if wanted else -1
        if start < 0:
            return None
        end = start + len(wanted)
        last = self._carried_until(end)
        carried = tuple(number for at, number in self.markers if start <= at <= last)
        return Found(start, end, tuple(dict.fromkeys(carried)))


def _tokens(raw: str) -> list[str]:
    """``raw`` as markers, whitespace runs and plain text, in order."""
    return [piece for piece in re.split(r"(【\d+】|\s+)", raw) if piece]


@lru_cache(maxsize=4)
def _read(path: Path, mtime_ns: int) -> ArticleText:
    return ArticleText.parse(path.read_text(encoding="utf-8"))


def read_article_text(directory: Path) -> ArticleText | None:
    """The pack's article text, parsed once per file version; None if it is missing."""
    path = directory / ARTICLE_TEXT_FILE
    if not path.is_file():
        return None
    return _read(path.resolve(), path.stat().st_mtime_ns)


def expected_refs(found: list[Found]) -> set[Source]:
    """The refs the quotes call for: their markers, and ``article`` for one without any."""
    refs: set[Source] = {number for one in found for number in one.markers}
    if any(not one.markers for one in found):
        refs.add(ARTICLE)
    return refs
