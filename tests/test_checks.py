"""The assertion helpers instructors' tests use: values not types, first wrong element, case-by-case credit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checks import assert_choice, assert_close, credit_cases
from grader.grading.proxy import SubmissionRaised, SubmissionTimedOut


class Credit:
    def __call__(self, earned, out_of):
        self.share = (earned, out_of)


def test_assert_close_accepts_any_numeric_form_and_names_the_first_wrong_element():
    assert_close((1, 2.0, np.float32(3)), np.array([[1], [2], [3]]), name="v")
    with pytest.raises(AssertionError, match=r"dW\[1, 0\] = 9; expected 3 .*\(1 of 4 values differ\)"):
        assert_close([[1, 2], [9, 4]], [[1, 2], [3, 4]], name="dW")
    with pytest.raises(AssertionError,
                       match=r"shape \(3, 2\) \(transposed\?\); expected \(2, 3\) = \(n_l, n_\{l-1\}\)"):
        assert_close(np.zeros((3, 2)), np.zeros((2, 3)), name="dW", convention="(n_l, n_{l-1})")


def test_assert_choice_ignores_case_and_spaces():
    assert_choice(" b ", "B", name="Q1_A")
    with pytest.raises(AssertionError, match="not the right choice"):
        assert_choice("A", "B", name="Q1_A")


def test_credit_cases_earns_the_share_right_and_names_the_first_wrong_case():
    credit = Credit()

    def wrong():
        raise AssertionError("got 2; expected 3")

    with pytest.raises(AssertionError, match=r"^2 of 4 cases wrong; the first, case b: got 2; expected 3$"):
        credit_cases([("case a", lambda: None), ("case b", wrong), ("case c", lambda: None), ("case d", wrong)],
                     credit)
    assert credit.share == (2, 4)


def test_credit_cases_keeps_a_submission_error_as_an_error_with_its_case():
    credit = Credit()

    def raises():
        raise SubmissionRaised("ValueError: bad shape", "Traceback ...", "ValueError")

    with pytest.raises(SubmissionRaised) as caught:
        credit_cases([("n=1", lambda: None), ("n=5", raises)], credit)
    assert caught.value.message == "1 of 2 cases wrong; the first, n=5: ValueError: bad shape"
    assert (caught.value.type_name, caught.value.traceback) == ("ValueError", "Traceback ...")
    assert credit.share == (1, 2)


def test_credit_cases_stops_at_a_timeout():
    ran = []

    def slow():
        raise SubmissionTimedOut("too slow")

    with pytest.raises(SubmissionTimedOut):
        credit_cases([("a", slow), ("b", lambda: ran.append("b"))], Credit())
    assert ran == []


SPECIAL = [0.0, -0.0, 1.0, -1.0, 1e-9, 1e-8, 2e-8, 1 + 1e-6, 1 + 1e-4, 1e300, -1e300,
           float("inf"), float("-inf"), float("nan")]


@given(st.lists(st.tuples(st.sampled_from(SPECIAL) | st.floats(allow_nan=True, allow_infinity=True, width=64),
                          st.sampled_from(SPECIAL) | st.floats(allow_nan=True, allow_infinity=True, width=64)),
                min_size=1, max_size=6),
       st.sampled_from([(1e-5, 1e-8), (0.0, 0.0), (1e-3, 0.0), (0.0, 1e-3)]))
@settings(max_examples=300, deadline=None)
def test_assert_close_passes_exactly_what_numpy_isclose_with_equal_nan_passes(pairs, tolerances):
    rtol, atol = tolerances
    got, want = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    with np.errstate(all="ignore"):  # values near the float limits overflow in numpy's own comparison
        close = bool(np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True).all())
    try:
        assert_close(got, want, rtol=rtol, atol=atol)
        passed = True
    except AssertionError:
        passed = False
    assert passed == close


def test_a_wrong_answer_near_the_float_limits_is_a_wrong_answer_not_a_crash():
    """The factor hint divided by a subnormal ratio: inf, which round() refused with an OverflowError."""
    with pytest.raises(AssertionError, match=r"result\[0\] = 1e-310; expected 1 "):
        assert_close([1e-310] * 4, [1.0] * 4)
