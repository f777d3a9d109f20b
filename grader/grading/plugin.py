"""The pytest plugin that runs instructors' tests against many submissions in one pytest session.

Tests ask for the ``submission`` fixture (a proxy to the jailed submission) and may ask for
``partial_credit``. Markers set what a test is worth and who sees it:

    @pytest.mark.points(3)                 # default 1
    @pytest.mark.visibility("hidden")      # default: visible for public tests, after_published for hidden
    @pytest.mark.timeout(30)               # seconds of wall time for this test (default: the assignment's)

Collection happens once; every test is parametrized over the submissions and run grouped by
submission, so the result of one submission is final (and written) as soon as its last test ends.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.grading.proxy import SubmissionProblem, SubmissionProxy
from grader.i18n import _, translations
from grader.jail.base import Backend
from grader.model.assignment import Assignment
from grader.model.loader import Submission
from grader.model.results import NO_ANSWER, Kind, Status, SubmissionResult, TestResult, Visibility

MESSAGE_CAP = 4000
ANSWER_CAP = 20_000  # a manual answer's text, as a person reads it
credit_key = pytest.StashKey["PartialCredit"]()
plugin_key = pytest.StashKey["GradingPlugin"]()


class PartialCredit:
    """The share of a test's points earned when the test does not pass (e.g. rows right so far)."""

    def __init__(self) -> None:
        self.fraction = 0.0

    def __call__(self, earned: float, out_of: float = 1.0) -> None:
        self.fraction = min(max(earned / out_of, 0.0), 1.0) if out_of else 0.0


class GradingPlugin:
    def __init__(self, assignment: Assignment, submissions: list[Submission], backend: Backend,
                 on_result: Callable[[SubmissionResult], None] | None = None, sandbox: str = "basic") -> None:
        self.assignment = assignment
        self.submissions = submissions
        self.backend = backend
        self.on_result = on_result
        self.sandbox = sandbox
        self.proxies: dict[int, SubmissionProxy] = {}
        self.tests: dict[int, list[TestResult]] = {i: [] for i in range(len(submissions))}
        self.started: dict[int, float] = {}
        self.last_item: dict[int, str] = {}
        self.results: dict[int, SubmissionResult] = {}
        self.collection_errors: list[str] = []

    # -- collection ----------------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)  # after the terminal plugin has registered its reporter
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[plugin_key] = self
        for line in ("points(n): what the test is worth", "visibility(v): who sees the test's result",
                     "timeout(seconds): wall time allowed for the test"):
            config.addinivalue_line("markers", line)
        # The results are ours to show: pytest's reporter is swapped for one that writes into nothing. One
        # stays registered, since explaining a failed assert asks it for a terminal writer.
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            config.pluginmanager.unregister(reporter)
            config.pluginmanager.register(pytest.TerminalReporter(config, io.StringIO()), "terminalreporter")
        config.pluginmanager.register(LeanReports(), "grader-lean-reports")

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "submission" in metafunc.fixturenames:
            metafunc.parametrize("submission", range(len(self.submissions)), indirect=True, scope="session",
                                 ids=[s.id for s in self.submissions])

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config,
                                      items: list[pytest.Item]) -> None:
        graded = [item for item in items if _index(item) is not None]
        graded.sort(key=_submission)  # stable: each submission's tests run together, in file order
        for item in graded:
            marker = item.get_closest_marker("visibility")
            if marker and marker.args[0] not in set(Visibility):
                self.collection_errors.append(f"{item.nodeid}: visibility must be one of {', '.join(Visibility)}")
        items[:] = [] if self.collection_errors else graded  # the instructor's error stops the batch unrun
        for item in graded:
            self.last_item[_submission(item)] = item.nodeid

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    def _proxy(self, index: int) -> SubmissionProxy:
        if index not in self.proxies:
            self.started[index] = time.perf_counter()
            proxy = SubmissionProxy(self.submissions[index], self.assignment.name, self.backend,
                                    self.assignment.limits)
            proxy.start()
            self.proxies[index] = proxy
        return self.proxies[index]

    # -- running -------------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        index = _submission(item)
        marker = item.get_closest_marker("timeout")
        self._proxy(index).begin_test(float(marker.args[0]) if marker else None)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.tests[_submission(item)].append(self._test_result(_graded(item), call, report))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        yield
        index = _submission(item)
        if self.last_item.get(index) == item.nodeid:
            self.finish(index)

    def _test_result(self, item: pytest.Function, call: pytest.CallInfo, report: pytest.TestReport) -> TestResult:
        points = _points(item)
        credit = item.stash.get(credit_key, None)
        proxy = self.proxies.get(_submission(item))
        printed = proxy.take_output() if proxy is not None else ""
        notes = proxy.take_notes() if proxy is not None else ""
        traceback = ""
        busy = False
        if report.passed:
            status, message, score = Status.PASSED, "", points
        else:
            error = call.excinfo.value if call.excinfo is not None else None
            if isinstance(error, SubmissionProblem):
                status, message, traceback = error.status, error.message, error.traceback
                busy = error.machine_busy
            elif isinstance(error, (AssertionError, pytest.fail.Exception)):
                # An assert with a message: the message; a bare assert: pytest's explanation of it.
                text = str(error.msg if isinstance(error, pytest.fail.Exception) else error)
                kept = text if text.startswith("assert ") else text.split("\nassert ", 1)[0]
                status, message = Status.FAILED, kept or _("assertion failed")
            elif report.skipped:
                status = Status.FAILED
                why = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
                message = _("skipped: {reason}").format(reason=why)
            else:
                status = Status.ERROR
                why = call.excinfo.exconly() if call.excinfo else report.longreprtext
                message = _("the test could not use the submission's answer: {error}").format(error=why)
            score = points * credit.fraction if credit is not None else 0.0
        return TestResult(
            name=_display_name(item),
            nodeid=_nodeid(item),
            score=round(score, 6),
            max_score=points,
            status=status,
            visibility=_visibility(item, self.assignment),
            message=message[:MESSAGE_CAP],
            traceback=traceback,
            printed=printed,
            notes=notes,
            duration_s=round(report.duration, 6),
            machine_busy=busy,
        )

    def finish(self, index: int) -> SubmissionResult:
        """Close the submission's jail, add its manual questions, hand the result on."""
        if index in self.results:
            return self.results[index]
        submission = self.submissions[index]
        proxy = self._proxy(index)
        tests = self.tests[index] + self._manual(proxy)
        proxy.close()
        result = SubmissionResult(
            assignment=self.assignment.name,
            submission=submission.id,
            tests=tests,
            load_errors=proxy.load_errors,
            warnings=list(submission.warnings),
            duration_s=round(time.perf_counter() - self.started[index], 6),
            time_in_submission_s=round(proxy.time_in_submission, 6),
            cpu_in_submission_s=proxy.cpu_in_submission,
            sandbox=self.sandbox,
            files=_hashes(submission),
            limits=self.backend.held(self.assignment.limits),
        )
        self.results[index] = result
        if self.on_result is not None:
            self.on_result(result)
        return result

    def _manual(self, proxy: SubmissionProxy) -> list[TestResult]:
        """Collect each manual answer's text for a person to grade later."""
        found = []
        for question in self.assignment.manual:
            proxy.begin_test(None)
            answer, busy = None, False
            try:
                given = getattr(proxy, question.name)
                text = given.strip() if isinstance(given, str) else ""
                if not text:
                    message = f"{NO_ANSWER} " + _("{name} is empty or not a text answer").format(name=question.name)
                elif text == question.placeholder:
                    message = f"{NO_ANSWER} " + _("{name} still holds the template's placeholder text").format(
                        name=question.name)
                else:
                    message, answer = "", text[:ANSWER_CAP]
            except SubmissionProblem as problem:
                message, busy = f"{NO_ANSWER} {problem.message}", problem.machine_busy
            proxy.take_output()
            found.append(TestResult(
                name=question.name, nodeid=f"manual::{question.name}", score=0.0, max_score=question.points,
                status=Status.PENDING, kind=Kind.MANUAL, visibility=Visibility.VISIBLE, message=message[:ANSWER_CAP],
                answer=answer, notes=proxy.take_notes(), machine_busy=busy,
            ))
        return found


