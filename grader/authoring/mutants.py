"""Mutants as anchored edits of the reference solution (``assignments/<name>/mutants.toml``).

A mutant is a typical student mistake that the tests must catch. Stored as a few ``find``/``replace`` edits
of today's solution rather than as a full copy, it cannot drift from the solution: when the solution changes
under an anchor, applying the mutant fails loudly instead of silently testing yesterday's code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.model.assignment import Assignment

# Beside assignment.toml. A mutant's anchors quote the solution, so this file stays with the course staff:
# the release refuses it and the Gradescope bundle leaves it out.
MUTANTS_FILE = "mutants.toml"


class MutantFileError(ValueError):
    """A ``mutants.toml`` that cannot be read as a list of mutants."""


class AnchorError(ValueError):
    """An edit's ``find`` text does not occur exactly once in the text it edits: the solution has moved on."""

    def __init__(self, mutant: str, anchor: str, count: int) -> None:
        self.mutant = mutant
        self.anchor = anchor
        self.count = count
        where = "not found" if count == 0 else f"found {count} times, expected once"
        super().__init__(f"mutant {mutant}: anchor {anchor!r} {where}")


@dataclass(frozen=True)
class Edit:
    find: str
    replace: str


@dataclass(frozen=True)
class Mutant:
    name: str
    why: str  # why it is a typical mistake, shown when validate reports on it
    edits: tuple[Edit, ...]
    # Why the public tests cannot catch it without giving the answer away (e.g. a choice answer, checked
    # publicly for its format only); None: a public test must catch it.
    hidden_only: str | None = None

    def apply(self, source: str) -> str:
        """``source`` with every edit made, in order, each on the text the previous ones left."""
        for edit in self.edits:
            count = source.count(edit.find)
            if count != 1:
                raise AnchorError(self.name, edit.find, count)
            source = source.replace(edit.find, edit.replace)
        return source


def load_mutants(path: Path) -> list[Mutant]:
    """The ``[[mutant]]`` tables of ``path``, in file order. Raises MutantFileError naming the file and the
    mutant when a table is malformed."""
    try:
        config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MutantFileError(f"{path}: not valid TOML: {exc}") from exc
    tables = config.get("mutant", [])
    if not isinstance(tables, list):
        raise MutantFileError(f"{path}: `mutant` must be an array of tables ([[mutant]])")
    mutants = [_mutant(table, f"{path}: mutant #{number}") for number, table in enumerate(tables, 1)]
    names = [m.name for m in mutants]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise MutantFileError(f"{path}: duplicate mutant names: {', '.join(duplicates)}")
    return mutants


def _mutant(table: object, where: str) -> Mutant:
    if not isinstance(table, dict):
        raise MutantFileError(f"{where}: not a table")
    name = table.get("name")
    if not isinstance(name, str) or not name:
        raise MutantFileError(f"{where}: needs a non-empty string `name`")
    where = f"{where} ({name})"
    why = table.get("why")
    if not isinstance(why, str) or not why.strip():
        raise MutantFileError(f"{where}: needs a string `why` saying why it is a typical mistake")
    edits = table.get("edit")
    if not isinstance(edits, list) or not edits:
        raise MutantFileError(f"{where}: needs at least one [[mutant.edit]]")
    if unknown := sorted(set(table) - {"name", "why", "edit", "hidden_only"}):
        raise MutantFileError(f"{where}: unknown keys: {', '.join(unknown)}")
    hidden_only = table.get("hidden_only")
    if hidden_only is not None and (not isinstance(hidden_only, str) or not hidden_only.strip()):
        raise MutantFileError(f"{where}: `hidden_only` must say why no public test can catch it")
    edits_made = tuple(_edit(edit, f"{where}, edit #{n}") for n, edit in enumerate(edits, 1))
    return Mutant(name, why.strip(), edits_made, hidden_only.strip() if hidden_only else None)


def _edit(table: object, where: str) -> Edit:
    if not isinstance(table, dict) or set(table) != {"find", "replace"}:
        raise MutantFileError(f"{where}: needs exactly the keys `find` and `replace`")
    find, replace = table["find"], table["replace"]
    if not isinstance(find, str) or not find or not isinstance(replace, str):
        raise MutantFileError(f"{where}: `find` must be a non-empty string and `replace` a string")
    return Edit(find, replace)


def mutants_of(assignment: Assignment) -> list[Mutant]:
    """The assignment's mutants (none without a mutants.toml)."""
    path = assignment.root / MUTANTS_FILE
    return load_mutants(path) if path.is_file() else []
