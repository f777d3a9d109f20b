"""Where results go once they are final. Every consumer of a batch is a ``Sink``: it takes each result as
it is committed, then the whole batch in the class folder's order. The results folder, the gradebook and
the progress bar are sinks of ``grader grade``; feedback pages, manual packets and the console views are
rendered from the results a sink wrote."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from grader.model.discovery import Skipped
from grader.model.results import SubmissionResult


class Sink(Protocol):
    def write(self, result: SubmissionResult) -> None:
        """Take one final result, as soon as it is committed (a crash after this loses nothing of it)."""

    def finish(self, results: Sequence[SubmissionResult], skipped: Sequence[Skipped] = ()) -> None:
        """The batch is done: every result in the class folder's order (read from its committed file when
        asked for, so a sink that needs something of every result keeps it as it writes), and what the
        folder held that was not graded."""
