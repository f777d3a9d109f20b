"""Public tests of hw1: run them with `grader check hw1`.

They check the form of every answer, the lecture's own numbers, and rules any right answer obeys: the likelihood
for n up to 10 000 against the formula ln L = ln C(n, k) + k ln p + (n - k) ln(1 - p) evaluated here with
math.lgamma, your binomial_likelihood against the exp of your own binomial_log_likelihood, and grid_argmax against
the grid np.linspace(0, 1, num) built here. The hidden tests check the same functions on many more inputs and
check the choices themselves (the public tests check only that each choice is one of the offered letters).
"""

import math

import numpy as np
import pytest

from grader.checks import SubmissionRaised, as_numbers, assert_close, credit_cases, fmt, translations

_ = translations(__file__)



def rows_are_samples():
    return _("X is (N, D): each row is one sample, so the logits are X @ w")


def use_logs():
    return _("C(n, k) and p**k do not fit in a float for n this large (C(10000, 5000) is about 10**3008); "
             "work with logarithms (math.lgamma, or a sum of logs) and exponentiate at the end")


def log_directly():
    return _("for large n the likelihood underflows to 0 far from k/n while ln L is an ordinary number "
             "such as -2000; compute ln C(n, k) + k ln p + (n - k) ln(1 - p) directly, not the log of L")


def log_at_the_boundary():
    return _("math.log(0) raises: at p = 0 or p = 1 return -math.inf where L = 0, and leave out the term "
             "k ln p when k = 0 (0**0 == 1)")


def log_likelihood_by_the_rule(p, n, k):
    """ln C(n, k) + k ln p + (n - k) ln(1 - p) for 0 < p < 1, with math.lgamma (what the statement asks)."""
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def one_number(value, name):
    """A returned number (scalar, or a list/tuple/array holding one) as a float, or a message saying why not."""
    array = np.ravel(as_numbers(value, name))
    assert array.size == 1, _("{name} should be one number, got {value}").format(name=name, value=fmt(value))
    return float(array[0])


def call(function, *args, name, hint):
    """The student's function called, with a hint added when it raises the error of a known mistake."""
    try:
        return function(*args)
    except SubmissionRaised as raised:
        if raised.type_name in ("OverflowError", "ValueError", "ZeroDivisionError"):
            raise SubmissionRaised(_("{message} (in {name}: {hint})").format(message=raised.message, name=name,
                                                                               hint=hint()), raised.traceback,
                                   raised.type_name) from None
        raise


def assert_letter(answer, name, letters):
    """The form of a choice answer only: one of the offered letters (the right one is checked when grading)."""
    assert isinstance(answer, str), \
        _("{name} should be a one-letter string such as 'A', got {answer}").format(name=name, answer=repr(answer))
    assert answer.strip().upper() in letters, \
        _("{name} = {answer}; it should be one of {letters}").format(name=name, answer=repr(answer),
                                                                     letters=", ".join(letters))


def assert_likelihood_is_exp_of_its_log(submission):
    """Your binomial_likelihood is exp(your binomial_log_likelihood), on small cases and at the boundaries."""
    for p, n, k in ((0.3, 10, 3), (0.9, 20, 1), (0.5, 1, 1), (0.01, 50, 0), (0.999, 7, 7), (0.0, 3, 0), (1.0, 3, 3),
                    (0.0, 3, 1), (1.0, 3, 2)):
        name = f"binomial_likelihood({p}, {n}, {k})"
        value = one_number(submission.binomial_likelihood(p, n, k), name)
        log_value = one_number(submission.binomial_log_likelihood(p, n, k), f"binomial_log_likelihood({p}, {n}, {k})")
        hint = ""
        if math.isnan(log_value) or math.isnan(value):
            hint = _(" — nan: is it 0 * ln 0? The term k ln p is 0 when k = 0 (0**0 == 1), even at p = 0")
        elif log_value == 0.0 and value == 0.0:
            hint = _(" — ln 0 is -inf, not 0")
        elif 0.0 < value < 1.0 and 0.0 < p < 1.0:
            log_comb = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            in_log10 = [math.log10(value), log_comb + (math.log(value) - log_comb) / math.log(10)]
            if any(math.isclose(log_value, guess, rel_tol=1e-6, abs_tol=1e-9) for guess in in_log10):
                hint = _(" — that looks like log10; the statement asks for the natural log ln (math.log)")
        if not hint and log_value > 0.0:
            hint = _(" — ln L is at most 0, since L is a probability (at most 1)")
        assert not (math.isnan(value) or math.isnan(log_value)), \
            _("{name} = {value} and binomial_log_likelihood({p}, {n}, {k}) = {log_value}: neither may be nan"
              "{hint}").format(name=name, value=fmt(value), p=p, n=n, k=k, log_value=fmt(log_value), hint=hint)
        expected = math.exp(log_value) if log_value < 700 else math.inf
        # each may be off by the contract's tolerance, rtol 1e-6 and atol 1e-9; an error of e in ln L is a
        # relative error of about e in exp(ln L), so the agreement asked is within their sum
        rtol = 1e-6 * (2 + abs(log_value)) if math.isfinite(log_value) else 1e-6
        if not math.isclose(value, expected, rel_tol=rtol, abs_tol=1e-9):
            raise AssertionError(_("{name} = {value}, but exp(binomial_log_likelihood({p}, {n}, {k})) = "
                                   "exp({log_value}) = {expected}: L and exp(ln L) should agree "
                                   "(tolerance rtol={rtol}, atol=1e-09){hint}").format(
                name=name, value=fmt(value), p=p, n=n, k=k, log_value=fmt(log_value), expected=fmt(expected),
                rtol=f"{rtol:.2g}", hint=hint))


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
                 name="binomial_log_likelihood(0.7, 100, 70)", convention=_("the natural log, ln L"))
    assert_close(submission.binomial_likelihood(0.5, 4, 2), 0.375, name="binomial_likelihood(0.5, 4, 2)")
    assert_close(submission.binomial_likelihood(0.25, 4, 1), 0.421875, name="binomial_likelihood(0.25, 4, 1)")