class LeanReports:
    """A failure's report without pytest's rendering of its traceback, which re-reads and re-parses the
    test's source for every failing test (a third of a class's grading time): results keep only the
    message, which ``GradingPlugin`` takes from the exception itself. Passes and skips keep pytest's report."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport | None:
        excinfo = call.excinfo
        if excinfo is None or isinstance(excinfo.value, pytest.skip.Exception) or call.when == "collect":
            return None
        return pytest.TestReport(item.nodeid, item.location, dict.fromkeys(item.keywords, 1), "failed",
                                 excinfo.exconly(), call.when, duration=call.duration, start=call.start,
                                 stop=call.stop, user_properties=item.user_properties)


def _index(item: pytest.Item) -> int | None:
    """The submission a test runs against; None for one not parametrized over the submissions."""
    callspec = getattr(item, "callspec", None) if isinstance(item, pytest.Function) else None
    return callspec.params.get("submission") if callspec is not None else None


def _submission(item: pytest.Item) -> int:
    """The submission of a test that collection kept (every test that runs)."""
    index = _index(item)
    assert index is not None
    return index


def _graded(item: pytest.Item) -> pytest.Function:
    """A test that collection kept: a test function, since only one has the submission as a parameter."""
    assert isinstance(item, pytest.Function)
    return item


def _points(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker else 1.0


def _visibility(item: pytest.Item, assignment: Assignment) -> Visibility:
    marker = item.get_closest_marker("visibility")  # checked at collection
    if marker:
        return Visibility(marker.args[0])
    hidden = Path(str(item.path)).is_relative_to(assignment.hidden_tests)
    return Visibility.AFTER_PUBLISHED if hidden else Visibility.VISIBLE


def _other_params(item: pytest.Function) -> str:
    params = {k: v for k, v in item.callspec.params.items() if k != "submission"}
    return f"[{', '.join(f'{k}={v}' for k, v in params.items())}]" if params else ""


def _display_name(item: pytest.Function) -> str:
    """The test's docstring's first line, else its function name, with any parameters but the submission."""
    doc = (item.function.__doc__ or "").strip()
    name = translations(str(item.path)).gettext(doc.splitlines()[0]) if doc else item.originalname
    return f"{name} {_other_params(item)}".rstrip()


def _nodeid(item: pytest.Function) -> str:
    """The same for every submission: the submission's id is left out."""
    return item.nodeid.split("[", 1)[0] + _other_params(item)


def _hashes(submission: Submission) -> dict[str, str]:
    try:
        return submission.hashes()
    except OSError:
        return {}
