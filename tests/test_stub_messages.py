"""A stub costs the tests that use it, and the message says which stub: a finished function that fails only
because it calls a stub is not called unfinished."""

from tests.conftest import SOLUTION

HEADER = "def perceptron_step(w, b, x, y, eta=1.0):\n"


def test_the_stub_that_raised_is_named(grade_class):
    stubbed = SOLUTION.replace(HEADER, HEADER + "    raise NotImplementedError\n", 1)
    assert stubbed != SOLUTION
    result = grade_class({"a.py": stubbed})["a"]
    messages = {t.message for t in result.tests if t.kind == "auto" and t.status != "passed"}
    assert "perceptron_step() is not implemented yet (it raises NotImplementedError)" in messages
    assert "perceptron_train() could not run: perceptron_step(), which it calls, is not implemented yet" in messages
    assert all(t.status == "failed" for t in result.tests if t.kind == "auto" and t.status != "passed")
    assert result.auto_score > 0  # the table and is_misclassified do not depend on the stub
