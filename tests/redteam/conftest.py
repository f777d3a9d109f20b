"""The red-team suite's switches: strict-mode tests skip where strict mode cannot run, except where
``GRADER_REQUIRE_STRICT=1`` (CI) turns that into a failure."""

from __future__ import annotations

import os

import pytest

from grader.jail.sandbox import strict_problem


@pytest.fixture(scope="session")
def strict_available() -> None:
    problem = strict_problem()
    if problem is None:
        return
    if os.environ.get("GRADER_REQUIRE_STRICT") == "1":
        pytest.fail(f"GRADER_REQUIRE_STRICT=1 but {problem}")
    pytest.skip(problem)