@pytest.mark.points(1)
def test_likelihood_at_the_boundaries(submission):
    """at p = 0 and p = 1: 0**0 == 1, and the log of a zero likelihood is -inf; L = exp(ln L) everywhere"""
    assert_close(submission.binomial_likelihood(0.0, 5, 0), 1, name="binomial_likelihood(0, 5, 0) (0**0 == 1)")
    assert_close(submission.binomial_likelihood(1.0, 5, 5), 1, name="binomial_likelihood(1, 5, 5) (0**0 == 1)")
    assert_close(submission.binomial_likelihood(0.0, 5, 2), 0, name="binomial_likelihood(0, 5, 2)")
    assert_close(submission.binomial_likelihood(1.0, 5, 2), 0, name="binomial_likelihood(1, 5, 2)")
    for k, expected in ((0, 0.0), (2, -math.inf)):
        name = f"binomial_log_likelihood(0, 5, {k})"
        value = call(submission.binomial_log_likelihood, 0.0, 5, k, name=name, hint=log_at_the_boundary)
        assert_close(value, expected, name=name + (" (ln 0 = -inf)" if k else _(" (ln 1 = 0, since 0**0 == 1)")))
    assert_likelihood_is_exp_of_its_log(submission)


def check_likelihood_by_the_rule(submission, p, n, k):
    """binomial_likelihood(p, n, k) is finite, in [0, 1], and exp of the rule's ln L (which may round to 0)."""
    name = f"binomial_likelihood({p}, {n}, {k})"
    value = one_number(call(submission.binomial_likelihood, p, n, k, name=name, hint=use_logs), name)
    log_expected = log_likelihood_by_the_rule(p, n, k)
    assert math.isfinite(value), _("{name} = {value}; a likelihood is a number in [0, 1] ({hint})").format(
        name=name, value=fmt(value), hint=use_logs())
    assert 0.0 <= value <= 1.0, _("{name} = {value} is not in [0, 1], so not a probability").format(
        name=name, value=fmt(value))
    rounds = _(", about exp({log}), which rounds to 0").format(log=f"{log_expected:.0f}") if log_expected < -745 else ""
    assert_close(value, math.exp(log_expected), name=f"{name} (= exp(ln C(n, k) + k ln p + (n - k) ln(1 - p)){rounds})")


def check_log_likelihood_by_the_rule(submission, p, n, k):
    """binomial_log_likelihood(p, n, k) is finite and equal to the rule's ln L, also where L rounds to 0."""
    name = f"binomial_log_likelihood({p}, {n}, {k})"
    value = one_number(call(submission.binomial_log_likelihood, p, n, k, name=name, hint=log_directly), name)
    assert math.isfinite(value), _("{name} = {value}; expected a finite number ({hint})").format(
        name=name, value=fmt(value), hint=log_directly())
    assert_close(value, log_likelihood_by_the_rule(p, n, k), name=f"{name} (ln C(n, k) + k ln p + (n - k) ln(1 - p))")


@pytest.mark.points(1)
@pytest.mark.timeout(30)
def test_likelihood_for_large_n(submission, partial_credit):
    """binomial_likelihood and binomial_log_likelihood for n up to 10 000: finite, no overflow, no nan"""
    near = ((0.42, 10_000, 4_200), (0.2475, 10_000, 2_480), (0.61, 8_000, 4_900), (0.35, 2_000, 690))
    far = ((0.3, 10_000, 5_000), (0.9, 10_000, 1_234), (0.5, 1_000, 20))  # L rounds to 0, ln L is a number
    cases = [(f"binomial_likelihood({p}, {n}, {k})",
              lambda p=p, n=n, k=k: check_likelihood_by_the_rule(submission, p, n, k)) for p, n, k in near + far]
    cases += [(f"binomial_log_likelihood({p}, {n}, {k})",
               lambda p=p, n=n, k=k: check_log_likelihood_by_the_rule(submission, p, n, k)) for p, n, k in far]
    credit_cases(cases, partial_credit)


