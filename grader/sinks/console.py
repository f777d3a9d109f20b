"""Rich renderings of the result model; no grading logic lives here."""

from __future__ import annotations

import contextlib
import heapq
import os
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, Group, JustifyMethod, RenderableType, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.i18n import N_, _, course_language
from grader.model.results import Kind, Status, SubmissionResult

STATUS_STYLE = {  # the words are translated where they are shown
    Status.PASSED: ("✔", N_("passed"), "green"),
    Status.FAILED: ("✘", N_("failed"), "red"),
    Status.ERROR: ("!", N_("error"), "red"),
    Status.TIMEOUT: ("⏱", N_("timeout"), "yellow"),
    Status.PENDING: ("✎", N_("pending"), "cyan"),
    Status.GRADED: ("✎", N_("graded"), "green"),
}


def status_label(status: Status) -> Text:
    mark, word, style = STATUS_STYLE[status]
    return Text(f"{mark} {_(word)}", style=style)


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
    table.add_column(_("test"))
    table.add_column(_("points"), justify="right", no_wrap=True)
    table.add_column(_("what the grader found"), overflow="fold")
    for test in result.tests:
        message = _("graded by hand later") if test.status == Status.PENDING else test.message
        if test.status == Status.PASSED:
            message = ""
        table.add_row(status_label(test.status), escape(test.name), _points(test.score, test.max_score),
                      escape(message.strip()[:600]))
    return table


@dataclass(frozen=True)
class ResultView:
    """One submission: its load problems, a row per test, the details of what went wrong, the score."""

    result: SubmissionResult
    title: str | None = None
    show_output: bool = True
    language: str | None = None  # the course's; None: whichever is current when it is printed

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        with course_language(self.language) if self.language else contextlib.nullcontext():
            yield Group(*self._parts())

    def _parts(self) -> list[RenderableType]:
        result = self.result
        parts: list[RenderableType] = []
        if result.load_errors:
            lines = [f"[bold]{escape(e['where'])}[/bold]: {escape(e['error'])}" for e in result.load_errors]
            title = _("problems while loading your code (tests that need what did not load fail below)")
            parts.append(Panel("\n".join(lines), title=title, border_style="yellow"))
        parts += [Text(_("note: {warning}").format(warning=warning), style="yellow") for warning in result.warnings]
        parts.append(result_table(result, self.title))
        if self.show_output:
            parts += [Panel(escape(test.details[:3000]), title=escape(test.name), border_style="dim")
                      for test in result.tests
                      if test.status != Status.PASSED and test.kind == Kind.AUTO and test.details]
        score = _("score: {auto}").format(auto=_points(result.auto_score, result.auto_max_score))
        manual = _(" + {points} graded by hand").format(points=f"{result.manual_max_score:g}") \
            if result.manual_max_score else ""
        parts.append(Text.assemble((score, "bold"), manual, f"   ({result.duration_s:.2f} s)"))
        return parts


CLASS_TABLE_ROWS = 25


def needs_a_look(line: dict) -> tuple[float, int]:
    """Of a summary's lines, the lowest share of the auto points first; of equal shares, the one with more
    load errors."""
    return line["auto_score"] / (line["auto_max_score"] or 1), -line["load_errors"]


