"""Plain-data messages between the trusted grader and a jailed submission.

A frame is ``!II`` (JSON length, blob length), a JSON document, then the raw bytes of every array.
JSON carries only None, bool, int, float, str and lists; everything else is a one-key tag object:

    {"t": [...]}                     tuple
    {"d": [[key, value], ...]}       dict (keys: str, int, float, bool or None)
    {"a": [dtype, shape, off, len]}  ndarray of bool / int / uint / float, bytes in the blob area
    {"h": [id, type_name]}           handle: an object that stays in the jail (the trusted side only
                                     ever sees its id and type name)
    {"c": id}                        callback: a trusted function the jail may call back with plain data

``decode`` is the boundary: it rebuilds fresh objects of exactly these types, checks every size and
never evaluates or unpickles anything. Its caps bound what a reply can cost the grader, whatever it holds:

    MAX_JSON_BYTES  16 MiB of JSON per frame (arrays travel apart, in the blob area, up to the limits'
                    ``reply_mb``)
    MAX_VALUES      1,000,000 values per frame (numbers, strings, lists, dicts, keys; an empty list or dict
                    counts twice). Counted on the raw bytes before anything is built: millions of tiny
                    containers in a few MB would otherwise cost the grader a hundred bytes each, twice.
    MAX_DEPTH       64 levels of nesting

A frame over a cap raises ``TooLarge``. Every string it yields encodes as UTF-8: a lone surrogate (JSON
can carry "\\ud800") becomes U+FFFD, and ``on_replaced`` hears how many were replaced.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

HEADER = struct.Struct("!II")
MAX_DEPTH = 64
MAX_JSON_BYTES = 16 * 2**20
MAX_VALUES = 1_000_000
MAX_BLOB_BYTES = 256 * 2**20
ALLOWED_DTYPES = frozenset(
    np.dtype(t).str for t in ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8")
)
_NUMPY_SCALARS = (np.bool_, np.integer, np.floating)
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_SURROGATE = re.compile("[\ud800-\udfff]")


class WireError(Exception):
    """A frame that breaks the protocol: too large, malformed, or holding a forbidden type."""


class TooLarge(WireError):
    """A well-formed frame over a cap: the submission sent more than a test may receive."""


@dataclass(frozen=True)
class Handle:
    """An object that stayed in the jail; passing it back as an argument hands the original over."""

    id: int
    type_name: str

    def __repr__(self) -> str:
        if self.type_name == "ellipsis":
            return "..."  # the template's placeholder, shown as the student wrote it
        return f"<{self.type_name} object kept in the submission's process>"

    def tag(self) -> dict:
        return {"h": [self.id, self.type_name]}


class Callback:
    """A trusted function offered to the jail for the length of one call."""

    def __init__(self, id: int) -> None:
        self.id = id

    def tag(self) -> dict:
        return {"c": self.id}


def _is_plain_scalar(value: object) -> bool:
    kind = type(value)
    return kind in (bool, int, float, str) or value is None or (
        isinstance(value, _NUMPY_SCALARS) and kind.__module__ == "numpy"
    )


def encode(value: Any, make_handle: Callable[[Any], Any] | None = None) -> tuple[bytes, bytes]:
    """Encode ``value`` as (json, blob). Objects that are not plain data go through ``make_handle``
    (jail side: keep the object, send its handle) or raise WireError when it is None."""
    blobs: list[bytes] = []
    offset = 0

    def walk(item: Any, depth: int) -> Any:
        nonlocal offset
        if depth > MAX_DEPTH:
            raise WireError(f"data nested deeper than {MAX_DEPTH} levels")
        kind = type(item)
        if item is None or kind in (bool, int, float, str):
            return item
        if isinstance(item, _NUMPY_SCALARS) and kind.__module__ == "numpy":
            return item.item()
        if kind is list:
            return [walk(x, depth + 1) for x in item]
        if kind is tuple:
            return {"t": [walk(x, depth + 1) for x in item]}
        if kind is dict and all(_is_plain_scalar(k) for k in item):
            return {"d": [[walk(k, depth + 1), walk(v, depth + 1)] for k, v in item.items()]}
        if kind is np.ndarray and item.dtype.kind in "biuf" and item.dtype.names is None:
            array = item if item.dtype.itemsize <= 8 else item.astype(np.float64)
            data = np.ascontiguousarray(array).tobytes()
            blobs.append(data)
            tag = {"a": [array.dtype.str, list(array.shape), offset, len(data)]}
            offset += len(data)
            return tag
        if isinstance(item, (Handle, Callback)):
            return item.tag()
        if make_handle is None:
            raise WireError(f"cannot send a {kind.__name__} object")
        return make_handle(item).tag()

    document = json.dumps(walk(value, 0), allow_nan=True, separators=(",", ":")).encode()
    return document, b"".join(blobs)


def decode(
    document: bytes,
    blob: bytes | memoryview,
    resolve_handle: Callable[[int, str], Any] = Handle,
    resolve_callback: Callable[[int], Any] | None = None,
    on_replaced: Callable[[int], None] | None = None,
) -> Any:
    """Rebuild a value from (json, blob) as fresh plain objects, checking every tag and size.
    ``on_replaced`` is called with the number of characters replaced by U+FFFD, when there were any."""
    if count_values(document) > MAX_VALUES:
        raise TooLarge(f"the submission's reply holds more than {MAX_VALUES:,} values (numbers, strings, lists, "
                       "dicts); send large data as numpy arrays")
    try:
        tree = json.loads(document)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"malformed data: {type(exc).__name__}") from None
    replaced = 0

    def text(item: str) -> str:
        nonlocal replaced
        if item.isascii() or not _SURROGATE.search(item):
            return item
        item, count = _SURROGATE.subn("\ufffd", item)
        replaced += count
        return item

    def walk(item: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise TooLarge(f"the submission's reply is nested deeper than {MAX_DEPTH} levels")
        kind = type(item)
        if kind is str:
            return text(item)
        if item is None or kind in (bool, int):
            return item
        if kind is float:
            return float(item)
        if kind is list:
            return [walk(x, depth + 1) for x in item]
        if kind is not dict or len(item) != 1:
            raise WireError("malformed data: unexpected object")
        (tag, body), = item.items()
        if tag == "t" and type(body) is list:
            return tuple(walk(x, depth + 1) for x in body)
        if tag == "d" and type(body) is list:
            result = {}
            for pair in body:
                if type(pair) is not list or len(pair) != 2:
                    raise WireError("malformed dict entry")
                key = walk(pair[0], depth + 1)
                if not (key is None or type(key) in (bool, int, float, str)):
                    raise WireError("dict keys must be numbers or strings")
                result[key] = walk(pair[1], depth + 1)
            return result
        if tag == "a" and type(body) is list and len(body) == 4:
            return _array(body, blob)
        if tag == "h" and type(body) is list and len(body) == 2 and type(body[0]) is int:
            return resolve_handle(body[0], text(str(body[1])[:200]))
        if tag == "c" and type(body) is int and resolve_callback is not None:
            return resolve_callback(body)
        raise WireError(f"malformed data: unknown tag {str(tag)[:20]!r}")

    value = walk(tree, 0)
    if replaced and on_replaced is not None:
        on_replaced(replaced)
    return value


def count_values(document: bytes) -> int:
    """At least the number of values in a JSON document, in linear time and without parsing it: every
    value is the first of its container or follows a comma or a colon, so opening brackets, commas and
    colons outside strings, plus one, bound it (an empty container's slot counts in vain)."""

    def marks(data: bytes) -> int:
        return data.count(b"[") + data.count(b"{") + data.count(b",") + data.count(b":")

    count = marks(document) + 1
    if count > MAX_VALUES:  # strings may hold any of these: count again without them
        count = marks(_JSON_STRING.sub(b"", document)) + 1
    return count


def _array(body: list, blob: bytes | memoryview) -> np.ndarray:
    dtype_str, shape, offset, length = body
    if type(dtype_str) is not str or dtype_str not in ALLOWED_DTYPES:
        raise WireError(f"arrays of dtype {str(dtype_str)[:20]!r} are not accepted")
    if type(shape) is not list or len(shape) > 32 or any(type(n) is not int or n < 0 for n in shape):
        raise WireError("malformed array shape")
    if type(offset) is not int or type(length) is not int or offset < 0 or offset + length > len(blob):
        raise WireError("malformed array data")
    dtype = np.dtype(dtype_str)
    if math.prod(shape) * dtype.itemsize != length:
        raise WireError("array size does not match its shape")
    return np.frombuffer(blob, dtype=dtype, count=length // dtype.itemsize, offset=offset).reshape(shape).copy()


class Channel(Protocol):
    """What frames travel over: a connected socket, or ``Pipes``."""

    def sendall(self, data: bytes, /) -> None: ...

    def recv_into(self, buffer: memoryview, /) -> int: ...


class Pipes:
    """A pair of pipe ends used like a connected socket, where AF_UNIX sockets cannot be passed (Windows)."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd, self.write_fd = read_fd, write_fd

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.write_fd, view):]

    def recv_into(self, buffer: memoryview) -> int:
        data = os.read(self.read_fd, len(buffer))
        buffer[:len(data)] = data
        return len(data)


def send(sock: Channel, document: bytes, blob: bytes = b"") -> None:
    sock.sendall(HEADER.pack(len(document), len(blob)) + document)
    if blob:
        sock.sendall(blob)


def recv_exact(sock: Channel, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError("connection closed")
        got += n
    return bytes(buffer)


def recv(sock: Channel, max_blob: int = MAX_BLOB_BYTES) -> tuple[bytes, bytes]:
    json_len, blob_len = HEADER.unpack(recv_exact(sock, HEADER.size))
    if json_len > MAX_JSON_BYTES or blob_len > max_blob:
        raise WireError(f"a reply of {(json_len + blob_len) / 2**20:.0f} MiB is over the size limit")
    return recv_exact(sock, json_len), recv_exact(sock, blob_len)
