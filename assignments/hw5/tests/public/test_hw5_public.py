"""Public tests of hw5: run them with `grader check hw5`. Expected values are written in; they use small
networks so that they check the conventions without giving away the answers to the question. The three
numbers are checked for form and against your own count_params only: these tests never print a count of
the digit network, and passing them does not prove the numbers right (your count_params might be wrong
in a way the small networks do not show)."""

import itertools

import numpy as np
import pytest
from hw5_helpers import DIGIT_NET, DIGIT_NET_256, GROWTH_RTOL

from grader.checks import SubmissionRaised, as_numbers, assert_close, credit_cases, describe, translations

_ = translations(__file__)  # the messages below, in the language of the grading run

FORMS = {"list": list, "tuple": tuple, "int64 array": lambda s: np.array(s, dtype=np.int64),
         "int32 array": lambda s: np.array(s, dtype=np.int32)}


def assert_count(got, expected, call, why):
    """A count is a whole number compared exactly (13 and 13.0 are both right); a miss shows the sum."""
    try:
        assert_close(got, expected, name=call, rtol=0, atol=0)
    except AssertionError as error:
        raise AssertionError(f"{error}: {expected} = {why}") from None


@pytest.mark.points(1)
def test_count_params_small_networks(submission):
    """count_params on small networks, biases included"""
    assert_count(submission.count_params([2, 3, 1]), 13, "count_params([2, 3, 1])",
                 _("2·3 + 3 + 3·1 + 1 (weights n_{{l-1}}·n_l, one bias per neuron after the input)").format())
    assert_count(submission.count_params((3, 2)), 8, _("{call} (a tuple)").format(call="count_params((3, 2))"),
                 "3·2 + 2")
    assert_count(submission.count_params([1, 1, 1, 1]), 6, "count_params([1, 1, 1, 1])", _("3 weights + 3 biases"))
    assert_count(submission.count_params([5]), 0, "count_params([5])",
                 _("nothing: the input layer has no parameters and there is no layer after it"))


@pytest.mark.points(1)
def test_count_params_without_bias(submission):
    """count_params(..., bias=False) counts the weights only"""
    assert_count(submission.count_params([2, 3, 1], bias=False), 9, "count_params([2, 3, 1], bias=False)",
                 _("2·3 + 3·1 (weights only)"))
    assert_count(submission.count_params([4, 5], bias=False), 20, "count_params([4, 5], bias=False)", "4·5")
    assert_count(submission.count_params([5], bias=False), 0, "count_params([5], bias=False)",
                 _("nothing: no layer after the input"))


@pytest.mark.points(1)
def test_count_macs_small_networks(submission):
    """count_macs: one multiply-accumulate per weight, none for the bias"""
    assert_count(submission.count_macs([2, 3, 1]), 9, "count_macs([2, 3, 1])",
                 _("2·3 + 3·1 (one MAC per weight; adding a bias is not a MAC, and a MAC counts as 1)"))
    assert_count(submission.count_macs((4, 5)), 20, "count_macs((4, 5))", "4·5")
    assert_count(submission.count_macs([5]), 0, "count_macs([5])", _("nothing: no layer after the input"))


@pytest.mark.points(1)
def test_answers_are_whole_numbers_and_growth_is_their_ratio(submission):
    """Q5_PARAMS and Q5_PARAMS_256 are whole numbers and your own count_params of the statement's networks;
    Q5_GROWTH is Q5_PARAMS_256 / Q5_PARAMS"""
    counts = {"Q5_PARAMS": submission.Q5_PARAMS, "Q5_PARAMS_256": submission.Q5_PARAMS_256}
    growth = submission.Q5_GROWTH
    numbers = {}
    for name, value in counts.items():
        number = as_numbers(value, name)
        assert number.size == 1 and float(number.ravel()[0]).is_integer() and number.ravel()[0] > 0, \
            _("{name} should be a positive whole number (a count), got {value}").format(name=name,
                                                                                        value=describe(value))
        numbers[name] = float(number.ravel()[0])
    ratio = numbers["Q5_PARAMS_256"] / numbers["Q5_PARAMS"]
    values = as_numbers(growth, "Q5_GROWTH").ravel()
    assert values.size == 1, _("Q5_GROWTH should be one number, got {value}").format(value=describe(growth))
    if not np.isclose(values[0], ratio, rtol=GROWTH_RTOL, atol=0):
        hint = (_("it is Q5_PARAMS / Q5_PARAMS_256, the ratio the wrong way round: how many times as many parameters "
                  "is the new count divided by the old") if np.isclose(values[0], 1 / ratio, rtol=GROWTH_RTOL, atol=0)
                else _("compute it from your two counts"))
        pytest.fail(_("Q5_GROWTH is not Q5_PARAMS_256 / Q5_PARAMS within rtol=1e-3 (the values are not shown: they "
                      "are the answer) — {hint}").format(hint=hint))
    check_against_own_count(submission, "Q5_PARAMS", counts["Q5_PARAMS"], DIGIT_NET, "[784, 256, 128, 10]", None)
    inputs_256 = _("it equals your count_params([256, 256, 128, 10]): a 256×256 image has 256·256 = 65536 inputs, "
                   "not 256")
    check_against_own_count(submission, "Q5_PARAMS_256", counts["Q5_PARAMS_256"], DIGIT_NET_256,
                            "[65536, 256, 128, 10]", ([256, 256, 128, 10], inputs_256))


