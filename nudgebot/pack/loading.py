"""Read the content pack from YAML and say, in editor's terms, everything wrong with it.

The pack is data (invariant 6), edited by people who are not programmers, so a
bad pack must never reach subscribers and every problem must name the file, the item id
and the field. :func:`check_pack` collects all problems in one pass instead of stopping
at the first; :func:`load_pack` raises :class:`~nudgebot.errors.ContentError` with that
list. The layout (see ``content/README.md``)::

    references.yaml   a list of the article's numbered sources
    article.yaml      how messages name the article itself (title and note per language)
    article.nl.txt    the Dutch article itself, which every item quotes
    guidance.yaml     recognised sources of practical advice the article lacks (optional)
    tips.yaml         a list of tips        (kind: tip)
    challenges.yaml   a list of challenges  (kind: challenge)
    myths.yaml        a list of myth-or-fact items (kind: myth)
    series.yaml       multi-day challenge series: a title and intro per language, and
                      ``steps``, each a challenge item (optional file)

An item holds both languages side by side under ``nl:`` and ``en:``; the kind comes from
the file (an explicit ``kind:`` must match it). Checks, errors unless noted:

* YAML syntax, duplicate keys in a mapping, the schema of :mod:`nudgebot.core.content`;
* ids unique across all files; Dutch and English text for every item;
* every cited reference exists (``article`` needs ``article.yaml``); a reference no
  item cites is a *warning*;
* every item quotes the article, each quote is in it, and the item's refs are exactly
  the markers its quotes carry (:mod:`nudgebot.pack.quotes`); guidance it names exists;
* ``body`` at most :data:`MAX_BODY` characters per language; body plus action and
  done_when (or statement and explanation) over :data:`AIM_TEXT` is a *warning*; the
  rendered message at most :data:`MAX_MESSAGE` (a Slack section holds 3,000 characters,
  a Telegram message 4,096);
* no health claims in either language, and every caution the text calls for is set:
  :mod:`nudgebot.pack.claims` documents the rules;
* a challenge does not say "today" itself (the message opens its action with "Today:");
* a myth's explanation does not open with the verdict (the message already says it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from nudgebot.core.content import (
    LANGUAGES,
    Article,
    ContentPack,
    Guidance,
    Item,
    Kind,
    Reference,
    Series,
)
from nudgebot.errors import ContentError
from nudgebot.pack.claims.cautions import with_set_cautions
from nudgebot.pack.quotes import ARTICLE_TEXT_FILE, read_article_text
from nudgebot.pack.rules import (
    ARTICLE_FILE,
    GUIDANCE_FILE,
    MAX_BODY,
    REFERENCES_FILE,
    PackProblem,
    PackReport,
    check_item,
)

__all__ = ["MAX_BODY", "PackProblem", "PackReport", "check_pack", "load_pack"]

SERIES_FILE = "series.yaml"
SET_BY_THE_CHECK = ("live_culture_caution", "probiotic_caution")
"""Cautions the check sets from what an item says; an editor does not write them."""

ITEM_FILES: dict[str, Kind] = {
    "tips.yaml": Kind.TIP,
    "challenges.yaml": Kind.CHALLENGE,
    "myths.yaml": Kind.MYTH,
}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice, which PyYAML would silently drop."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_list(path: Path, shown: str, report: PackReport) -> list[Any]:
    """The YAML list in ``path``; problems go to ``report`` and give an empty list."""
    if not path.is_file():
        report.problems.append(PackProblem(shown, "", "", "file is missing"))
        return []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        report.problems.append(PackProblem(shown, "", where, f"bad YAML: {reason}"))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        report.problems.append(PackProblem(shown, "", "", "must be a list of entries (- ...)"))
        return []
    return data


def _field_name(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as an editor writes it: ``text.en.body`` -> ``en.body``."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["text"]:
        parts = parts[1:]
    return ".".join(parts)


def _schema_problems(exc: ValidationError, shown: str, item_id: str) -> Iterator[PackProblem]:
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        name = _field_name(error["loc"])
        if not name and "." in message.split(" ")[0]:
            name, _, message = message.partition(" ")
        yield PackProblem(shown, item_id, name, message)


def _load_references(directory: Path, report: PackReport) -> dict[int, Reference]:
    shown = f"{directory.name}/{REFERENCES_FILE}"
    references: dict[int, Reference] = {}
    for index, raw in enumerate(_read_list(directory / REFERENCES_FILE, shown, report), 1):
        number = raw.get("number") if isinstance(raw, dict) else None
        label = f"ref {number}" if number is not None else f"entry {index}"
        try:
            ref = Reference.model_validate(raw)
        except ValidationError as exc:
            report.problems.extend(_schema_problems(exc, shown, label))
            continue
        if ref.number in references:
            report.problems.append(PackProblem(shown, label, "number", "used twice"))
        references[ref.number] = ref
    return references


def _load_article(directory: Path, report: PackReport) -> Article | None:
    """The article's name per language; None (and a problem) if the file is broken."""
    shown = f"{directory.name}/{ARTICLE_FILE}"
    path = directory / ARTICLE_FILE
    if not path.is_file():
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        report.problems.append(PackProblem(shown, "", "", f"bad YAML: {exc}"))
        return None
    try:
        return Article.model_validate({"text": data})
    except ValidationError as exc:
        report.problems.extend(_schema_problems(exc, shown, "article"))
        return None


