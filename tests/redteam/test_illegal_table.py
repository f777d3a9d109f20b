"""A table that breaks the perceptron's rules after the forced step, ending in a model that does separate
the points: before the fix, the final-model test checked only that FINAL_W/FINAL_B equal the last row and
separate the points, so the illegal table still earned those 2 points (seen by reverting the fix)."""

from __future__ import annotations

from tests.conftest import SOLUTION, statuses

# Row 6 jumps straight to the reference's final model: no perceptron update gets there from row 5.
JUMP = SOLUTION + """
TABLE = list(TABLE[:6]) + [(6, "M1", tuple(FINAL_W), FINAL_B), (7, None, tuple(FINAL_W), FINAL_B)]
"""


def test_a_final_model_earns_nothing_at_the_end_of_an_illegal_table(grade_class):
    results = grade_class({"jump.py": JUMP, "honest.py": SOLUTION})
    jump, honest = results["jump"], results["honest"]
    final = next(t for t in jump.tests if t.nodeid.endswith("test_final_model"))
    assert final.status == "failed" and final.score == 0
    assert "only as the end of a legal table" in final.message and "row 6" in final.message
    assert statuses(honest)["test_final_model"] == "passed" and honest.auto_score == 14
