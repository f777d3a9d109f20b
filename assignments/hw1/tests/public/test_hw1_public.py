"""Public tests of hw1: run them with `grader check hw1`. Expected values are written in.

They check the form of every answer and the lecture's own numbers; the hidden tests check the same functions
on many more inputs (n up to 10 000, logits up to ±800) and check the choices themselves.
"""

import math

import numpy as np
import pytest

from grader.checks import assert_close

ROWS_ARE_SAMPLES = "X is (N, D): each row is one sample, so the logits are X @ w"


def assert_letter(answer, name, letters):
    """The form of a choice answer only: one of the offered letters (the right one is checked when grading)."""
    assert isinstance(answer, str), f"{name} should be a one-letter string such as 'A', got {answer!r}"
    assert answer.strip().upper() in letters, f"{name} = {answer!r}; it should be one of {', '.join(letters)}"


@pytest.mark.points(1)
def test_choices_are_letters(submission):
    """Q1_A, Q1_B and Q1_C are answered with one of the offered letters"""
    assert_letter(submission.Q1_A, "Q1_A", ("A", "B"))
    assert_letter(submission.Q1_B, "Q1_B", ("A", "B"))
    assert_letter(submission.Q1_C, "Q1_C", ("A", "B", "C"))


@pytest.mark.points(1)
def test_likelihood_of_the_lecture_case(submission):
    """binomial_likelihood and binomial_log_likelihood for 70 white in 100 draws, and two small cases"""
    assert_close(submission.binomial_likelihood(0.7, 100, 70), 0.08678386475342748,
                 name="binomial_likelihood(0.7, 100, 70)")
    assert_close(submission.binomial_log_likelihood(0.7, 100, 70), -2.44433456453298,
                 name="binomial_log_likelihood(0.7, 100, 70)", convention="the natural log, ln L")
    assert_close(submission.binomial_likelihood(0.5, 4, 2), 0.375, name="binomial_likelihood(0.5, 4, 2)")
    assert_close(submission.binomial_likelihood(0.25, 4, 1), 0.421875, name="binomial_likelihood(0.25, 4, 1)")


@pytest.mark.points(1)
def test_likelihood_at_the_boundaries(submission):
    """at p = 0 and p = 1: 0**0 == 1, and the log of a zero likelihood is -inf"""
    assert_close(submission.binomial_likelihood(0.0, 5, 0), 1, name="binomial_likelihood(0, 5, 0) (0**0 == 1)")
    assert_close(submission.binomial_likelihood(1.0, 5, 5), 1, name="binomial_likelihood(1, 5, 5) (0**0 == 1)")
    assert_close(submission.binomial_likelihood(0.0, 5, 2), 0, name="binomial_likelihood(0, 5, 2)")
    assert_close(submission.binomial_likelihood(1.0, 5, 2), 0, name="binomial_likelihood(1, 5, 2)")
    assert_close(submission.binomial_log_likelihood(0.0, 5, 0), 0, name="binomial_log_likelihood(0, 5, 0)")
    assert_close(submission.binomial_log_likelihood(0.0, 5, 2), -math.inf,
                 name="binomial_log_likelihood(0, 5, 2) (ln 0 = -inf)")


@pytest.mark.points(1)
def test_mle_ratio_of_the_lecture_case(submission):
    """mle_ratio(100, 70) is the white ratio 0.7"""
    assert_close(submission.mle_ratio(100, 70), 0.7, name="mle_ratio(100, 70)")
    assert_close(submission.mle_ratio(4, 1), 0.25, name="mle_ratio(4, 1)")


@pytest.mark.points(1)
def test_grid_argmax_returns_a_grid_point(submission):
    """grid_argmax returns the p of the grid (default num=1001), not its index"""
    assert_close(submission.grid_argmax(100, 70), 0.7, name="grid_argmax(100, 70) (the value p, not its index)")
    assert_close(submission.grid_argmax(3, 1), 0.333, name="grid_argmax(3, 1) on np.linspace(0, 1, 1001)")
    assert_close(submission.grid_argmax(100, 70, num=5), 0.75,
                 name="grid_argmax(100, 70, num=5) on [0, 0.25, 0.5, 0.75, 1]")


@pytest.mark.points(1)
def test_logistic_log_likelihood_small_cases(submission):
    """logistic_log_likelihood with rows of X as samples, a sum over samples, and logits of ±800"""
    X = np.array([[1.0, 2.0, 0.5], [1.0, -1.0, 1.5], [1.0, 0.0, -2.0]])  # square: a transposed X gives a wrong value
    value = submission.logistic_log_likelihood(np.array([0.5, -0.25, 1.0]), X, np.array([1, 0, 0]))
    assert_close(value, -3.0256968210796065, name=f"L(w) for N=D=3 ({ROWS_ARE_SAMPLES})")
    X = np.array([[1.0, 0.5], [1.0, -1.5], [1.0, 2.0], [1.0, 0.0]])  # N = 4 samples, D = 2 (a bias column, a feature)
    value = submission.logistic_log_likelihood(np.array([0.2, -0.7]), X, np.array([1, 0, 1, 0]))
    assert_close(value, -4.534307465854528, name="L(w) for N=4, D=2 (a sum over the samples)")
    value = submission.logistic_log_likelihood(np.array([1.0]), np.array([[800.0], [-800.0]]), np.array([0, 1]))
    assert_close(value, -1600.0, name="L(w) for logits +800 with y=0 and -800 with y=1 (each term is -800)")
