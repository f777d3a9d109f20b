"""Helpers of hw2's public and hidden tests, shipped to students with the public tests."""

from grader.checks import as_numbers, translations

_ = translations(__file__)


def sigmoid_nan():
    return _("not finite: e^{{z}} overflows for large |z|; use e^{{-|z|}}, which never exceeds 1").format()


def large_logits():
    return _("not finite: with logits near ±800, e^{{|z|}} overflows and ln(p) or ln(1 - p) becomes ln 0; "
             "compute -ln σ(z) = ln(1 + e^{{-z}}) stably, e.g. np.logaddexp(0, -z)").format()


def clipped():
    return _("finite but too small: looks like p was clipped (e.g. to [1e-15, 1 - 1e-15]) before the log, which caps "
             "each sample's -ln p near 34.5; a sample with y = 0 and z = 800 contributes ln(1 + e^{{800}}) ≈ 800. "
             "Compute -ln σ(z) = ln(1 + e^{{-z}}) without forming p, e.g. np.logaddexp(0, -z)").format()


def number(value, name):
    """A float from any size-1 answer (3.0, [3.0], [[3.0]] from column-vector code); other shapes unchanged."""
    array = as_numbers(value, name)
    return float(array.ravel()[0]) if array.size == 1 else value
