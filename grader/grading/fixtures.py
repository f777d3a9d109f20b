"""The fixtures instructors' tests ask for. This module is registered as a pytest plugin beside the
grading plugin, which the fixtures reach through the config's stash."""

from __future__ import annotations

import pytest

from grader.grading.plugin import PartialCredit, credit_key, plugin_key
from grader.grading.proxy import SubmissionProxy


@pytest.fixture(scope="session")
def submission(request: pytest.FixtureRequest) -> SubmissionProxy:
    """The submission under test, as a proxy to its jailed process (parametrized by the plugin)."""
    return request.config.stash[plugin_key]._proxy(request.param)


@pytest.fixture
def partial_credit(request: pytest.FixtureRequest) -> PartialCredit:
    """Call ``partial_credit(earned, out_of)`` to earn a share of the points when the test fails."""
    credit = PartialCredit()
    request.node.stash[credit_key] = credit
    return credit