def _load_guidance(directory: Path, report: PackReport) -> dict[str, Guidance]:
    path = directory / GUIDANCE_FILE
    if not path.is_file():
        return {}
    shown = f"{directory.name}/{GUIDANCE_FILE}"
    found: dict[str, Guidance] = {}
    for index, raw in enumerate(_read_list(path, shown, report), 1):
        if not isinstance(raw, dict):
            report.problems.append(PackProblem(shown, f"entry {index}", "", "not a mapping"))
            continue
        label = str(raw.get("id") or f"entry {index}")
        try:
            guide = Guidance.model_validate(_to_item_data(raw, None))
        except ValidationError as exc:
            report.problems.extend(_schema_problems(exc, shown, label))
            continue
        found[guide.id] = guide
    return found


def _set_by_the_check(raw: dict[str, Any], shown: str, item_id: str, report: PackReport) -> None:
    """An editor's own value for a caution the check sets is a mistake: say so, once."""
    for name in SET_BY_THE_CHECK:
        if name in raw:
            report.problems.append(
                PackProblem(
                    shown,
                    item_id,
                    name,
                    "set by the check from what the item says and asks for; leave it out",
                )
            )


def _to_item_data(raw: dict[str, Any], kind: Kind | None) -> dict[str, Any]:
    """The editor's flat layout (``nl:``/``en:`` beside ``id``) as the model's fields."""
    data = {key: value for key, value in raw.items() if key not in LANGUAGES}
    data["text"] = {lang: raw[lang] for lang in LANGUAGES if lang in raw}
    if kind is not None:
        data.setdefault("kind", kind.value)
    return data


def _load_items(directory: Path, report: PackReport) -> list[tuple[str, Item]]:
    loaded: list[tuple[str, Item]] = []
    for name, kind in ITEM_FILES.items():
        shown = f"{directory.name}/{name}"
        for index, raw in enumerate(_read_list(directory / name, shown, report), 1):
            if not isinstance(raw, dict):
                report.problems.append(PackProblem(shown, f"entry {index}", "", "not a mapping"))
                continue
            item_id = str(raw.get("id") or f"entry {index}")
            if raw.get("kind", kind.value) != kind.value:
                report.problems.append(
                    PackProblem(
                        shown,
                        item_id,
                        "kind",
                        f"{raw['kind']!r} in {name}, which holds only {kind.value} items",
                    )
                )
                continue
            missing = [lang for lang in LANGUAGES if lang not in raw]
            for lang in missing:
                report.problems.append(
                    PackProblem(
                        shown, item_id, lang, "missing: every item needs both nl and en text"
                    )
                )
            if missing:
                continue
            _set_by_the_check(raw, shown, item_id, report)
            try:
                item = Item.model_validate(_to_item_data(raw, kind))
            except ValidationError as exc:
                report.problems.extend(_schema_problems(exc, shown, item_id))
                continue
            loaded.append((shown, with_set_cautions(item)))
    return loaded


