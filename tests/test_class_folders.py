"""Class folders and class zips as LMSs export them: what is graded, what is skipped and why, archives
that try to escape or explode, names in old encodings, and a batch in which every submission fails
to load for one reason (the setup, not the class)."""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from grader.grading import batch
from grader.grading.grade import grade_folder
from grader.model import unpack
from grader.model.discovery import Skipped, survey
from grader.model.loader import from_folder, read_cells
from grader.model.results import SubmissionResult
from grader.model.unpack import UnsafeArchive, unpack_class
from grader.sinks.results_folder import ResultsFolder, common_load_error, rewrite_results_folder, summary
from tests.conftest import FULL_AUTO, ROOT, SOLUTION, write_class

ASSIGNMENTS = ROOT / "assignments"


def reasons(skipped: list[Skipped]) -> dict[str, str]:
    return {s.entry: s.reason for s in skipped}


# -- class folders ----------------------------------------------------------------------------------
def test_junk_hidden_empty_and_stray_entries_are_skipped_with_their_reasons(tmp_path):
    folder = write_class(tmp_path / "class", {
        "alice/hw3.py": "x = 1", "__MACOSX/alice/._hw3.py": b"\0\5\26\7", "__pycache__/hw3.cpython-311.pyc": b"",
        "finder_only/.DS_Store": b"", "finder_only/sub/Thumbs.db": b"", "finder_only/sub/desktop.ini": "",
        ".hidden.py": "x = 1", ".git/config": "", "notes.txt": "remember", "roster.csv": "id\n", "Thumbs.db": b"",
        "s2.PY": "x = 1", "s3.IPYNB": "{}",
    })
    (folder / "empty" / "deeper").mkdir(parents=True)
    found = survey(folder, "hw3")
    assert [s.id for s in found.submissions] == ["alice", "s2", "s3"]
    skipped = reasons(found.skipped)
    assert set(skipped) == {"__MACOSX", "__pycache__", "finder_only", "empty", ".hidden.py", ".git", "notes.txt",
                            "roster.csv", "Thumbs.db"}
    assert "Mac" in skipped["__MACOSX"] and "cache" in skipped["__pycache__"]
    assert skipped["empty"].startswith("an empty folder") and skipped["finder_only"].startswith("an empty folder")
    assert skipped[".hidden.py"].startswith("hidden") and skipped[".git"].startswith("hidden")
    assert skipped["notes.txt"].startswith("not a submission") and skipped["roster.csv"].startswith("not a submission")
    assert skipped["Thumbs.db"] == "a file the operating system leaves behind"


def test_upper_case_suffixes_are_submissions_with_a_warning(tmp_path):
    folder = write_class(tmp_path / "class", {"s2.PY": "x = 1", "s3.IPYNB": "{}", "s4.Py": "x = 1"})
    found = {s.id: s for s in survey(folder, "hw3").submissions}
    assert found["s2"].warnings == ["s2.PY: the suffix .PY was read as .py"]
    assert found["s3"].warnings == ["s3.IPYNB: the suffix .IPYNB was read as .ipynb"]
    assert (found["s2"].kind, found["s3"].kind, found["s4"].kind) == ("module", "notebook", "module")


def test_a_main_file_named_in_odd_case_is_found_with_a_warning(tmp_path):
    folder = write_class(tmp_path, {"nb/HW3.IPYNB": "{}", "mod/hw3.PY": "x = 1", "both/HW3.py": "y = 2",
                                    "both/hw3.py": "x = 1"})
    notebook = from_folder(folder / "nb", "hw3")
    assert notebook.main.name == "HW3.IPYNB" and notebook.kind == "notebook"
    assert notebook.warnings == ["HW3.IPYNB was read as hw3.ipynb"]
    assert [(c.index, c.source) for c in read_cells(from_folder(folder / "mod", "hw3"))] == [(0, "x = 1")]
    both = from_folder(folder / "both", "hw3")
    assert both.main.name == "hw3.py" and both.warnings == ["both hw3.py and HW3.py were found; hw3.py was graded"]


