"""Submissions on disk: discovery, notebooks, IPython syntax, and files that cannot be run."""

import nbformat
import pytest

from grader.loader import LoadError, discover, from_folder, neutralize_magics, read_cells


def test_discover_finds_folders_and_flat_files(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "hw3.ipynb").write_text("{}")
    (tmp_path / "alice" / "utils.py").write_text("x = 1")
    (tmp_path / "bob.py").write_text("x = 1")
    (tmp_path / "bob.ipynb").write_text("{}")
    found = {s.id: s for s in discover(tmp_path, "hw3")}
    assert set(found) == {"alice", "bob"}
    assert found["alice"].main.name == "hw3.ipynb" and len(found["alice"].files) == 2
    assert any("not graded" in w for w in found["bob"].warnings)


def test_magics_and_shell_lines_are_neutralized_not_run():
    source = "%matplotlib inline\n!rm -rf /\nfiles = !ls\nnp.dot?\nfor i in range(2):\n    %time f(i)\nx = 5 % 3"
    out = neutralize_magics(source).split("\n")
    assert out[0].startswith("pass") and out[1].startswith("pass") and out[2].startswith("files = None")
    assert out[3].startswith("pass") and out[5] == "    pass  # (not run) %time f(i)" and out[6] == "x = 5 % 3"
    compile("\n".join(out), "cell", "exec")
    assert neutralize_magics("%%bash\nrm -rf /").startswith("# (not run)")
    assert neutralize_magics("%%time\nx = 1").endswith("x = 1")


def test_notebook_cells_keep_their_numbers(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# title"), nbformat.v4.new_code_cell("a = 1"),
        nbformat.v4.new_code_cell(""), nbformat.v4.new_code_cell("b = 2"),
    ])
    (tmp_path / "hw3.ipynb").write_text(nbformat.writes(notebook))
    cells = read_cells(from_folder(tmp_path, "hw3"))
    assert [(c.index, c.source) for c in cells] == [(2, "a = 1"), (4, "b = 2")]


def test_a_link_out_of_the_submission_is_refused(tmp_path):
    secret = tmp_path / "secret.py"
    secret.write_text("ANSWER = 42")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "hw3.py").symlink_to(secret)
    with pytest.raises(LoadError, match="outside the submission"):
        read_cells(from_folder(tmp_path / "sub", "hw3"))


def test_a_folder_without_the_notebook_or_module_says_so(tmp_path):
    with pytest.raises(LoadError, match="neither hw3.ipynb nor hw3.py"):
        read_cells(from_folder(tmp_path, "hw3"))
