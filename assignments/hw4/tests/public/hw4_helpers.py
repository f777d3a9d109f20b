"""Helpers of hw4's public and hidden tests, shipped to students with the public tests."""

from grader.checks import describe, translations

_ = translations(__file__)  # the messages of these helpers: the public tests' catalog

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")  # the hidden activations of the statement
OUTPUT_LOSS = (("sigmoid", "half_sse"), ("identity", "half_sse"), ("softmax", "ce"))  # output layers and their losses
W_CONVENTION = "(n_l, n_{l-1})"
B_CONVENTION = "(n_l, 1)"


def forward_pair(result):
    """forward must return (A_L, cache)."""
    assert isinstance(result, (list, tuple)) and len(result) == 2, \
        _("forward should return a pair (A_L, cache), got {value}").format(value=describe(result))
    return result