def test_odd_case_names_are_graded_like_the_usual_ones(grade_class):
    results = grade_class({"s2.PY": SOLUTION, "bob/HW3.PY": SOLUTION})
    assert {sid: r.auto_score for sid, r in results.items()} == {"s2": FULL_AUTO, "bob": FULL_AUTO}
    assert results["s2"].warnings == ["s2.PY: the suffix .PY was read as .py"]


# -- class zips -------------------------------------------------------------------------------------
class RawName(zipfile.ZipInfo):
    """A member whose name is stored as these bytes without the UTF-8 flag, as old zip tools on Windows
    write it (zipfile itself would store any non-ASCII name as flagged UTF-8)."""

    def __init__(self, raw: bytes) -> None:
        super().__init__(raw.decode("cp437"))
        self.raw = raw

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own hook
        return self.raw, self.flag_bits


def make_zip(path: Path, members: dict[str | zipfile.ZipInfo, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def symlink_member(name: str) -> zipfile.ZipInfo:
    """A link as zip stores it: the mode in the external attributes, the target as the content."""
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def test_a_class_zip_is_unpacked_and_its_one_folder_unwrapped(tmp_path):
    archive = make_zip(tmp_path / "class.zip", {
        "hw3-class/alice/hw3.py": "x = 1", "hw3-class/liuyang_12345_67890_hw3.ipynb": "{}",
        "hw3-class/notes.txt": "", "__MACOSX/hw3-class/._notes.txt": b"\0", "hw3-class/empty/": "",
    })
    found = unpack_class(archive, tmp_path / "out", "hw3")
    assert found.root == tmp_path / "out" / ".unpacked" / "hw3-class"
    assert [s.id for s in found.submissions] == ["alice", "liuyang_12345_67890_hw3"]  # LMS names are not parsed
    assert set(reasons(found.skipped)) == {"__MACOSX", "hw3-class/notes.txt", "hw3-class/empty"}
    assert (found.root / "alice" / "hw3.py").read_text() == "x = 1"


def test_a_zip_of_one_student_folder_is_not_unwrapped_and_a_new_zip_replaces_the_old(tmp_path):
    first = unpack_class(make_zip(tmp_path / "a.zip", {"alice/hw3.py": "x = 1", "old.py": ""}), tmp_path / "out", "hw3")
    assert [s.id for s in first.submissions] == ["alice", "old"]
    second = unpack_class(make_zip(tmp_path / "b.zip", {"alice/hw3.py": "x = 2"}), tmp_path / "out", "hw3")
    assert [s.id for s in second.submissions] == ["alice"] and second.root == tmp_path / "out" / ".unpacked"


def test_members_that_would_land_outside_or_link_anywhere_are_not_created(tmp_path):
    archive = make_zip(tmp_path / "class.zip", {
        "../evil.py": "x = 1", "ok/../../evil3.py": "x = 1", "..\\evil2.py": "x = 1", "/tmp/abs_evil.py": "x = 1",
        "C:/evil.py": "x = 1", "c:evil4.py": "x = 1", symlink_member("link.py"): "/etc/passwd",
        symlink_member("bob/hw3.py"): "../../secret.py", "bob/utils.py": "y = 1",
        "alice.py": "x = 1",
    })
    before = set(tmp_path.rglob("*"))
    found = unpack_class(archive, tmp_path / "out", "hw3")
    target = tmp_path / "out" / ".unpacked"
    created = set(tmp_path.rglob("*")) - before
    assert all(path.is_relative_to(target) or path == tmp_path / "out" for path in created), created
    assert not any(path.is_symlink() for path in created)
    assert not Path("/tmp/abs_evil.py").exists()
    skipped = reasons(found.skipped)
    assert skipped["../evil.py"].startswith("a path with '..'") and skipped["ok/../../evil3.py"].startswith("a path")
    assert skipped["..\\evil2.py"].startswith("a path with '..'")
    assert all(skipped[name].startswith("an absolute path")
               for name in ("/tmp/abs_evil.py", "C:/evil.py", "c:evil4.py"))
    assert skipped["link.py"] == skipped["bob/hw3.py"] == "a symbolic link: not created"
    assert [s.id for s in found.submissions] == ["alice", "bob"]
    assert {p.name for p in found.submissions[1].files} == {"utils.py"}


def test_a_zip_bomb_is_refused_before_it_fills_the_disk(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", {"alice.py": "x = 1", "alice/data.npy": b"\0" * (50 * 2**20)})
    assert archive.stat().st_size < 2**20
    with pytest.raises(UnsafeArchive,
                       match=r"looks like a zip bomb: alice/data.npy would grow from \d+ bytes to 50 MB"):
        unpack_class(archive, tmp_path / "out", "hw3")
    assert not (tmp_path / "out" / ".unpacked").exists()


def test_caps_on_members_and_unpacked_size_refuse_the_whole_zip(tmp_path, monkeypatch):
    monkeypatch.setattr(unpack, "MAX_MEMBERS", 5)
    many = make_zip(tmp_path / "many.zip", {f"s{i}.py": "x = 1" for i in range(6)})
    with pytest.raises(UnsafeArchive, match="holds 6 members, over the limit of 5"):
        unpack_class(many, tmp_path / "out", "hw3")
    monkeypatch.setattr(unpack, "MAX_UNPACKED_BYTES", 2**20)
    big = make_zip(tmp_path / "big.zip", {"s1.py": os.urandom(2**20 + 1)})
    with pytest.raises(UnsafeArchive, match="would unpack to 1 MB, over the limit of 1 MB"):
        unpack_class(big, tmp_path / "out", "hw3")
    make_zip(tmp_path / "fits.zip", {f"s{i}.py": "x = 1" for i in range(5)})
    assert len(unpack_class(tmp_path / "fits.zip", tmp_path / "out", "hw3").submissions) == 5


def test_a_file_that_is_not_a_zip_is_a_clear_error(tmp_path):
    (tmp_path / "class.zip").write_text("not a zip")
    with pytest.raises(UnsafeArchive, match="is not a readable zip archive"):
        unpack_class(tmp_path / "class.zip", tmp_path / "out", "hw3")


def test_member_names_are_read_as_utf8_then_gbk_then_cp437(tmp_path):
    archive = make_zip(tmp_path / "class.zip", {
        RawName("张伟.py".encode("gbk")): "x = 1",  # Windows set to Chinese, no UTF-8 flag
        RawName("李娜/hw3.py".encode()): "x = 1",  # UTF-8 without the flag
        RawName("café.py".encode("cp437")): "x = 1",  # neither UTF-8 nor GBK
        "王芳.py": "x = 1",  # zipfile sets the UTF-8 flag itself
    })
    with zipfile.ZipFile(archive) as check:
        assert [bool(i.flag_bits & unpack.UTF8_FLAG) for i in check.infolist()] == [False, False, False, True]
    found = unpack_class(archive, tmp_path / "out", "hw3")
    assert sorted(s.id for s in found.submissions) == sorted(["张伟", "李娜", "café", "王芳"])
    assert (tmp_path / "out" / ".unpacked" / "李娜" / "hw3.py").is_file()


def test_file_times_come_from_the_zip(tmp_path):
    info = zipfile.ZipInfo("alice.py", date_time=(2026, 9, 30, 12, 34, 56))
    found = unpack_class(make_zip(tmp_path / "class.zip", {info: "x = 1"}), tmp_path / "out", "hw3")
    assert found.submissions[0].main.stat().st_mtime == time.mktime((2026, 9, 30, 12, 34, 56, 0, 0, -1))


def test_a_damaged_member_is_skipped_and_the_rest_unpacked(tmp_path):
    archive = make_zip(tmp_path / "class.zip", {"alice.py": "x = 1", "bob.py": "y = 2" * 100})
    data = bytearray(archive.read_bytes())
    offset = data.index(b"bob.py") + len("bob.py") + 5  # inside bob's compressed bytes
    data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))
    found = unpack_class(archive, tmp_path / "out", "hw3")
    assert [s.id for s in found.submissions] == ["alice"]
    assert reasons(found.skipped)["bob.py"].startswith("damaged or unreadable in the archive")
    assert not (found.root / "bob.py").exists()


def test_grade_folder_grades_a_zip_and_writes_its_skips_into_the_summary(tmp_path):
    archive = make_zip(tmp_path / "class.zip", {"export/ann_1_2_hw3.py": SOLUTION, "export/bob/HW3.PY": SOLUTION,
                                                "export/roster.csv": "id\n", "__MACOSX/export/._x": b"\0"})
    graded = grade_folder("hw3", archive, tmp_path / "out", assignments_dir=ASSIGNMENTS)
    assert {r.submission: r.auto_score for r in graded.results} == {"ann_1_2_hw3": FULL_AUTO, "bob": FULL_AUTO}
    assert graded.folder == tmp_path / "out" / ".unpacked" / "export"
    summary = ResultsFolder(tmp_path / "out").skipped()
    assert reasons(summary) == {"__MACOSX": "metadata a Mac adds to archives",
                                "export/roster.csv": reasons(graded.skipped)["export/roster.csv"]}


def test_the_skips_survive_a_rewrite_of_the_results_folder(tmp_path):
    result = SubmissionResult(assignment="hw3", submission="ann", tests=[])
    folder = ResultsFolder(tmp_path)
    folder.write(result)
    folder.finish([result], [Skipped("notes.txt", "not a submission")])
    rewrite_results_folder(tmp_path, [result], [result])  # as manual import and the gradebook do
    assert ResultsFolder(tmp_path).skipped() == [Skipped("notes.txt", "not a submission")]


# -- paths and the batch's outcome -------------------------------------------------------------------
def test_relative_paths_work_from_an_executor_in_another_folder(tmp_path, monkeypatch):
    write_class(tmp_path / "class", {"ann.py": SOLUTION, "bob/hw3.py": SOLUTION})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)

    def remote(jobs, workers, on_result):
        os.chdir(tmp_path / "elsewhere")  # a Dask worker on another machine starts in a folder of its own
        return batch.run_inline(jobs, workers, on_result)

    graded = grade_folder("hw3", Path("class"), Path("out"), assignments_dir=Path(os.path.relpath(ASSIGNMENTS)),
                          executor=remote)
    assert [r.auto_score for r in graded.results] == [FULL_AUTO, FULL_AUTO]
    assert (tmp_path / "out" / "ann.json").is_file() and (tmp_path / "out" / "summary.json").is_file()


