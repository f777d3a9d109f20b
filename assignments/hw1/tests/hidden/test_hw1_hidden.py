"""Hidden tests of hw1: the choices, and every function against the reference on seeded random inputs
and on the edge cases the statement names (p = 0 and p = 1, n up to 10 000, logits up to ±800)."""

import math
from contextlib import contextmanager

import numpy as np
import pytest

from grader.checks import SubmissionRaised, as_numbers, assert_choice, assert_close, credit_cases, fmt, translations
from reference import likelihood, logistic

_ = translations(__file__)


def use_logs():
    return _("C(n, k) and p**k do not fit in a float for n this large; "
             "work with logarithms (math.lgamma, or a sum of logs) and exponentiate at the end")


def log_directly():
    return _("for large n the likelihood underflows to 0 while ln L is an ordinary number; "
             "compute ln C(n, k) + k ln p + (n - k) ln(1 - p) directly instead of the log of L")


def rows_are_samples():
    return _("X is (N, D) with rows as samples, so the logits are X @ w")


@contextmanager
def hints(**hint_by_error):
    """Add a hint to the message when the submission raises one of these errors (status and traceback stay)."""
    try:
        yield
    except SubmissionRaised as raised:
        if raised.type_name not in hint_by_error:
            raise
        hint = hint_by_error[raised.type_name]
        raise SubmissionRaised(_("{message} ({hint})").format(message=raised.message, hint=hint), raised.traceback,
                               raised.type_name) from None


# --- 1. the choices -------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_q1_a(submission):
    """Q1_A: estimating the white ratio from 70 white in 100 draws"""
    assert_choice(submission.Q1_A, "B", name="Q1_A")


@pytest.mark.points(1)
def test_q1_b(submission):
    """Q1_B: the probability of one white draw when the ratio is known"""
    assert_choice(submission.Q1_B, "A", name="Q1_B")


@pytest.mark.points(1)
def test_q1_c(submission):
    """Q1_C: why p = 0 and p = 1 are rejected"""
    assert_choice(submission.Q1_C, "B", name="Q1_C")


# --- 2. the binomial likelihood -------------------------------------------------------------------


def binomial_cases(seed, count, n_low, n_high):
    """Seeded (p, n, k): half of the p near k/n where the likelihood is large, half anywhere in (0, 1)
    (where, for large n, the likelihood underflows to 0 but its log is an ordinary number such as -2000)."""
    rng = np.random.default_rng(seed)
    for number in range(count):
        n = int(rng.integers(n_low, n_high + 1))
        k = int(rng.integers(0, n + 1))
        if number % 2:
            p = float(rng.uniform(0.001, 0.999))
        else:
            p = float(np.clip(k / n + rng.normal(0, 1.5 / math.sqrt(n)), 0.001, 0.999))
        yield p, n, k


@pytest.mark.points(1)
def test_likelihood_on_random_small_cases(submission):
    """binomial_likelihood against the reference for n up to 200"""
    for p, n, k in binomial_cases(seed=11, count=40, n_low=1, n_high=200):
        assert_close(submission.binomial_likelihood(p, n, k), likelihood.binomial_likelihood(p, n, k),
                     name=f"binomial_likelihood({p!r}, {n}, {k})")


