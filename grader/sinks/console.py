"""Rich renderings of the result model; no grading logic lives here."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, Group, JustifyMethod, RenderableType, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.model.discovery import Skipped
from grader.model.results import Kind, Status, SubmissionResult
from grader.sinks.results_folder import summary

STATUS_STYLE = {
    "passed": ("✔ passed", "green"),
    "failed": ("✘ failed", "red"),
    "error": ("! error", "red"),
    "timeout": ("⏱ timeout", "yellow"),
    "pending": ("✎ pending", "cyan"),
    "graded": ("✎ graded", "green"),
}


PIPED_WIDTH = 160  # a file or a CI log has no width of its own: wide enough that tables keep their rows


def make_console(**options: Any) -> Console:
    """A console for the verbs' reports: the terminal's width, or a wide one when the output goes to a
    file or a pipe (unless COLUMNS says otherwise), so a log does not hold a word per line."""
    console = Console(**options)
    if not (console.is_terminal or console.is_jupyter) and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


def _points(score: float, max_score: float) -> str:
    return f"{score:g} / {max_score:g}"


def result_table(result: SubmissionResult, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", expand=False, show_lines=False)
    table.add_column("", no_wrap=True)
    table.add_column("test")
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("what the grader found", overflow="fold")
    for test in result.tests:
        label, style = STATUS_STYLE[test.status]
        message = "graded by hand later" if test.status == Status.PENDING else test.message
        if test.status == Status.PASSED:
            message = ""
        table.add_row(Text(label, style=style), escape(test.name), _points(test.score, test.max_score),
                      escape(message.strip()[:600]))
    return table


@dataclass(frozen=True)
class ResultView:
    """One submission: its load problems, a row per test, the details of what went wrong, the score."""

    result: SubmissionResult
    title: str | None = None
    show_output: bool = True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        result = self.result
        if result.load_errors:
            lines = [f"[bold]{escape(e['where'])}[/bold]: {escape(e['error'])}" for e in result.load_errors]
            title = "problems while loading your code (tests that need what did not load fail below)"
            yield Panel("\n".join(lines), title=title, border_style="yellow")
        for warning in result.warnings:
            yield Text(f"note: {warning}", style="yellow")
        yield result_table(result, self.title)
        if self.show_output:
            for test in result.tests:
                if test.status != Status.PASSED and test.kind == Kind.AUTO and test.details:
                    yield Panel(escape(test.details[:3000]), title=escape(test.name), border_style="dim")
        auto = _points(result.auto_score, result.auto_max_score)
        manual = f" + {result.manual_max_score:g} graded by hand" if result.manual_max_score else ""
        yield Text.from_markup(f"[bold]score: {auto}[/bold]{manual}   ({result.duration_s:.2f} s)")


@dataclass(frozen=True)
class ClassTable:
    """A row per submission: its auto score, how many tests ended each way, what broke while loading."""

    results: Sequence[SubmissionResult]
    title: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(title=self.title, title_justify="left")
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            ("submission", "left"), ("auto", "right"), ("passed", "right"), ("failed", "right"), ("error", "right"),
            ("timeout", "right"), ("manual", "right"), ("notes", "left"))
        for name, justify in columns:
            table.add_column(name, justify=justify, overflow="fold")
        for r in self.results:
            count = {s: sum(t.status == s and t.kind == Kind.AUTO for t in r.tests) for s in STATUS_STYLE}
            notes = "; ".join(e["error"] for e in r.load_errors)[:120]
            table.add_row(
                escape(r.submission), _points(r.auto_score, r.auto_max_score), str(count["passed"]),
                str(count["failed"] or ""), str(count["error"] or ""), str(count["timeout"] or ""),
                f"{r.manual_max_score:g} pending" if r.manual_max_score else "", escape(notes),
            )
        yield table


@dataclass(frozen=True)
class ClassOverview:
    """What an instructor asks after a batch: how scores spread, which tests the class missed, what broke,
    who was slowest, and what in the class folder was not graded. Rendered from the same summary that
    ``summary.json`` holds."""

    results: Sequence[SubmissionResult]
    skipped: Sequence[Skipped] = ()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Group(*self._parts())

    def _parts(self) -> list[RenderableType]:
        results = list(self.results)
        data = summary(results, self.skipped)
        skips: list[RenderableType] = []
        if data["skipped"]:  # all of them: each may be a student who is missing from the results
            skips.append(Text(f"skipped, not graded ({len(data['skipped'])}):", style="yellow"))
            skips += [Text(f"  {s['entry']}: {s['reason']}") for s in data["skipped"]]
        if not results:
            return skips
        widest = max(b["count"] for b in data["histogram"]) or 1
        bars = Table(title="auto score distribution", title_justify="left", box=None, show_header=False)
        for column in ("range", "bar", "count"):
            bars.add_column(column, justify="right" if column != "bar" else "left")
        for b in data["histogram"]:
            bars.add_row(f"{b['from']:g}–{b['to']:g}", "█" * round(30 * b["count"] / widest), str(b["count"]))
        rates = Table(title="pass rate per test (lowest first)", title_justify="left")
        rates.add_column("test", overflow="fold")
        rates.add_column("passed", justify="right")
        for nodeid, rate in sorted(data["pass_rates"].items(), key=lambda item: item[1]):
            rates.add_row(escape(nodeid), f"{rate:.0%}")
        parts: list[RenderableType] = [bars, rates]
        if data["load_errors"]:
            parts.append(Text(f"load errors ({len(data['load_errors'])}):", style="yellow"))
            parts += [Text(f"  {e['submission']}: {e['where']}: {e['error'][:150]}") for e in data["load_errors"][:20]]
        if data["timeouts"]:
            parts.append(Text(f"timeouts ({len(data['timeouts'])}):", style="yellow"))
            parts += [Text(f"  {t['submission']}: {t['test']}") for t in data["timeouts"][:20]]
        if data["machine_busy"]:
            busy = data["machine_busy"]
            parts.append(Text(f"the machine was too busy to finish ({len(busy)} tests, no fault of the students'; "
                              "grade them again with the same command and --resume):", style="red"))
            parts += [Text(f"  {t['submission']}: {t['test']}") for t in busy[:20]]
        slow = ", ".join(f"{s['submission']} {s['duration_s']:.2f} s" for s in data["slowest"])
        parts.append(Text(f"slowest: {slow}", style="dim"))
        return [*parts, *skips]


def common_load_error_panel(reason: str, count: int) -> Panel:
    """Every submission failed to load for one reason: the setup is wrong, not the class."""
    return Panel(Text(f"All {count} submissions failed to load for the same reason:\n\n  {reason}\n\n"
                      "This is most likely the grading setup (the assignment, the class folder, the "
                      "machine's packages), not the students' work. The results were written; check "
                      "the setup and grade again.", style="bold"),
                 title="every submission failed to load", border_style="red")