def failed(submission: str, *errors: str) -> SubmissionResult:
    return SubmissionResult(assignment="hw3", submission=submission, tests=[],
                            load_errors=[{"where": "submission", "error": e, "traceback": ""} for e in errors])


def shared(results: list[SubmissionResult]) -> str | None:
    return common_load_error(summary(results))


def test_one_load_error_shared_by_every_submission_is_named():
    missing = "neither hw3.ipynb nor hw3.py is in the submission"
    assert shared([failed("ann", missing), failed("bob", missing)]) == missing
    assert shared([failed("ann", "ann.py is empty"), failed("bob", "bob.py is empty")]) == \
        "<submission>.py is empty"
    torch = "ModuleNotFoundError: No module named 'torch'"
    assert shared([failed("ann", "SyntaxError: invalid syntax", torch), failed("bob", torch)]) == torch
    assert shared([failed("a", "/class/a/hw3.py: Permission denied"),
                   failed("b", "/class/b/hw3.py: Permission denied")]) == \
        "/class/<submission>/hw3.py: Permission denied"


def test_different_errors_some_successes_or_a_single_submission_are_the_class_s_own():
    assert shared([failed("ann", "ann.py is empty"), failed("bob", "SyntaxError: invalid syntax")]) is None
    assert shared([failed("ann", "ann.py is empty"), SubmissionResult("hw3", "bob", [])]) is None
    assert shared([failed("ann", "ann.py is empty")]) is None
    assert shared([failed("bo", "bob.py is empty"), failed("ann", "ann.py is empty")]) is None  # not an id
    assert shared([]) is None


def test_a_class_whose_files_are_not_named_for_the_assignment_fails_as_one(tmp_path):
    folder = write_class(tmp_path / "class", {"ann/homework.py": SOLUTION, "bob/homework.py": SOLUTION})
    graded = grade_folder("hw3", folder, tmp_path / "out", assignments_dir=ASSIGNMENTS)
    assert common_load_error(graded.summary) == "neither hw3.ipynb nor hw3.py is in the submission"
    write_class(folder, {"cid/hw3.py": SOLUTION})
    assert common_load_error(grade_folder("hw3", folder, tmp_path / "out", assignments_dir=ASSIGNMENTS).summary) is None
