"""What changed between two content packs, item by item, for editors and reviewers.

A subscriber is told about a correction only when an item's version goes up
(``correction`` in ``content/README.md``), so a text that changes without a new version
reaches nobody who read the old one. :func:`diff_packs` lists every item added, removed
or changed, which fields changed, and flags a changed text whose version stayed put.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nudgebot.core.content import LANGUAGES, ContentPack, Item

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item that differs between the packs."""

    item_id: str
    change: Change
    old_version: int | None
    new_version: int | None
    fields: tuple[str, ...] = ()

    @property
    def unversioned(self) -> bool:
        """The text changed but the version did not: nobody will be told."""
        texts = any(field.split(".")[0] in LANGUAGES for field in self.fields)
        return self.change == "changed" and texts and self.old_version == self.new_version

    def __str__(self) -> str:
        if self.change == "added":
            return f"+ {self.item_id} (v{self.new_version}): new"
        if self.change == "removed":
            return f"- {self.item_id} (v{self.old_version}): removed"
        versions = f"v{self.old_version} -> v{self.new_version}"
        if self.old_version == self.new_version:
            versions = f"v{self.new_version}, version unchanged"
        line = f"~ {self.item_id} ({versions}): {', '.join(self.fields)}"
        if self.unversioned:
            line += " (the text changed without a new version: nobody will be told)"
        return line


def _every_item(pack: ContentPack) -> dict[str, Item]:
    steps = {step.id: step for series in pack.series for step in series.steps}
    return {**steps, **{item.id: item for item in pack.items}}


def _changed_fields(old: Item, new: Item) -> tuple[str, ...]:
    fields: list[str] = []
    for name in ("refs", "quotes", "guidance", "efsa_unconfirmed", "verdict", "correction"):
        if getattr(old, name) != getattr(new, name):
            fields.append(name)
    for lang in LANGUAGES:
        before, after = old.text[lang].model_dump(), new.text[lang].model_dump()
        fields.extend(f"{lang}.{name}" for name in before if before[name] != after[name])
    return tuple(fields)


def diff_packs(old: ContentPack, new: ContentPack) -> list[ItemChange]:
    """Every item added, removed or changed from ``old`` to ``new``, sorted by id."""
    before, after = _every_item(old), _every_item(new)
    changes: list[ItemChange] = []
    for item_id in sorted(before.keys() | after.keys()):
        was, now = before.get(item_id), after.get(item_id)
        if was is None and now is not None:
            changes.append(ItemChange(item_id, "added", None, now.version))
        elif now is None and was is not None:
            changes.append(ItemChange(item_id, "removed", was.version, None))
        elif was is not None and now is not None:
            fields = _changed_fields(was, now)
            if fields or was.version != now.version:
                changes.append(
                    ItemChange(item_id, "changed", was.version, now.version, fields or ("version",))
                )
    return changes
