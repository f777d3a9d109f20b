"""Rich renderings of the result model; no grading logic lives here."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.results import SubmissionResult

STATUS_STYLE = {
    "passed": ("✔ passed", "green"),
    "failed": ("✘ failed", "red"),
    "error": ("! error", "red"),
    "timeout": ("⏱ timeout", "yellow"),
    "pending": ("✎ pending", "cyan"),
}


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
        message = test.message if test.kind == "auto" else "graded by hand later"
        if test.status == "passed":
            message = ""
        table.add_row(Text(label, style=style), escape(test.name), _points(test.score, test.max_score),
                      escape(message.strip()[:600]))
    return table


def render_result(result: SubmissionResult, console: Console, title: str | None = None,
                  show_output: bool = True) -> None:
    """One submission: its load problems, a row per test, and the details of what went wrong."""
    parts = []
    if result.load_errors:
        lines = [f"[bold]{escape(e['where'])}[/bold]: {escape(e['error'])}" for e in result.load_errors]
        parts.append(Panel("\n".join(lines), title="problems while loading your code", border_style="yellow"))
    for warning in result.warnings:
        parts.append(Text(f"note: {warning}", style="yellow"))
    parts.append(result_table(result, title))
    console.print(Group(*parts))
    if show_output:
        for test in result.tests:
            extra = test.output[len(test.message):].strip() if test.output.startswith(test.message) else ""
            if test.status != "passed" and test.kind == "auto" and extra:
                console.print(Panel(escape(extra[:3000]), title=escape(test.name), border_style="dim"))
    auto = _points(result.auto_score, result.auto_max_score)
    manual = f" + {result.manual_max_score:g} graded by hand" if result.manual_max_score else ""
    console.print(f"[bold]score: {auto}[/bold]{manual}   ({result.duration_s:.2f} s)")


def render_summary(results: list[SubmissionResult], console: Console, title: str = "") -> None:
    table = Table(title=title, title_justify="left")
    for name, justify in (("submission", "left"), ("auto", "right"), ("passed", "right"), ("failed", "right"),
                          ("error", "right"), ("timeout", "right"), ("manual", "right"), ("notes", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for r in results:
        count = {s: sum(t.status == s and t.kind == "auto" for t in r.tests) for s in STATUS_STYLE}
        notes = "; ".join(e["error"] for e in r.load_errors)[:120]
        table.add_row(
            escape(r.submission), _points(r.auto_score, r.auto_max_score), str(count["passed"]),
            str(count["failed"] or ""), str(count["error"] or ""), str(count["timeout"] or ""),
            f"{r.manual_max_score:g} pending" if r.manual_max_score else "", escape(notes),
        )
    console.print(table)
