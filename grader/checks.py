"""Assertions for instructors' tests. They compare values, not types, and fail with a message that
names the first wrong element, what was expected and, when a shape looks transposed, the convention.

    from grader.checks import assert_close, assert_choice
    assert_close(submission.perceptron_step((0, 0), 0, (3, 3), 1)[0], [3, 3], name="w")

It is the one module instructors' tests import: the problems a submission's call can end in are here too
(``SubmissionRaised`` with the submission's ``type_name``, ``NotImplementedYet`` for a stub, ...).

A test's own messages are translated like the grader's: write them in English, marked, with named fields,

    _ = translations(__file__)
    raise AssertionError(_("row {row}: {point} is not misclassified").format(row=6, point="M3"))

and ``grader translations hwN`` keeps ``locale/<lang>/LC_MESSAGES/messages.po`` beside the tests in step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.grading.proxy import (
    MachineBusy,
    NotImplementedYet,
    SubmissionCrashed,
    SubmissionNotLoaded,
    SubmissionProblem,
    SubmissionRaised,
    SubmissionTimedOut,
    is_kept_object,
)
from grader.i18n import Catalog, _, translations

__all__ = [
    "Catalog", "NotImplementedYet", "SubmissionCrashed", "SubmissionNotLoaded", "SubmissionProblem", "SubmissionRaised",
    "SubmissionTimedOut", "ValueMismatch", "as_numbers", "assert_bool", "assert_choice", "assert_close", "credit_cases",
    "describe", "fmt", "translations",
]

DEFAULT_RTOL = 1e-6
FACTOR_HINT_MIN_VALUES = 4
DEFAULT_ATOL = 1e-9


def fmt(value: Any) -> str:
    """A number or array as a student would write it: 3 not 3.0, at most 10 significant digits."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=10, separator=", ", threshold=20)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else f"{number:.10g}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(fmt(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def describe(value: Any) -> str:
    if is_kept_object(value):
        return _("a {type} object (not plain numbers)").format(type=value.type_name)
    if value is None:
        return _("None (is the function still the template's stub, or is a return missing?)")
    return f"{type(value).__name__} {fmt(value)}"


def as_numbers(value: Any, name: str) -> np.ndarray:
    """``value`` as a float array, or an AssertionError saying why it is not numbers."""
    if is_kept_object(value) or value is None or isinstance(value, (str, dict)):
        raise AssertionError(_("{name} should be numbers, got {value}").format(name=name, value=describe(value)))
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(_("{name} should be numbers (a rectangular array), got {value}").format(
            name=name, value=describe(value))) from None
    return array


def _shapes_compatible(actual: tuple, expected: tuple) -> bool:
    """Equal shapes, or (n,) for (n, 1) / (1, n), or any size-1 form for a scalar."""
    if actual == expected:
        return True
    size = int(np.prod(expected))
    if int(np.prod(actual)) != size:
        return False
    squeezed_expected = tuple(n for n in expected if n != 1)
    squeezed_actual = tuple(n for n in actual if n != 1)
    return squeezed_actual == squeezed_expected and len(actual) <= max(len(expected), 1)


def assert_close(actual: Any, expected: Any, *, name: str = "result", rtol: float = DEFAULT_RTOL,
                 atol: float = DEFAULT_ATOL, convention: str | None = None,
                 mistakes: Mapping[str, Any] | None = None) -> None:
    """``actual`` equals ``expected`` elementwise within ``atol + rtol * |expected|`` (NaN equals NaN).

    A wrong answer's message ends with a hint when it matches a known mistake: the sign flipped, a constant
    factor (a sum where a mean was meant), the transpose, or one of ``mistakes`` — a hint for each value a
    typical mistake gives (``{_("f'(z) is missing from delta"): without_derivative}``), which the test
    computes by the same rules as the right one."""
    want = np.asarray(expected, dtype=float)
    got = as_numbers(actual, name)
    if not _shapes_compatible(got.shape, want.shape):
        hint = f" = {convention}" if convention else ""
        transposed = _(" (transposed?)") if got.ndim == 2 and got.shape == want.shape[::-1] else ""
        raise AssertionError(_("{name} has shape {shape}{transposed}; expected {expected}{convention}").format(
            name=name, shape=got.shape, transposed=transposed, expected=want.shape, convention=hint))
    got = got.reshape(want.shape)
    close = _close(got, want, rtol, atol)
    if close.all():
        return
    wrong = np.argwhere(~close)
    first = tuple(int(i) for i in wrong[0])
    where = f"{name}[{', '.join(map(str, first))}]" if first else name
    count = _(" ({count} of {size} values differ)").format(count=len(wrong), size=want.size) if want.size > 1 else ""
    with np.errstate(over="ignore", invalid="ignore"):  # a candidate near the float limit: inf, no hint
        hint = _known_mistake(got, want, rtol, atol, mistakes or {})
    message = _("{where} = {got}; expected {expected} (tolerance rtol={rtol}, atol={atol}){count}").format(
        where=where, got=fmt(got[first]), expected=fmt(want[first]), rtol=f"{rtol:g}", atol=f"{atol:g}", count=count)
    raise ValueMismatch(message, hint)


def _close(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """``np.isclose(got, want, rtol, atol, equal_nan=True)``, written out: a test compares thousands of small
    arrays, for which isclose's own checks cost 3× the comparison."""
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf (caught by ==), or beyond the float range
        near = (np.abs(got - want) <= atol + rtol * np.abs(want)) & np.isfinite(want)
        return (got == want) | near | (np.isnan(got) & np.isnan(want))


class ValueMismatch(AssertionError):
    """``assert_close`` found a wrong value. ``hint`` is the known mistake it matches ("" if none) and
    ``without_hint`` the message before it, so a test with a more specific hint of its own can give that one
    instead, or add one only where the general ones found nothing."""

    def __init__(self, without_hint: str, hint: str) -> None:
        super().__init__(without_hint + (f" — {hint}" if hint else ""))
        self.without_hint = without_hint
        self.hint = hint


def _known_mistake(got: np.ndarray, want: np.ndarray, rtol: float, atol: float, mistakes: Mapping[str, Any]) -> str:
    """The hint for the first known mistake that gives exactly ``got``, or ""."""
    def gives(value: Any) -> bool:
        try:
            candidate = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return False
        return candidate.size == got.size and bool(_close(got, candidate.reshape(got.shape), rtol, atol).all())

    for hint, value in mistakes.items():
        if gives(value):
            return hint
    if not np.isfinite(got).all() or not np.isfinite(want).all() or not np.abs(want).max(initial=0.0) > atol:
        return ""
    if gives(-want):
        return (_("only the sign is wrong") if want.size == 1 else
                _("the sign is flipped everywhere (a − b where b − a is meant, or + where − is?)"))
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and gives(want.T):
        return _("the values are transposed")
    nonzero = np.abs(want) > atol
    if nonzero.sum() < FACTOR_HINT_MIN_VALUES:  # two numbers in the same ratio are as likely a coincidence
        return ""
    ratio = float(np.median(got[nonzero] / want[nonzero]))
    for factor in (ratio, 1 / ratio if ratio else 0.0):
        if not math.isfinite(factor):  # a ratio near the float limits: no factor to name
            continue
        whole = round(factor)
        if whole >= 2 and abs(factor - whole) < 1e-6 * whole and gives(want * ratio):
            return _("every value is off by the same factor ({factor}): a sum where a mean is wanted, or the "
                     "reverse?").format(factor=fmt(ratio))
    return ""


def assert_choice(actual: Any, expected: str, *, name: str) -> None:
    """A multiple-choice answer: one letter, case-insensitive, surrounding spaces ignored."""
    if not isinstance(actual, str):
        # A wrong type is a wrong answer: the test fails rather than errors.
        raise AssertionError(_("{name} should be one letter such as {example}, got {value}").format(  # noqa: TRY004
            name=name, example=repr(expected), value=describe(actual)))
    answer = actual.strip().upper()
    if len(answer) != 1:
        raise AssertionError(_("{name} should be a single letter, got {value}").format(name=name, value=repr(actual)))
    if answer != expected.strip().upper():
        raise AssertionError(_("{name} = {answer} is not the right choice").format(name=name, answer=repr(answer)))


def assert_bool(actual: Any, expected: bool, *, name: str) -> None:
    """True/False, given as bool, numpy bool or 0/1."""
    if isinstance(actual, bool) or (isinstance(actual, int) and actual in (0, 1)):
        if bool(actual) != expected:
            raise AssertionError(_("{name} = {got}; expected {expected}").format(
                name=name, got=bool(actual), expected=expected))
        return
    raise AssertionError(_("{name} should be True or False, got {value}").format(name=name, value=describe(actual)))


def credit_cases(cases: Sequence[tuple[str, Callable[[], Any]]],
                 partial_credit: Callable[[float, float], None]) -> None:
    """Run labelled checks, earn the share that pass, then fail with the first wrong one and its label.

    A case is wrong when its check raises AssertionError or the submission raised or left a stub. A timeout,
    crash, failed load or busy machine ends the test at once: every later case would wait on the same code.

        credit_cases([(f"count_params({s})", lambda s=s: assert_close(...)) for s in shapes], partial_credit)
    """
    wrong: list[tuple[str, Exception]] = []
    for label, check in cases:
        try:
            check()
        except (SubmissionTimedOut, SubmissionCrashed, SubmissionNotLoaded, MachineBusy):
            raise
        except (AssertionError, SubmissionProblem) as problem:
            wrong.append((label, problem))
    partial_credit(len(cases) - len(wrong), len(cases))
    if not wrong:
        return
    label, first = wrong[0]
    context = _("{wrong} of {count} cases wrong; the first, {label}: ").format(
        wrong=len(wrong), count=len(cases), label=label) if len(cases) > 1 else f"{label}: "
    if isinstance(first, SubmissionProblem):
        raise first.retold(context)
    raise AssertionError(context + str(first))
