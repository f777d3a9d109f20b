"""Hidden tests of hw5: counts on seeded random architectures, checked against the reference and against
the arrays the reference network actually allocates; the three numbers of the question. The edge cases (a lone
input layer, widths of 1, one weight layer, in every form) are a public test now, checked against the arrays it
builds itself, so that `grader check` shows a count_params that fails on NumPy arrays."""

import numpy as np
import pytest
from hw5_helpers import DIGIT_NET, DIGIT_NET_256, GROWTH_RTOL

from grader.checks import SubmissionProblem, assert_close, credit_cases, fmt, translations
from reference.counts import allocated_params, count_macs, count_params
from reference.mlp import init_params

# The messages below, in the language of the grading run. Spelled with the keyword: the public tests' line
# `_ = translations(__file__)` would otherwise be this hidden line verbatim, which the release's leak check refuses.
_ = translations(test_file=__file__)

EXACT = {"rtol": 0, "atol": 0}  # counts are whole numbers; 235146.0 is accepted for 235146
FORMS = ("list", "tuple", "int64 array", "int32 array")


def in_form(sizes, form):
    """layer_sizes as the contract allows it: a list, a tuple or a NumPy integer array."""
    return {"list": list, "tuple": tuple, "int64 array": lambda s: np.array(s, dtype=np.int64),
            "int32 array": lambda s: np.array(s, dtype=np.int32)}[form](sizes)


def shown(layer_sizes):
    if isinstance(layer_sizes, np.ndarray):
        return f"np.array({layer_sizes.tolist()}, dtype={layer_sizes.dtype})"
    return repr(layer_sizes)


def random_architectures(seed, count=40):
    """Depth 1-6 (layers after the input), widths 1-1000 with small widths common, every form in turn."""
    rng = np.random.default_rng(seed)
    found = []
    for index in range(count):
        depth = int(rng.integers(1, 7))
        sizes = [int(rng.integers(1, 6)) if rng.random() < 0.3 else int(rng.integers(1, 1001))
                 for _ in range(depth + 1)]
        found.append(in_form(sizes, FORMS[index % len(FORMS)]))
    return found


def arrays_allocated(sizes, bias):
    """What the reference network holds: build it (zeros: only the shapes matter) and count the entries."""
    return allocated_params(init_params([int(n) for n in sizes], method="zeros"), bias=bias)


def expected_params(sizes, bias):
    expected = count_params(sizes, bias=bias)
    assert expected == arrays_allocated(sizes, bias), _("the reference formula disagrees with its own network")
    return expected


def likely_mistake(sizes, bias, got):
    """Name the usual slip behind a wrong count, when the number matches one."""
    sizes = [int(n) for n in sizes]
    weights = count_macs(sizes)
    biases = sum(sizes[1:])
    right = weights + (biases if bias else 0)
    guesses = [
        (weights, _("the biases were left out, but bias=True counts one per neuron after the input")),
        (weights + biases, _("biases were counted although bias=False")),
        (right + sizes[0], _("the input layer got biases too, but biases belong to layers 1..L only")),
        (weights + (sum(sizes[:-1]) if bias else 0),
         _("one bias per input (n_{{l-1}}) instead of one per neuron of the layer (n_l)").format()),
        (count_params(sizes[:-1], bias=bias), _("the last layer is missing (off by one in the loop?)")),
        (count_params(sizes[1:], bias=bias), _("the first layer is missing (off by one in the loop?)")),
    ]
    number = single_number(got)
    for value, hint in guesses:
        if number is not None and value != right and number == value:
            return _(" — looks like {hint}").format(hint=hint)
    return ""


