"""The content model: what a nudge is made of, independent of any file format or platform.

Everything nudgebot sends is an :class:`Item` of a :class:`ContentPack`. The models are
frozen so that a loaded pack can be shared by the engine, the commands and every adapter
without anyone changing it under the others' feet. This module does no I/O: reading the
YAML files is :mod:`nudgebot.pack.loading`' job.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")


def as_lang(value: object) -> Lang | None:
    """The :data:`Lang` ``value`` names, or None: narrows outside input without a cast."""
    for lang in LANGUAGES:
        if value == lang:
            return lang
    return None


"""Every supported language; Dutch first because the source article is Dutch."""


_AUTHOR_SEPARATOR = re.compile(r"(?<=\.),\s*&?\s*|\s+&\s+")
"""Between authors in 'Li, L., Hong, K., & Li, C.' or 'Mah, J. & Pitre, T.'."""


ARTICLE: Final = "article"
"""What ``refs`` holds, instead of a number, for a statement the article makes without one."""

Source = int | Literal["article"]
"""One entry of an item's ``refs``: a numbered reference, or :data:`ARTICLE` itself."""


class Kind(StrEnum):
    TIP = "tip"
    CHALLENGE = "challenge"
    MYTH = "myth"


class Verdict(StrEnum):
    MYTH = "myth"
    FACT = "fact"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reference(_Frozen):
    """One numbered source of the article, restored to its original English form."""

    number: int = Field(ge=1)
    authors: str
    year: int
    title: str
    journal: str
    citation: str = Field(description="volume(issue), pages or article number")
    doi: str = Field(pattern=r"^10\.\d{4,9}/\S+$")

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}"

    @property
    def short(self) -> str:
        """'Quick (2015)', 'Mah & Pitre (2021)', 'Li et al. (2020)': what a phone has room for."""
        names = [n for n in _AUTHOR_SEPARATOR.split(self.authors) if n.strip()]
        surnames = [n.split(",")[0].strip() for n in names if n.strip() != "et al."]
        if len(names) > 2:
            return f"{surnames[0]} et al. ({self.year})"
        return f"{' & '.join(surnames)} ({self.year})"


class ArticleWords(_Frozen):
    """How a message names the source article in one language: its title and a short note."""

    title: str = Field(min_length=1)
    note: str = Field(min_length=1, description="why no study is named, e.g. 'states this itself'")


class Article(_Frozen):
    """The source article itself, cited where it states something without a numbered source.

    It has no DOI: it is the Dutch text nudgebot is written from, so a message names it by
    title with a note, and never dresses its own statements up as a study's.
    """

    text: dict[Lang, ArticleWords]

    def words(self, lang: Lang) -> ArticleWords:
        return self.text.get(lang) or self.text["nl"]


class GuidanceWords(_Frozen):
    """How a message names a practical-guidance source in one language."""

    name: str = Field(min_length=1)
    note: str = Field(min_length=1, description="e.g. 'practical advice, not from the article'")


class Guidance(_Frozen):
    """A recognised source for practical advice the article does not give.

    Some items need a how-to the article leaves out (a salt ratio, when to throw a jar
    away). Such advice is never attributed to the article or its studies: it names its
    own source, a public authority, shown under the message as practical guidance.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,40}$")
    url: str = Field(pattern=r"^https://\S+$")
    text: dict[Lang, GuidanceWords]

    def words(self, lang: Lang) -> GuidanceWords:
        return self.text.get(lang) or self.text["nl"]


TYPO: Final = "typo"
"""A version's ``correction`` for a change that alters no meaning: nobody is told."""


class ItemText(_Frozen):
    """The words of an item in one language.

    Which optional fields are required depends on the item's kind; :class:`Item` checks it.
    """

    title: str = Field(min_length=1)
    body: str = Field(min_length=1)
    action: str | None = Field(default=None, description="challenge: the one thing to do today")
    done_when: str | None = Field(default=None, description="challenge: what counts as done")
    statement: str | None = Field(default=None, description="myth: the claim to judge")
    explanation: str | None = Field(default=None, description="myth: the answer, citing its source")


_REQUIRED_BY_KIND: dict[Kind, tuple[str, ...]] = {
    Kind.TIP: (),
    Kind.CHALLENGE: ("action", "done_when"),
    Kind.MYTH: ("statement", "explanation"),
}


