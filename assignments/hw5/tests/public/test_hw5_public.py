"""Public tests of hw5: run them with `grader check hw5`. Expected values are written in; they use small
networks so that they check the conventions without giving away the answers to the question."""

import pytest

from grader.checks import as_numbers, assert_close, describe


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
                 "2·3 + 3 + 3·1 + 1 (weights n_{l-1}·n_l, one bias per neuron after the input)")
    assert_count(submission.count_params((3, 2)), 8, "count_params((3, 2)) (a tuple)", "3·2 + 2")
    assert_count(submission.count_params([1, 1, 1, 1]), 6, "count_params([1, 1, 1, 1])", "3 weights + 3 biases")
    assert_count(submission.count_params([5]), 0, "count_params([5])",
                 "nothing: the input layer has no parameters and there is no layer after it")


@pytest.mark.points(1)
def test_count_params_without_bias(submission):
    """count_params(..., bias=False) counts the weights only"""
    assert_count(submission.count_params([2, 3, 1], bias=False), 9, "count_params([2, 3, 1], bias=False)",
                 "2·3 + 3·1 (weights only)")
    assert_count(submission.count_params([4, 5], bias=False), 20, "count_params([4, 5], bias=False)", "4·5")
    assert_count(submission.count_params([5], bias=False), 0, "count_params([5], bias=False)",
                 "nothing: no layer after the input")


@pytest.mark.points(1)
def test_count_macs_small_networks(submission):
    """count_macs: one multiply-accumulate per weight, none for the bias"""
    assert_count(submission.count_macs([2, 3, 1]), 9, "count_macs([2, 3, 1])",
                 "2·3 + 3·1 (one MAC per weight; adding a bias is not a MAC, and a MAC counts as 1)")
    assert_count(submission.count_macs((4, 5)), 20, "count_macs((4, 5))", "4·5")
    assert_count(submission.count_macs([5]), 0, "count_macs([5])", "nothing: no layer after the input")


@pytest.mark.points(1)
def test_answers_are_whole_numbers_and_growth_is_their_ratio(submission):
    """Q5_PARAMS and Q5_PARAMS_256 are whole numbers; Q5_GROWTH is Q5_PARAMS_256 / Q5_PARAMS"""
    counts = {"Q5_PARAMS": submission.Q5_PARAMS, "Q5_PARAMS_256": submission.Q5_PARAMS_256}
    growth = submission.Q5_GROWTH
    numbers = {}
    for name, value in counts.items():
        number = as_numbers(value, name)
        assert number.size == 1 and float(number.ravel()[0]).is_integer() and number.ravel()[0] > 0, \
            f"{name} should be a positive whole number (a count), got {describe(value)}"
        numbers[name] = float(number.ravel()[0])
    assert_close(growth, numbers["Q5_PARAMS_256"] / numbers["Q5_PARAMS"],
                 name="Q5_GROWTH (should be Q5_PARAMS_256 / Q5_PARAMS)", rtol=1e-3)
