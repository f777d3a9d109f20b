"""What students and instructors read, in their language: gettext catalogs (standard library).

The language is, first to last: ``--lang`` (``choose``), ``$GRADER_LANG``, the course's own
(``language`` in ``assignment.toml``, set while its tests run), English. Messages are written in
English in the code (``_("...")``) and translated by ``grader/locale/<lang>/LC_MESSAGES/grader.mo``;
an instructor's tests have catalogs of their own beside them (``Catalog``), so a course can add a
language without touching the package. A message with no translation is shown in English.
"""

from __future__ import annotations

import contextlib
import gettext
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "grader"
SOURCE_LANGUAGE = "en"

_chosen: str | None = None  # --lang, for the whole process
_course: list[str] = []  # the language of the course whose tests are running, innermost last


def normalize(tag: str) -> str:
    """``zh_CN.UTF-8``, ``zh-Hans`` or ``ZH`` → ``zh``: the catalogs are per language, not per region."""
    return re.split(r"[_.@-]", tag.strip(), maxsplit=1)[0].lower()


def languages() -> list[str]:
    """The languages the package speaks: English and every catalog it ships."""
    shipped = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
    return [SOURCE_LANGUAGE, *shipped]


def choose(language: str | None) -> None:
    """The language asked for on the command line (``None``: not asked), over every other setting."""
    global _chosen
    _chosen = normalize(language) if language else None


def asked() -> str | None:
    """The language asked for (``--lang``, else ``$GRADER_LANG``), if any: what a worker elsewhere is told."""
    if _chosen:
        return _chosen
    env = os.environ.get("GRADER_LANG", "").strip()
    return normalize(env) if env else None


def current() -> str:
    return asked() or (_course[-1] if _course else SOURCE_LANGUAGE)


@contextlib.contextmanager
def course_language(language: str | None) -> Iterator[None]:
    """The course's language while its tests run (``--lang`` and ``$GRADER_LANG`` still win)."""
    _course.append(normalize(language) if language else SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _course.pop()


@lru_cache(maxsize=64)
def _translations(localedir: Path, domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, localedir, [language], fallback=True)


class Catalog:
    """The messages of one domain in one folder, translated into the language current when called."""

    def __init__(self, localedir: Path, domain: str) -> None:
        self.localedir = Path(localedir)
        self.domain = domain

    def gettext(self, message: str) -> str:
        return _translations(self.localedir, self.domain, current()).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _translations(self.localedir, self.domain, current()).ngettext(singular, plural, n)

    __call__ = gettext


@lru_cache(maxsize=256)  # asked once per test and submission: the folder is resolved once per file
def translations(test_file: str) -> Catalog:
    """The catalog of the tests in ``test_file``'s folder (``locale/`` beside it): their messages and the
    first lines of their docstrings, which name them in reports."""
    return Catalog(Path(test_file).resolve().parent / "locale", TEST_DOMAIN)


TEST_DOMAIN = "messages"
GRADER = Catalog(LOCALE_DIR, DOMAIN)
_ = GRADER.gettext
ngettext = GRADER.ngettext


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; it is translated where it is shown."""
    return message