class Item(_Frozen):
    """One nudge: a tip, a fermented-food challenge or a myth-or-fact question."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,40}$")
    kind: Kind
    version: int = Field(default=1, ge=1)
    refs: tuple[Source, ...] = Field(min_length=1)
    efsa_unconfirmed: bool = False
    live_culture_caution: bool = False
    probiotic_caution: bool = False
    tags: tuple[str, ...] = ()
    verdict: Verdict | None = None
    quotes: tuple[str, ...] = Field(
        default=(), description="the article's sentences the item rests on, verbatim"
    )
    guidance: tuple[str, ...] = Field(
        default=(), description="practical-guidance sources for advice the article lacks"
    )
    correction: dict[Lang, str] | Literal["typo"] | None = Field(
        default=None,
        description="what this version changed, told once to who received an older one",
    )
    text: dict[Lang, ItemText]

    @field_validator("refs", mode="before")
    @classmethod
    def _refs_are_sources(cls, refs: object) -> object:
        """One clear message for a wrong entry instead of one per member of the union."""
        for ref in refs if isinstance(refs, list | tuple) else ():
            if ref != ARTICLE and (not isinstance(ref, int) or isinstance(ref, bool)):
                raise ValueError(f"{ref!r} is neither a reference number nor {ARTICLE!r}")
        return refs

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Self:
        if self.kind is Kind.MYTH and self.verdict is None:
            raise ValueError("a myth item needs a verdict (myth or fact)")
        if self.kind is not Kind.MYTH and self.verdict is not None:
            raise ValueError("only myth items have a verdict")
        if self.version > 1 and self.correction is None:
            raise ValueError(
                "correction is required from version 2 on: one line per language saying "
                f"what changed, or {TYPO!r} for a change that alters no meaning"
            )
        for lang, words in self.text.items():
            for name in _REQUIRED_BY_KIND[self.kind]:
                if not getattr(words, name):
                    raise ValueError(f"{lang}.{name} is required for a {self.kind.value}")
        return self

    def words(self, lang: Lang) -> ItemText:
        """The text in ``lang``, falling back to Dutch, the source language."""
        return self.text.get(lang) or self.text["nl"]

    def correction_line(self, lang: Lang) -> str | None:
        """What this version corrected, in ``lang``; None for version 1 or a typo fix."""
        if not isinstance(self.correction, dict):
            return None
        return self.correction.get(lang) or self.correction.get("nl")

    @property
    def numbered_refs(self) -> tuple[int, ...]:
        """The numbered references only, without :data:`ARTICLE`."""
        return tuple(ref for ref in self.refs if isinstance(ref, int))

    @property
    def cites_article(self) -> bool:
        return ARTICLE in self.refs


class SeriesText(_Frozen):
    title: str = Field(min_length=1)
    intro: str = Field(min_length=1, description="one or two sentences: what the days hold")


class Series(_Frozen):
    """A multi-day challenge: ordered challenge steps a subscriber joins with /challenge.

    Steps are ordinary challenge items with ids of their own; they are never picked by
    the daily rotation, only delivered one after another to someone in the series.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,40}$")
    text: dict[Lang, SeriesText]
    steps: tuple[Item, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _steps_are_challenges(self) -> Self:
        for step in self.steps:
            if step.kind is not Kind.CHALLENGE:
                raise ValueError(f"step {step.id} is a {step.kind.value}, not a challenge")
        return self

    def words(self, lang: Lang) -> SeriesText:
        return self.text.get(lang) or self.text["nl"]


class ContentPack(_Frozen):
    references: dict[int, Reference]
    items: tuple[Item, ...]
    series: tuple[Series, ...] = ()
    article: Article | None = None
    guidance: dict[str, Guidance] = Field(default_factory=dict)

    # Lookups a batch makes for every nudge, built once (the pack never changes).
    _by_kind: dict[Kind, tuple[Item, ...]] = PrivateAttr(default_factory=dict)
    _by_id: dict[str, Item] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        for kind in Kind:
            self._by_kind[kind] = tuple(item for item in self.items if item.kind is kind)
        self._by_id.update((item.id, item) for item in self.items)

    def of_kind(self, kind: Kind) -> tuple[Item, ...]:
        return self._by_kind[kind]

    def get(self, item_id: str) -> Item | None:
        """An item of the rotation or a series step, by id."""
        found = self._by_id.get(item_id)
        if found is None and (place := self.step_of(item_id)) is not None:
            series, index = place
            found = series.steps[index]
        return found

    def get_series(self, series_id: str) -> Series | None:
        return next((series for series in self.series if series.id == series_id), None)

    def step_of(self, item_id: str) -> tuple[Series, int] | None:
        """The series an item is a step of, and its index (0 for day 1), or None."""
        for series in self.series:
            for index, step in enumerate(series.steps):
                if step.id == item_id:
                    return series, index
        return None

    def sources_of(self, item: Item) -> tuple[Reference, ...]:
        return tuple(self.references[n] for n in item.numbered_refs if n in self.references)