def single_number(value):
    """``value`` as one float, or None when it is not a single number."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(array.ravel()[0]) if array.size == 1 else None


def check_each(cases, partial_credit):
    """Every (call, expected, name, hint) case must give exactly ``expected``; ``hint`` names a likely slip."""

    def check(call, expected, hint):
        got = call()
        try:
            assert_close(got, expected, name=_("the result"), **EXACT)
        except AssertionError as error:
            raise AssertionError(f"{error}{hint(got)}") from None

    credit_cases([(name, lambda c=call, e=expected, h=hint: check(c, e, h)) for call, expected, name, hint in cases],
                 partial_credit)


def params_cases(submission, architectures, bias):
    return [(lambda s=sizes: submission.count_params(s, bias=bias), expected_params(sizes, bias),
             f"count_params({shown(sizes)}, bias={bias})",
             lambda got, s=sizes: likely_mistake(s, bias, got))
            for sizes in architectures]


def macs_hint(sizes, got):
    macs, number = count_macs(sizes), single_number(got)
    if macs and number == count_params(sizes):
        return _(" — the biases were counted, but adding a bias is not a multiply-accumulate")
    if macs and number == 2 * macs:
        return _(" — a multiply and an add were counted separately; one MAC counts as 1")
    return ""


@pytest.mark.points(1)
def test_digit_network_in_every_form(submission, partial_credit):
    """count_params of DIGIT_NET as a list, a tuple and NumPy arrays, with and without bias"""
    architectures = [in_form(DIGIT_NET, form) for form in FORMS]
    check_each(params_cases(submission, architectures, True) + params_cases(submission, architectures, False),
               partial_credit)


@pytest.mark.points(2)
def test_count_params_random_architectures_with_bias(submission, partial_credit):
    """count_params on 40 random architectures (depth 1-6, widths 1-1000), biases included"""
    check_each(params_cases(submission, random_architectures(seed=51), True), partial_credit)


@pytest.mark.points(1)
def test_count_params_random_architectures_without_bias(submission, partial_credit):
    """count_params(..., bias=False) on 40 random architectures: the weights only"""
    check_each(params_cases(submission, random_architectures(seed=52), False), partial_credit)


@pytest.mark.points(2)
def test_count_macs_random_architectures(submission, partial_credit):
    """count_macs on DIGIT_NET, a lone input layer and 40 random architectures"""
    architectures = [in_form(DIGIT_NET, "list"), in_form([9], "tuple"), in_form([9], "int64 array")]
    architectures += random_architectures(seed=53)
    check_each([(lambda s=sizes: submission.count_macs(s), count_macs(sizes), f"count_macs({shown(sizes)})",
                 lambda got, s=sizes: macs_hint(s, got)) for sizes in architectures], partial_credit)


@pytest.mark.points(1)
def test_q5_params(submission):
    """Q5_PARAMS: the parameters of DIGIT_NET = [784, 256, 128, 10]"""
    got = submission.Q5_PARAMS
    expected = expected_params(DIGIT_NET, True)
    try:
        assert_close(got, expected, name="Q5_PARAMS", **EXACT)
    except AssertionError as error:
        raise AssertionError(f"{error}{likely_mistake(DIGIT_NET, True, got)}") from None


@pytest.mark.points(1)
def test_q5_params_256(submission):
    """Q5_PARAMS_256: the same network on 256×256 inputs (65536 inputs)"""
    got = submission.Q5_PARAMS_256
    expected = expected_params(DIGIT_NET_256, True)
    if single_number(got) == count_params([256, 256, 128, 10]):
        raise AssertionError(_("Q5_PARAMS_256 = {got}; expected {expected}: a 256×256 image has "
                               "256·256 = 65536 inputs, not 256").format(got=fmt(got), expected=expected))
    try:
        assert_close(got, expected, name="Q5_PARAMS_256", **EXACT)
    except AssertionError as error:
        raise AssertionError(f"{error}{likely_mistake(DIGIT_NET_256, True, got)}") from None


@pytest.mark.points(1)
def test_q5_growth(submission, partial_credit):
    """Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS (rtol 1e-3); half credit for the ratio of one's own wrong counts"""
    growth = submission.Q5_GROWTH
    expected = expected_params(DIGIT_NET_256, True) / expected_params(DIGIT_NET, True)
    number = single_number(growth)
    if number is not None and np.isclose(number, 1 / expected, rtol=GROWTH_RTOL):
        raise AssertionError(_("Q5_GROWTH = {got} is Q5_PARAMS / Q5_PARAMS_256; the question "
                               "asks how many times as many parameters: Q5_PARAMS_256 / Q5_PARAMS ≈ {expected}").format(
                                   got=fmt(number), expected=f"{expected:.4g}"))
    try:
        assert_close(growth, expected, name="Q5_GROWTH", rtol=GROWTH_RTOL, atol=0)
    except AssertionError as error:
        own = own_ratio(submission)
        if own is not None and number is not None and np.isclose(number, own, rtol=GROWTH_RTOL):
            partial_credit(1, 2)  # carried forward from a wrong count: the ratio itself is right
            raise AssertionError(_("{error}; it is the ratio of your own Q5_PARAMS_256 / Q5_PARAMS, "
                                   "so half the points").format(error=error)) from None
        raise


def own_ratio(submission):
    """The student's Q5_PARAMS_256 / Q5_PARAMS, or None when they are not usable numbers."""
    try:
        top, bottom = single_number(submission.Q5_PARAMS_256), single_number(submission.Q5_PARAMS)
    except SubmissionProblem:  # a stub: no ratio to carry forward
        return None
    return top / bottom if top is not None and bottom else None

