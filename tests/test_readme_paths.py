"""Every file or folder of the package the README names exists: its layout table and architecture
section cannot drift from the tree."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_package_path_the_readme_names_exists():
    named = set(re.findall(r"`((?:grader|reference|bench|tests)/[\w./-]*)`", README))
    named |= {f"grader/{name}" for name in re.findall(r"`grader/\w+/`: ?`?(\w+\.py)", README)}
    named = {p for p in named if "hwN" not in p and not p.startswith(("tests/public", "tests/hidden"))}  # patterns
    assert len(named) > 30
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"the README names {missing}, which do not exist"


def test_every_module_of_the_jails_inside_is_listed():
    listed = set(re.findall(r"`(\w+\.py)`", README.split("all that strict mode copies into the sandbox", 1)[1]
                            .split("\n", 1)[0]))
    present = {p.name for p in (ROOT / "grader/jail/inside").glob("*.py")} - {"__init__.py"}
    assert listed == present