@pytest.mark.points(1)  # and 1 in the public test_likelihood_for_large_n
def test_likelihood_for_n_up_to_10000(submission):
    """binomial_likelihood for n = 1000 to 10 000 and k in the middle: no overflow, no nan"""
    rng = np.random.default_rng(12)
    cases = [(0.7, 10_000, 7_000), (0.5, 10_000, 5_000), (0.3, 1_000, 300), (0.4990, 10_000, 5_000)]
    for _draw in range(12):
        n = int(rng.choice([1_000, 2_000, 5_000, 10_000]))
        k = int(rng.integers(n // 5, 4 * n // 5 + 1))
        cases.append((float(np.clip(k / n + rng.normal(0, 1 / math.sqrt(n)), 0, 1)), n, k))
    for p, n, k in cases:
        name = f"binomial_likelihood({p!r}, {n}, {k})"
        hint = _("in {name}: {hint}").format(name=name, hint=use_logs())
        with hints(OverflowError=hint, ValueError=hint, ZeroDivisionError=hint):
            value = submission.binomial_likelihood(p, n, k)
        expected = likelihood.binomial_likelihood(p, n, k)
        if not np.all(np.isfinite(as_numbers(value, name))):
            raise AssertionError(_("{name} = {value}; expected {expected} ({hint})").format(
                name=name, value=fmt(value), expected=fmt(expected), hint=use_logs()))
        assert_close(value, expected, name=name)


def boundary_cases(function_name, expected_of):
    """(label, p, n, k, expected) at p = 0 and p = 1 for small and large n."""
    cases = []
    for n in (1, 2, 7, 100, 10_000):
        seen = set()
        for p, k in ((0.0, 0), (1.0, n), (0.0, 1), (0.0, n // 2 or 1), (0.0, n), (1.0, 0), (1.0, n // 2), (1.0, n - 1)):
            if (p, k) in seen:
                continue  # small n repeats some pairs
            seen.add((p, k))
            zero_power = (p == 0.0 and k == 0) or (p == 1.0 and k == n)
            label = f"{function_name}({p:g}, {n}, {k})" + (" (0**0 == 1)" if zero_power else "")
            cases.append((label, p, n, k, expected_of(zero_power)))
    return cases


@pytest.mark.points(1)
def test_likelihood_at_the_boundaries(submission, partial_credit):
    """binomial_likelihood is 1 or 0 at p = 0 and p = 1 (0**0 == 1), never nan"""
    cases = boundary_cases("binomial_likelihood", lambda zero_power: 1.0 if zero_power else 0.0)

    def check(label, p, n, k, expected):
        return lambda: assert_close(submission.binomial_likelihood(p, n, k), expected, name=label)

    credit_cases([(case[0], check(*case)) for case in cases], partial_credit)


@pytest.mark.points(1)
def test_log_likelihood_on_random_cases(submission):
    """binomial_log_likelihood against the reference for n from 1 to 10 000 and p anywhere in (0, 1)"""
    cases = [*binomial_cases(seed=13, count=30, n_low=1, n_high=200),
             *binomial_cases(seed=14, count=30, n_low=1_000, n_high=10_000)]
    for p, n, k in cases:
        call = f"binomial_log_likelihood({p!r}, {n}, {k})"
        expected = likelihood.binomial_log_likelihood(p, n, k)
        with hints(OverflowError=_("in {name}: {hint}").format(name=call, hint=use_logs()),
                   ValueError=_("in {name}, whose value is {expected}: {hint}").format(
                       name=call, expected=f"{expected:.10g}", hint=log_directly())):
            value = submission.binomial_log_likelihood(p, n, k)
        if np.any(np.isneginf(as_numbers(value, call))):
            raise AssertionError(_("{name} = -inf; expected {expected} ({hint})").format(
                name=call, expected=f"{expected:.10g}", hint=log_directly()))
        assert_close(value, expected, name=_("{name} (the natural log)").format(name=call))


@pytest.mark.points(1)
def test_log_likelihood_at_the_boundaries(submission, partial_credit):
    """binomial_log_likelihood is 0 where L = 1 and -inf (not nan, not 0) where L = 0"""
    cases = boundary_cases("binomial_log_likelihood", lambda zero_power: 0.0 if zero_power else -math.inf)

    def check(label, p, n, k, expected):
        def run():
            value = submission.binomial_log_likelihood(p, n, k)
            if expected == -math.inf:
                assert_close(value, expected,
                             name=_("{label} (the likelihood is 0 there, so -inf)").format(label=label))
            else:
                assert_close(value, expected, name=label)
        return run

    credit_cases([(case[0], check(*case)) for case in cases], partial_credit)


# --- 3. the maximum -------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_mle_ratio(submission):
    """mle_ratio(n, k) is k/n (the white ratio), for random n and k including k = 0 and k = n"""
    rng = np.random.default_rng(21)
    cases = [(100, 70), (10, 0), (10, 10), (3, 1)]
    for _draw in range(20):
        n = int(rng.integers(1, 10_001))
        cases.append((n, int(rng.integers(0, n + 1))))
    for n, k in cases:
        assert_close(submission.mle_ratio(n, k), k / n, name=f"mle_ratio({n}, {k})")


def assert_grid_maximum(answer, n, k, num):
    """``answer`` is a point of np.linspace(0, 1, num) whose likelihood is the largest (any of a tie)."""
    call = f"grid_argmax({n}, {k}" + (f", num={num})" if num is not None else ")")
    num = 1001 if num is None else num
    grid = np.linspace(0.0, 1.0, num)
    log_values = likelihood.binomial_log_likelihood(grid, n, k)
    best = int(np.argmax(log_values))
    value = np.ravel(as_numbers(answer, call))
    assert value.size == 1, _("{name} should be one number p, got {answer}").format(name=call, answer=fmt(answer))
    p = float(value[0])
    if float(p).is_integer() and p > 1:
        raise AssertionError(_("{name} = {answer}; expected p = {expected}: "
                               "return the value grid[i], not the index i (here {best})").format(
            name=call, answer=fmt(answer), expected=fmt(grid[best]), best=best))
    nearest = int(np.argmin(np.abs(grid - p)))
    # the contract's default tolerance: a float32 (or a grid built as i / (num - 1)) within rounding is that point
    assert math.isclose(p, grid[nearest], rel_tol=1e-6, abs_tol=1e-9), \
        _("{name} = {answer} is not a point of np.linspace(0, 1, {num}); expected {expected}").format(
            name=call, answer=fmt(answer), num=num, expected=fmt(grid[best]))
    tie = log_values[nearest] == log_values[best] or \
        math.isclose(log_values[nearest], log_values[best], rel_tol=1e-12, abs_tol=1e-12)
    assert tie, _("{name} = {answer}; expected {expected}, where the likelihood is larger").format(
        name=call, answer=fmt(answer), expected=fmt(grid[best]))


@pytest.mark.points(1)
def test_grid_argmax(submission, partial_credit):
    """grid_argmax returns the p of np.linspace(0, 1, num) with the largest likelihood, default num=1001"""
    rng = np.random.default_rng(22)
    cases = [(100, 70, None), (3, 1, None), (1000, 123, None), (10, 0, None), (10, 10, None),
             (100, 70, 7), (3, 1, 101), (2, 1, 4), (50, 17, 11), (400, 399, 1001)]
    for _draw in range(6):
        n = int(rng.integers(1, 1_001))
        cases.append((n, int(rng.integers(0, n + 1)), int(rng.choice([5, 21, 100, 257, 1001]))))

    def check(n, k, num):
        def run():
            answer = submission.grid_argmax(n, k) if num is None else submission.grid_argmax(n, k, num)
            assert_grid_maximum(answer, n, k, num)
        return run

    credit_cases([(f"n={n}, k={k}, num={num or _('default')}", check(n, k, num)) for n, k, num in cases],
                   partial_credit)


# --- 4. logistic regression -----------------------------------------------------------------------


def assert_log_likelihood(value, w, X, y, name):
    """Compare with the reference; when the value is a known slip (transposed X, the loss, the mean), say so."""
    expected = logistic.log_likelihood(w, X, y)
    try:
        assert_close(value, expected, name=name)
    except AssertionError as wrong:
        got = np.ravel(as_numbers(value, name))
        slips = [(_("the value for -L(w), the loss; the log-likelihood itself is a sum of logs, <= 0"), -expected),
                 (_("the mean over the samples; L(w) is their sum"), expected / len(y))]
        if X.shape[0] == X.shape[1]:
            slips.append((_("the value for X transposed; {hint}").format(hint=rows_are_samples()),
                          logistic.log_likelihood(w, X.T, y)))
        for hint, slip in slips:
            if got.size == 1 and math.isclose(got[0], slip, rel_tol=1e-6, abs_tol=1e-9):
                raise AssertionError(_("{message} — {value} is {hint}").format(message=wrong, value=fmt(got[0]),
                                                                               hint=hint)) from None
        raise


@pytest.mark.points(1)
def test_logistic_on_random_data(submission):
    """logistic_log_likelihood against the reference on random data: N != D, N = D, N = 1"""
    rng = np.random.default_rng(31)
    shapes = [(4, 4), (3, 3), (20, 3), (7, 1), (1, 4), (35, 5), (12, 2)]  # square first: a transpose gives a value
    for N, D in shapes:
        X = rng.normal(size=(N, D))
        X[:, 0] = 1.0 if D > 1 else X[:, 0]  # a bias column where there is room for one
        w, y = rng.normal(scale=1.5, size=D), rng.integers(0, 2, size=N)
        with hints(ValueError=_("{hint}; here N={N}, D={D}").format(hint=rows_are_samples(), N=N, D=D)):
            value = submission.logistic_log_likelihood(w, X, y)
        assert_log_likelihood(value, w, X, y, name=_("L(w) for X of shape (N, D) = ({N}, {D})").format(N=N, D=D))


@pytest.mark.points(2)
def test_logistic_for_logits_up_to_800(submission, partial_credit):
    """logistic_log_likelihood stays finite and accurate for logits up to ±800, labels right or wrong"""
    rng = np.random.default_rng(32)
    X_mixed = rng.normal(size=(25, 3))
    X_mixed[:, 0] = 1.0
    w_mixed = np.array([2.0, -250.0, 300.0])  # logits of several hundred, both signs
    cases = [
        (_("logits +800 and -800, both labelled right (L ≈ 0)"), [1.0], [[800.0], [-800.0]], [1, 0]),
        (_("logits +800 and -800, both labelled wrong (L = -1600)"), [1.0], [[800.0], [-800.0]], [0, 1]),
        (_("logits +40 and -40 labelled right (1 - p rounds to 0)"), [1.0], [[40.0], [-40.0]], [1, 0]),
        (_("logits +40 and -40 labelled wrong"), [1.0], [[40.0], [-40.0]], [0, 1]),
        (_("one sample, logit -800, y = 1"), [2.0, -1.0], [[-300.0, 200.0]], [1]),
        (_("logits -100 to 100 in steps of 25"), [1.0], [[z] for z in range(-100, 101, 25)],
         [0, 1, 0, 1, 1, 0, 1, 0, 1]),
        (_("25 samples, logits of several hundred, random labels"), w_mixed, X_mixed, rng.integers(0, 2, size=25)),
    ]

    def check(label, w, X, y):
        w, X, y = np.asarray(w, dtype=float), np.asarray(X, dtype=float), np.asarray(y)

        def run():
            with hints(ValueError=_("{hint}; here N={N}, D={D}").format(hint=rows_are_samples(), N=X.shape[0],
                                                                         D=X.shape[1])):
                value = submission.logistic_log_likelihood(w, X, y)
            assert_log_likelihood(value, w, X, y, name=_("L(w) for {label}").format(label=label))
        return run

    credit_cases([(case[0], check(*case)) for case in cases], partial_credit)
