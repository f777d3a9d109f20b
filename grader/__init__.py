"""Auto-grading for a course on back-propagation neural networks.

Student code runs in a separate, limited process; instructors' pytest tests see it through a proxy
that returns only plain data. ``grader.check("hw3")`` grades the notebook you are editing.
"""

from __future__ import annotations

__version__ = "0.1.0"


def check(assignment: str, path: str | None = None):
    """Run the public tests of ``assignment`` on your saved notebook or module and show the results."""
    from grader.grading.check import check_in_notebook

    return check_in_notebook(assignment, path)