@pytest.mark.points(1)
def test_mle_ratio_of_the_lecture_case(submission):
    """mle_ratio(100, 70) is the white ratio 0.7"""
    assert_close(submission.mle_ratio(100, 70), 0.7, name="mle_ratio(100, 70)")
    assert_close(submission.mle_ratio(4, 1), 0.25, name="mle_ratio(4, 1)")


def log_likelihood_on_the_grid(n, k, grid):
    """ln L(p) for every p of the grid by the rule, with ln L = 0 or -inf at p = 0 and p = 1 (0**0 == 1)."""
    values = []
    for p in grid:
        if p in (0.0, 1.0):
            values.append(0.0 if (p == 0.0 and k == 0) or (p == 1.0 and k == n) else -math.inf)
        else:
            values.append(log_likelihood_by_the_rule(float(p), n, k))
    return np.array(values)


def assert_grid_maximum(answer, n, k, num):
    """``answer`` is a point of np.linspace(0, 1, num) where the likelihood is largest (any of a tie)."""
    name = f"grid_argmax({n}, {k}" + (f", num={num})" if num is not None else ")")
    num = 1001 if num is None else num
    grid = np.linspace(0.0, 1.0, num)
    log_values = log_likelihood_on_the_grid(n, k, grid)
    best = int(np.argmax(log_values))
    p = one_number(answer, name)
    if p.is_integer() and p > 1:
        raise AssertionError(_("{name} = {answer}; expected p = {expected}: "
                               "return the value grid[i], not the index i (here {best})").format(
            name=name, answer=fmt(answer), expected=fmt(grid[best]), best=best))
    nearest = int(np.argmin(np.abs(grid - p)))
    if not math.isclose(p, grid[nearest], rel_tol=1e-6, abs_tol=1e-9):
        hint = ""
        arange = np.arange(0.0, 1.0, 1.0 / num)
        if np.isclose(arange, p, rtol=1e-6, atol=1e-9).any():
            hint = _(": it is a point of np.arange(0, 1, 1/num), which leaves out 1 and has another spacing")
        raise AssertionError(_("{name} = {answer} is not a point of np.linspace(0, 1, {num}){hint}; "
                               "expected {expected}").format(name=name, answer=fmt(answer), num=num, hint=hint,
                                                             expected=fmt(grid[best])))
    tie = log_values[nearest] == log_values[best] or \
        math.isclose(log_values[nearest], log_values[best], rel_tol=1e-12, abs_tol=1e-12)
    if not tie:
        hint = _(" (that is the smallest one: argmin instead of argmax?)") \
            if nearest == int(np.argmin(log_values)) else ""
        raise AssertionError(_("{name} = {answer}; expected {expected}, where the likelihood is larger{hint}").format(
            name=name, answer=fmt(answer), expected=fmt(grid[best]), hint=hint))


@pytest.mark.points(1)
def test_grid_argmax_returns_a_grid_point(submission):
    """grid_argmax returns the p (not its index) of np.linspace(0, 1, num) with the largest likelihood

    The default is num=1001."""
    for n, k, num in ((100, 70, None), (3, 1, None), (100, 70, 5), (500, 123, 101), (9, 4, 6), (7, 5, 2)):
        p = submission.grid_argmax(n, k) if num is None else submission.grid_argmax(n, k, num=num)
        assert_grid_maximum(p, n, k, num)


@pytest.mark.points(1)
def test_logistic_log_likelihood_small_cases(submission):
    """logistic_log_likelihood with rows of X as samples, a sum over samples, and logits of ±800"""
    X = np.array([[1.0, 2.0, 0.5], [1.0, -1.0, 1.5], [1.0, 0.0, -2.0]])  # square: a transposed X gives a wrong value
    value = submission.logistic_log_likelihood(np.array([0.5, -0.25, 1.0]), X, np.array([1, 0, 0]))
    assert_close(value, -3.0256968210796065, name=_("L(w) for N=D=3 ({hint})").format(hint=rows_are_samples()))
    X = np.array([[1.0, 0.5], [1.0, -1.5], [1.0, 2.0], [1.0, 0.0]])  # N = 4 samples, D = 2 (a bias column, a feature)
    value = submission.logistic_log_likelihood(np.array([0.2, -0.7]), X, np.array([1, 0, 1, 0]))
    assert_close(value, -4.534307465854528, name=_("L(w) for N=4, D=2 (a sum over the samples)"))
    value = submission.logistic_log_likelihood(np.array([1.0]), np.array([[800.0], [-800.0]]), np.array([0, 1]))
    assert_close(value, -1600.0, name=_("L(w) for logits +800 with y=0 and -800 with y=1 (each term is -800)"))
