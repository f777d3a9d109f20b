"""Keep gettext catalogs in step with the messages in the code: extract, merge into each language's ``.po``
(the file translators edit), compile the ``.mo`` that is read at run time, and list what is missing.

Babel does the gettext file formats (an optional extra, ``bp-grader[i18n]``): only authors need it.
"""

from __future__ import annotations

import ast
import io
import string
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, TEST_DOMAIN

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


class BabelMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__("translations need Babel: pip install 'bp-grader[i18n]'")


def _babel() -> Any:
    try:
        from babel.messages import catalog, extract, mofile, pofile
    except ImportError:
        raise BabelMissing() from None
    return catalog, extract, mofile, pofile


@dataclass(frozen=True)
class CatalogSet:
    """One domain: the files its messages come from, and the folder of its ``<lang>/LC_MESSAGES`` catalogs."""

    localedir: Path
    domain: str
    sources: tuple[Path, ...]
    test_names: bool = False  # the first lines of test functions' docstrings too: reports name tests by them

    def po(self, language: str) -> Path:
        return self.localedir / language / "LC_MESSAGES" / f"{self.domain}.po"

    def mo(self, language: str) -> Path:
        return self.po(language).with_suffix(".mo")

    def languages(self) -> list[str]:
        if not self.localedir.is_dir():
            return []
        return sorted(p.name for p in self.localedir.iterdir() if self.po(p.name).is_file())


def framework_catalogs() -> CatalogSet:
    package = LOCALE_DIR.parent
    sources = sorted(package.rglob("*.py")) + sorted((package / "sinks" / "templates").glob("*.j2"))
    return CatalogSet(LOCALE_DIR, DOMAIN, tuple(sources))


def catalogs_of_tests(test_folder: Path) -> CatalogSet:
    """An assignment's public or hidden tests: each folder ships its own catalog (a release carries the
    public one, and the hidden tests' messages stay out of it)."""
    return CatalogSet(test_folder / "locale", TEST_DOMAIN, tuple(sorted(test_folder.glob("*.py"))), test_names=True)


def template_of(catalogs: CatalogSet) -> Any:
    """Every message the sources mark, with where it is used."""
    catalog, extract, _, _ = _babel()
    found = catalog.Catalog(domain=catalogs.domain, project="bp-grader", fuzzy=False)
    for source in catalogs.sources:
        method = "jinja2.ext:babel_extract" if source.suffix == ".j2" else "python"
        options = {"extensions": "jinja2.ext.i18n"} if source.suffix == ".j2" else {}
        for line, message, comments, context in extract.extract_from_file(
                method, source, keywords=KEYWORDS, comment_tags=("Translators:",), options=options):
            location = [(source.name, line)]
            found.add(message, locations=location, auto_comments=comments, context=context)
        if catalogs.test_names and source.suffix == ".py":
            for line, name in _test_names(source):
                found.add(name, locations=[(source.name, line)], auto_comments=["the name of a test, in reports"])
    return found


def _test_names(source: Path) -> Iterator[tuple[int, str]]:
    """The first line of each test function's docstring, as the grading plugin shows it."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            doc = (ast.get_docstring(node) or "").strip()
            if doc:
                yield node.lineno, doc.splitlines()[0]


def update(catalogs: CatalogSet, languages: Iterable[str]) -> list[Path]:
    """Merge the sources' messages into each language's ``.po`` (new ones untranslated, gone ones dropped)
    and compile its ``.mo``; the files written."""
    catalog, _, mofile, pofile = _babel()
    template = template_of(catalogs)
    written = []
    for language in sorted(set(languages) - {SOURCE_LANGUAGE}):
        path = catalogs.po(language)
        if path.is_file():
            translated = _read_po(pofile, path.read_bytes(), language, catalogs.domain)
        else:
            translated = catalog.Catalog(locale=language, domain=catalogs.domain, project="bp-grader")
        translated.update(template, no_fuzzy_matching=True, update_creation_date=False)
        translated.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        po_bytes = _po_bytes(pofile, translated)
        # Compiled from the .po as written, as the check reads it back: the two agree byte for byte.
        mo_bytes = _mo_bytes(mofile, _read_po(pofile, po_bytes, language, catalogs.domain))
        for target, data in ((path, po_bytes), (catalogs.mo(language), mo_bytes)):
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)
                written.append(target)
    return written


def _read_po(pofile: Any, data: bytes, language: str, domain: str) -> Any:
    return pofile.read_po(io.BytesIO(data), locale=language, domain=domain)


def _po_bytes(pofile: Any, translated: Any) -> bytes:
    buffer = io.BytesIO()
    pofile.write_po(buffer, translated, width=120, omit_header=False, sort_output=False, include_previous=False)
    return buffer.getvalue()


def _mo_bytes(mofile: Any, translated: Any) -> bytes:
    buffer = io.BytesIO()
    mofile.write_mo(buffer, translated, use_fuzzy=False)
    return buffer.getvalue()


def problems(catalogs: CatalogSet, languages: Sequence[str]) -> list[str]:
    """What keeps the catalogs from speaking every language fully: messages with no translation (or a
    fuzzy one), translations whose ``{placeholders}`` differ from the message's, and a ``.mo`` that is
    not the compiled ``.po``."""
    _, _, mofile, pofile = _babel()
    template = template_of(catalogs)
    found = []
    for language in languages:
        if language == SOURCE_LANGUAGE:
            continue
        path = catalogs.po(language)
        if not path.is_file():
            found.append(f"{path}: missing")
            continue
        translated = _read_po(pofile, path.read_bytes(), language, catalogs.domain)
        for message in template:
            if not message.id:
                continue
            entry = translated.get(message.id, context=message.context)
            where = f"{path.name} [{language}] {_first_id(message.id)!r}"
            if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
                found.append(f"{where}: not translated")
            elif entry.fuzzy:
                found.append(f"{where}: fuzzy (check the translation and remove the flag)")
            elif _fields(message.id) != _fields(entry.string):
                found.append(f"{where}: the translation's placeholders differ")
        mo = catalogs.mo(language)
        if not mo.is_file() or mo.read_bytes() != _mo_bytes(mofile, translated):
            found.append(f"{mo}: not the compiled {path.name} (run grader translations)")
    return found


def _first_id(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _fields(text: str | tuple[str, ...]) -> set[str]:
    """The ``{name}`` fields of a message (or of every plural form): a translation must fill the same."""
    forms = text if isinstance(text, tuple) else (text,)
    names = set()
    for form in forms:
        try:
            names |= {field for _, field, _, _ in string.Formatter().parse(form) if field is not None}
        except ValueError:
            names.add("<unbalanced braces>")
    return names
