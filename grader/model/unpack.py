"""A class handed over as one ``.zip`` (as Canvas and Moodle export it), unpacked safely.

The archive is data from many hands: no member may land outside the target folder, links are not
created, and caps on the member count, the unpacked size and each member's compression ratio stop a
zip bomb with a clear error before anything fills the disk. The caps hold because ``zipfile`` never
returns more bytes than a member's header declares (it stops there and fails the CRC check).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import zipfile
import zlib
from pathlib import Path

from grader.model.discovery import ClassFolder, Skipped, survey
from grader.model.loader import printable

UNPACKED = ".unpacked"  # OUT/.unpacked: see unpack_class
MAX_MEMBERS = 50_000
MAX_UNPACKED_BYTES = 2 * 2**30
MAX_RATIO = 100  # text and notebooks compress 3-20 times; a bomb's members around 1000 times
RATIO_FLOOR = 2**20  # small members may compress far better (a file of blanks) and cannot fill a disk
UTF8_FLAG = 0x800
DRIVE = re.compile(r"^[A-Za-z]:")
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)  # RuntimeError: encrypted


class UnsafeArchive(ValueError):
    """The archive is refused as a whole: it is over a cap, or it is not a readable zip."""


class _Skip(Exception):
    """One member is not unpacked; the message says why."""


def unpack_class(archive: Path, out: Path, assignment: str) -> ClassFolder:
    """Unpack ``archive`` into ``OUT/.unpacked`` (replacing what an earlier run left there) and survey it.

    The output folder, not a private temporary one, because what was graded must stay reachable:
    Dask workers on other machines read the submissions from a path they share with this one
    (``OUT`` is the folder the instructor chose, and can put on a shared disk, unlike ``/tmp``), and
    ``--db`` (file times) and ``grader feedback hwN OUT OUT/.unpacked`` read them after the run. The
    space it takes is also where the instructor looks, not hidden in ``/tmp``.

    Skipped members are listed with the skipped entries of the class. A zip whose only folder holds
    the class (``hw3-submissions/<id>/...``) is unwrapped. LMS file names are not parsed: each
    top-level entry is a student, as in a class folder.
    """
    target = Path(out) / UNPACKED
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    try:
        skipped = extract(archive, target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    found = _unwrapped(survey(target, assignment), assignment)
    found.skipped[:0] = skipped
    return found


def extract(archive: Path, target: Path) -> list[Skipped]:
    """Unpack every safe member of ``archive`` into the empty folder ``target``; the rest are returned."""
    try:
        zipped = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:  # a name flagged UTF-8 that is not
        raise UnsafeArchive(f"{archive} is not a readable zip archive ({exc})") from None
    target = Path(target).resolve()
    skipped = []
    with zipped:
        members = zipped.infolist()
        _check_caps(Path(archive).name, members)
        written: set[Path] = set()
        for info in members:
            name = member_name(info)
            try:
                _extract_member(zipped, info, name, target, written)
            except _Skip as skip:
                skipped.append(Skipped(printable(name), str(skip)))
    return skipped


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as text. Without the UTF-8 flag it is in whatever the zipping machine used:
    UTF-8 (most tools today, flagged or not), else GBK (Windows set to Chinese), else CP437 (the zip
    format's own, which can decode any bytes). A CP437 name that also happens to be valid GBK reads
    as GBK: for this course's students that is the likelier reading."""
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename
    raw = info.orig_filename.encode("cp437")  # zipfile decoded the bytes as CP437: this gives them back
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp437")


def _check_caps(shown: str, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnsafeArchive(f"{shown} holds {len(members)} members, over the limit of {MAX_MEMBERS}")
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED_BYTES:
        raise UnsafeArchive(f"{shown} would unpack to {total / 2**20:.0f} MB, over the limit of "
                            f"{MAX_UNPACKED_BYTES // 2**20} MB")
    for info in members:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            raise UnsafeArchive(
                f"{shown} looks like a zip bomb: {printable(member_name(info))} would grow from "
                f"{info.compress_size} bytes to {info.file_size / 2**20:.0f} MB, over {MAX_RATIO} times its size")


def _safe_parts(name: str) -> list[str]:
    """The member's path as folder names, refused if it could lead outside the target."""
    path = name.replace("\\", "/")  # some Windows tools write backslashes
    if "\0" in path:
        raise _Skip("the name holds a NUL character")
    if path.startswith("/") or DRIVE.match(path):
        raise _Skip("an absolute path: not unpacked")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _Skip("a path with '..' that leads out of the archive: not unpacked")
    return parts


def _extract_member(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, target: Path,
                    written: set[Path]) -> None:
    parts = _safe_parts(name)
    if not parts:
        return
    destination = target.joinpath(*parts)
    if not destination.resolve().is_relative_to(target):  # the guarantee, whatever the name
        raise _Skip("leads outside the folder it is unpacked into: not unpacked")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _Skip("a symbolic link: not created")
    try:
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            return
        if destination in written:
            raise _Skip("a second member of the same name: the first was kept")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zipped.open(info) as source, open(destination, "xb") as copy:
            written.add(destination)
            shutil.copyfileobj(source, copy, 1 << 20)
    except (OSError, *UNREADABLE) as exc:
        if destination in written:  # a partial copy is never graded
            destination.unlink(missing_ok=True)
            written.discard(destination)
        raise _Skip(f"could not be written ({exc.strerror})" if isinstance(exc, OSError)
                    else f"damaged or unreadable in the archive ({exc})") from None
    # The zip's time (local time where it was zipped) becomes the file's: deadlines may read file times.
    when = time.mktime((*info.date_time, 0, 0, -1))
    os.utime(destination, (when, when))


def _unwrapped(found: ClassFolder, assignment: str) -> ClassFolder:
    """A class zipped as one folder: the class is that folder's content. A lone folder holding the
    assignment's main file is one student, not a wrapper."""
    match found.submissions:
        case [only] if only.main is None and only.root != found.root:
            inner = survey(only.root, assignment)
            wrapper = printable(only.root.name)
            inner.skipped = found.skipped + [Skipped(f"{wrapper}/{s.entry}", s.reason) for s in inner.skipped]
            return inner
    return found