def _load_series(directory: Path, report: PackReport) -> list[Series]:
    """The series, each step checked like any challenge; a bad step drops its series."""
    path = directory / SERIES_FILE
    if not path.is_file():
        return []
    shown = f"{directory.name}/{SERIES_FILE}"
    loaded: list[Series] = []
    for index, raw in enumerate(_read_list(path, shown, report), 1):
        if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
            report.problems.append(PackProblem(shown, f"entry {index}", "steps", "missing"))
            continue
        data = _to_item_data(raw, Kind.CHALLENGE)
        data.pop("kind")
        steps = [step for step in raw["steps"] if isinstance(step, dict)]
        for step in steps:
            _set_by_the_check(step, shown, str(step.get("id", "")), report)
        data["steps"] = [_to_item_data(step, Kind.CHALLENGE) for step in steps]
        try:
            series = Series.model_validate(data)
        except ValidationError as exc:
            report.problems.extend(_schema_problems(exc, shown, str(raw.get("id", index))))
            continue
        checked = tuple(with_set_cautions(step) for step in series.steps)
        loaded.append(series.model_copy(update={"steps": checked}))
    return loaded


def _build(directory: Path) -> tuple[ContentPack, PackReport]:
    report = PackReport()
    references = _load_references(directory, report)
    article = _load_article(directory, report)
    loaded = _load_items(directory, report)
    series = _load_series(directory, report)
    guidance = _load_guidance(directory, report)
    article_text = read_article_text(directory)
    if article_text is None:
        report.problems.append(
            PackProblem(
                f"{directory.name}/{ARTICLE_TEXT_FILE}",
                "",
                "",
                "file is missing: the article every item quotes",
            )
        )
    steps = [(f"{directory.name}/{SERIES_FILE}", step) for one in series for step in one.steps]
    every_id = [*(item.id for _, item in [*loaded, *steps]), *(one.id for one in series)]
    for item_id, times in Counter(every_id).items():
        if times > 1:
            files = sorted({shown for shown, item in [*loaded, *steps] if item.id == item_id})
            files = files or [f"{directory.name}/{SERIES_FILE}"]
            report.problems.append(
                PackProblem(files[0], item_id, "id", f"used {times} times ({', '.join(files)})")
            )
    pack = ContentPack(
        references=references,
        items=tuple(item for _, item in loaded),
        article=article,
        series=tuple(series),
        guidance=guidance,
    )
    for shown, item in [*loaded, *steps]:
        check_item(pack, shown, item, report, article_text)
    cited = {number for item in pack.items for number in item.numbered_refs}
    cited |= {number for _, step in steps for number in step.numbered_refs}
    for number in sorted(set(references) - cited):
        report.warnings.append(
            PackProblem(
                f"{directory.name}/{REFERENCES_FILE}",
                f"ref {number}",
                "",
                "no item cites this reference",
            )
        )
    for kind in Kind:
        for lang in LANGUAGES:
            report.counts[(kind.value, lang)] = sum(
                1 for item in pack.of_kind(kind) if lang in item.text
            )
    for lang in LANGUAGES:
        report.counts[("series step", lang)] = sum(lang in step.text for _, step in steps)
    return pack, report


def read_pack_as_is(directory: Path) -> tuple[ContentPack, PackReport]:
    """The pack as far as it loads, problems or not, with its report.

    For comparing an old pack, which may predate today's rules; items whose schema is
    broken are left out.
    """
    return _build(directory)


def check_pack(directory: Path) -> PackReport:
    """Every problem and warning in the pack in ``directory``, and its item counts."""
    return _build(directory)[1]


def load_pack(directory: Path) -> ContentPack:
    """The pack in ``directory``, or :class:`ContentError` listing every problem."""
    pack, report = _build(directory)
    if report.problems:
        raise ContentError(report.problems)
    return pack
