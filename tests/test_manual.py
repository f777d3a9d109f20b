"""Manual questions: each answer's text is collected as a pending test, and an untouched or missing answer
says so instead of looking like an answer."""

from __future__ import annotations

from tests.conftest import ROOT, SOLUTION

TEMPLATE = (ROOT / "assignments" / "hw3" / "template" / "hw3.py").read_text(encoding="utf-8")


def manual_test(result):
    (test,) = [t for t in result.tests if t.kind == "manual"]
    return test


def test_answer_text_is_collected_pending(grade_class):
    results = grade_class({"ann.py": SOLUTION, "bob.py": SOLUTION + '\nQ3_NONSEP = "  有用：口袋算法。 "\n'})
    ann, bob = manual_test(results["ann"]), manual_test(results["bob"])
    assert (ann.status, ann.score, ann.max_score) == ("pending", 0.0, 2.0)
    assert "口袋算法" in ann.answer and ann.message == ""
    assert bob.answer == "有用：口袋算法。"


def test_untouched_missing_and_non_text_answers_are_named(grade_class):
    results = grade_class({
        "tpl.py": TEMPLATE,
        "gone.py": SOLUTION.replace("Q3_NONSEP", "Q3_OTHER"),
        "num.py": SOLUTION + "\nQ3_NONSEP = 42\n",
    })
    assert "placeholder" in manual_test(results["tpl"]).message
    assert manual_test(results["gone"]).message.startswith("no answer:")
    assert "not a text answer" in manual_test(results["num"]).message
    assert all(manual_test(r).status == "pending" and manual_test(r).answer is None for r in results.values())
