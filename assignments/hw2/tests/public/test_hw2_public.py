"""Public tests of hw2: run them with `grader check hw2`. Expected values are written in.

The small example used throughout: three samples as rows, the first column is the bias.
"""

import numpy as np
import pytest
from hw2_helpers import number

from grader.checks import as_numbers, assert_close, describe, fmt

X = [[1.0, 2.0], [1.0, -1.0], [1.0, 0.0]]
Y = [1, 0, 1]
W = [0.5, -0.25]
N, D = 3, 2


def assert_sum(actual, expected, name, **kwargs):
    """assert_close, first naming a mean over the N samples where the contract asks for a sum."""
    try:
        mean = np.asarray(actual, dtype=float).reshape(np.shape(expected)) * N
    except (TypeError, ValueError):
        mean = None
    if mean is not None and np.allclose(mean, expected, rtol=1e-6, atol=1e-9):
        pytest.fail(f"{name} = {describe(actual)} is the mean over the {N} samples; J and its gradient are sums "
                    f"over the samples: expected {fmt(expected)}")
    assert_close(actual, expected, name=name, **kwargs)


@pytest.mark.points(1)
def test_sigmoid_examples(submission):
    """sigmoid of a number and of arrays, shape kept"""
    assert_close(submission.sigmoid(0.0), 0.5, name="sigmoid(0)")
    assert_close(submission.sigmoid(np.array([-2.0, 0.0, 1.0, 3.0])),
                 [0.11920292202211755, 0.5, 0.7310585786300049, 0.9525741268224334], name="sigmoid([-2, 0, 1, 3])")
    assert_close(submission.sigmoid(np.zeros((2, 3))), np.full((2, 3), 0.5), name="sigmoid(zeros((2, 3)))",
                 convention="the same shape as z")


@pytest.mark.points(1)
def test_loss_example_is_a_sum(submission):
    """logistic_loss on the small example: J is a sum over the samples"""
    loss = number(submission.logistic_loss(np.array(W), np.array(X), np.array(Y)), "logistic_loss")
    assert_sum(loss, 2.3040951708549517, name="logistic_loss")
    assert_sum(number(submission.logistic_loss(np.zeros(D), np.array(X), np.array(Y)), "logistic_loss"), N * np.log(2),
               name="logistic_loss at w = 0 (N ln 2)")


@pytest.mark.points(1)
def test_gradient_example(submission):
    """logistic_gradient on the small example: Σ (p - y) x with shape (D,)"""
    gradient = submission.logistic_gradient(np.array(W), np.array(X), np.array(Y))
    assert_sum(gradient, [-0.19836196962275243, -1.679178699175393], name="logistic_gradient",
               convention="(D,), the same shape as w")


@pytest.mark.points(1)
def test_taylor_and_predicted_change(submission):
    """taylor_first_order is J + gᵀΔw; predicted_change is -α‖g‖²"""
    g = np.array([3.0, -4.0])
    assert_close(number(submission.taylor_first_order(2.0, g, np.array([0.1, 0.2])), "taylor_first_order"), 1.5,
                 name="taylor_first_order(2, [3, -4], [0.1, 0.2])")
    assert_close(number(submission.predicted_change(g, 0.1), "predicted_change"), -2.5,
                 name="predicted_change([3, -4], 0.1)")


@pytest.mark.points(1)
def test_steepest_descent_direction_example(submission):
    """steepest_descent_direction is -g/‖g‖; a zero gradient gives zeros"""
    assert_close(submission.steepest_descent_direction(np.array([3.0, -4.0])), [-0.6, 0.8],
                 name="steepest_descent_direction([3, -4])")
    assert_close(submission.steepest_descent_direction(np.zeros(3)), [0.0, 0.0, 0.0],
                 name="steepest_descent_direction(zeros(3))")


@pytest.mark.points(1)
def test_gradient_descent_two_steps(submission):
    """gradient_descent: two steps from zeros and from w0; losses[0] = J(w0), steps + 1 values"""
    result = submission.gradient_descent(np.array(X), np.array(Y), 0.5, 2)
    assert isinstance(result, (list, tuple)) and len(result) == 2, \
        f"gradient_descent should return (w, losses), got {describe(result)}"
    w, losses = result
    losses = as_numbers(losses, "losses").ravel()  # one number per entry, whatever its form
    assert len(losses) == 3, \
        f"losses should hold steps + 1 = 3 values (losses[0] = J(w0) before the first step), got {describe(losses)}"
    assert_sum(losses, [2.0794415416798357, 1.2102405544970374, 1.0009395647867747], name="losses (w0=None)")
    assert_close(w, [0.3541650141738729, 1.086817532430762], name="w after 2 steps (w0=None)",
                 convention="(D,), the same shape as w")
    w, losses = submission.gradient_descent(np.array(X), np.array(Y), 0.5, 2, w0=np.array(W))
    assert_close(as_numbers(losses, "losses").ravel(), [2.3040951708549517, 1.291808701247731, 1.0301901561309563],
                 name="losses (w0=[0.5, -0.25])")
    assert_close(w, [0.5975004855862742, 0.9852940928834086], name="w after 2 steps (w0=[0.5, -0.25])")