def built_network(sizes):
    """The arrays of a network with these layer sizes, as the lecture shapes them: W (n_l, n_{l-1}), b (n_l, 1)."""
    return [(np.zeros((n_out, n_in)), np.zeros((n_out, 1))) for n_in, n_out in itertools.pairwise(sizes)]


def entries(sizes, bias):
    """How many numbers the built network holds: Σ W.size (+ b.size)."""
    return sum(W.size + (b.size if bias else 0) for W, b in built_network(sizes))


def slip(sizes, bias, got):
    """The usual mistake behind a wrong count, when ``got`` is exactly what that mistake gives."""
    weights = entries(sizes, bias=False)
    neurons, inputs = sum(sizes[1:]), sum(sizes[:-1])
    right = entries(sizes, bias)
    known = [(weights, _("the biases were left out, but bias=True counts one per neuron after the input")),
             (weights + neurons, _("biases were counted although bias=False")),
             (right + sizes[0], _("the input layer got biases too, but it has no parameters")),
             (weights + (inputs if bias else 0),
              _("one bias per input (n_{{l-1}}) instead of one per neuron (n_l)").format()),
             (entries(sizes[:-1], bias), _("the last layer is missing (off by one in the loop?)")),
             (sum(n * n + (n if bias else 0) for n in sizes[1:]),
              _("each W counted as n_l × n_l, not n_l × n_{{l-1}}").format())]
    try:
        values = as_numbers(got, "count").ravel()
    except AssertionError:
        return ""
    number = float(values[0]) if values.size == 1 else None
    return next((_(" — looks like {why}").format(why=why) for value, why in known
                 if value != right and number == value), "")


def shown(sizes, form):
    return {"list": repr(list(sizes)), "tuple": repr(tuple(sizes))}.get(
        form, f"np.array({list(sizes)}, dtype={form.split()[0]})")


def count_case(submission, sizes, form, bias):
    def check():
        try:
            got = submission.count_params(FORMS[form](sizes), bias=bias)
        except SubmissionRaised as error:
            hint = ""
            if form.endswith("array"):
                hint = _(" — count_params must accept a NumPy integer array as well as a list: `if not layer_sizes` "
                         "or `layer_sizes == []` is ambiguous for an array; test len(layer_sizes) instead")
            raise AssertionError(f"{error.message}{hint}") from None
        expected = entries(sizes, bias)
        try:
            assert_close(got, expected, name=_("the result"), rtol=0, atol=0)
        except AssertionError as error:
            arrays = "W.size + b.size" if bias else "W.size"
            raise AssertionError(_("{error}, the Σ {arrays} of the network's arrays W (n_l, n_{{l-1}}), b (n_l, 1)"
                                   "{slip}").format(error=error, arrays=arrays, slip=slip(sizes, bias, got))) from None

    return f"count_params({shown(sizes, form)}, bias={bias})", check


@pytest.mark.points(1)
def test_count_params_matches_the_arrays_in_every_form(submission, partial_credit):
    """count_params equals the entries of the network's arrays, sizes given as a list, tuple or NumPy array"""
    architectures = ([7], [1], [1, 1], [1, 1000, 1], [1000, 1], [3, 1, 1, 1, 1, 1, 4])
    credit_cases([count_case(submission, sizes, form, bias) for bias in (True, False) for sizes in architectures
                  for form in FORMS], partial_credit)


def same_count(answer, own):
    """True when the answer is exactly the student's own count (235146 and 235146.0 alike)."""
    try:
        a, b = as_numbers(answer, "answer").ravel(), as_numbers(own, "count").ravel()
    except AssertionError:
        return False
    return a.size == 1 and b.size == 1 and float(a[0]) == float(b[0])


def check_against_own_count(submission, name, answer, sizes, shape_text, wrong_inputs):
    """``answer`` must be the student's own count_params(sizes); the values are never shown."""
    if same_count(answer, submission.count_params(sizes)):
        return
    if same_count(answer, submission.count_params(sizes, bias=False)):
        hint = _("it equals your count_params({shape}, bias=False): the biases were left out, but every "
                 "layer after the input has one bias per neuron").format(shape=shape_text)
    elif wrong_inputs is not None and same_count(answer, submission.count_params(wrong_inputs[0])):
        hint = wrong_inputs[1]
    else:
        hint = _("one of the two is wrong: recount by hand as Σ n_{{l-1}}·n_l + Σ n_l, or compute the answer with "
                 "count_params({shape})").format(shape=shape_text)
    pytest.fail(_("{name} is not your own count_params({shape}) (the values are not shown: they are the "
                  "answer) — {hint}").format(name=name, shape=shape_text, hint=hint))