@dataclass(frozen=True)
class ClassTable:
    """A row per submission: its auto score, how many tests ended each way, what broke while loading. Of a
    class larger than ``rows``, the ``rows`` that most need a look (``needs_a_look``), so that the table
    costs the same for 20 000 students as for 20; every one is in summary.json and gradebook.csv.
    Rendered from the batch's summary (``results_folder.summary``), as summary.json holds it."""

    data: dict
    title: str = ""
    rows: int = CLASS_TABLE_ROWS

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines, caption = self.data["results"], None
        if len(lines) > self.rows:
            lines = heapq.nsmallest(self.rows, lines, key=needs_a_look)
            caption = _("the {shown} lowest of {count} submissions; every one is in summary.json and "
                        "gradebook.csv").format(shown=self.rows, count=len(self.data["results"]))
        shown = {line["submission"] for line in lines}
        errors: dict[str, list[str]] = {}
        for error in self.data["load_errors"]:
            if error["submission"] in shown:
                errors.setdefault(error["submission"], []).append(error["error"])
        table = Table(title=self.title, title_justify="left", caption=caption, caption_justify="left")
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            (_("submission"), "left"), (_("auto"), "right"), (_("passed"), "right"), (_("failed"), "right"),
            (_("error"), "right"), (_("timeout"), "right"), (_("manual"), "right"), (_("notes"), "left"))
        for name, justify in columns:
            table.add_column(name, justify=justify, overflow="fold")
        for line in lines:
            count = line["statuses"]
            manual = round(line["max_score"] - line["auto_max_score"], 6)
            table.add_row(
                escape(line["submission"]), _points(line["auto_score"], line["auto_max_score"]),
                str(count[Status.PASSED]), str(count[Status.FAILED] or ""), str(count[Status.ERROR] or ""),
                str(count[Status.TIMEOUT] or ""), _("{points} pending").format(points=f"{manual:g}") if manual else "",
                escape("; ".join(errors.get(line["submission"], []))[:120]),
            )
        yield table


@dataclass(frozen=True)
class ClassOverview:
    """What an instructor asks after a batch: how scores spread, which tests the class missed, what broke,
    who was slowest, and what in the class folder was not graded. Rendered from the batch's summary
    (``results_folder.summary``), as summary.json holds it."""

    data: dict

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Group(*self._parts())

    def _parts(self) -> list[RenderableType]:
        data = self.data
        skips: list[RenderableType] = []
        if data["skipped"]:  # all of them: each may be a student who is missing from the results
            skips.append(Text(_("skipped, not graded ({count}):").format(count=len(data["skipped"])), style="yellow"))
            skips += [Text(f"  {s['entry']}: {s['reason']}") for s in data["skipped"]]
        if not data["results"]:
            return skips
        widest = max(b["count"] for b in data["histogram"]) or 1
        bars = Table(title=_("auto score distribution"), title_justify="left", box=None, show_header=False)
        for column in ("range", "bar", "count"):
            bars.add_column(column, justify="right" if column != "bar" else "left")
        for b in data["histogram"]:
            bars.add_row(f"{b['from']:g}–{b['to']:g}", "█" * round(30 * b["count"] / widest), str(b["count"]))
        rates = Table(title=_("pass rate per test (lowest first)"), title_justify="left")
        rates.add_column(_("test"), overflow="fold")
        rates.add_column(_("passed"), justify="right")
        for nodeid, rate in sorted(data["pass_rates"].items(), key=lambda item: item[1]):
            rates.add_row(escape(nodeid), f"{rate:.0%}")
        parts: list[RenderableType] = [bars, rates]
        if data["load_errors"]:
            parts.append(Text(_("load errors ({count}):").format(count=len(data["load_errors"])), style="yellow"))
            parts += [Text(f"  {e['submission']}: {e['where']}: {e['error'][:150]}") for e in data["load_errors"][:20]]
        if data["timeouts"]:
            parts.append(Text(_("timeouts ({count}):").format(count=len(data["timeouts"])), style="yellow"))
            parts += [Text(f"  {t['submission']}: {t['test']}") for t in data["timeouts"][:20]]
        if data["machine_busy"]:
            busy = data["machine_busy"]
            parts.append(Text(_("the machine was too busy to finish ({count} tests, no fault of the students'; "
                                "grade them again with the same command and --resume):").format(count=len(busy)),
                              style="red"))
            parts += [Text(f"  {t['submission']}: {t['test']}") for t in busy[:20]]
        slow = ", ".join(f"{s['submission']} {s['duration_s']:.2f} s" for s in data["slowest"])
        parts.append(Text(_("slowest: {submissions}").format(submissions=slow), style="dim"))
        return [*parts, *skips]


def common_load_error_panel(reason: str, count: int) -> Panel:
    """Every submission failed to load for one reason: the setup is wrong, not the class."""
    return Panel(Text(_("All {count} submissions failed to load for the same reason:\n\n  {reason}\n\n"
                        "This is most likely the grading setup (the assignment, the class folder, the "
                        "machine's packages), not the students' work. The results were written; check "
                        "the setup and grade again.").format(count=count, reason=reason), style="bold"),
                 title=_("every submission failed to load"), border_style="red")
