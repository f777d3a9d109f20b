"""Frames made by hypothesis, as a hostile child could send them (built from wire-like JSON, or encoded by
the jail's own encoder and then damaged, so that many damaged frames still decode): ``wire.decode`` either refuses one
with a WireError (a clean problem for that test) or returns plain data of the allowed types only, every
string of it valid UTF-8, and the raw-bytes value count never counts fewer values than JSON holds.

A frame is built from JSON-like data with the wire's tags (and broken ones), text with lone
surrogates, a random blob, then its bytes are damaged or not.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from grader.jail.inside import wire

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SCALARS = (type(None), bool, int, float, str)

texts = st.text(st.characters(categories=["Cs"]) | st.sampled_from("a,[]{}:\"\\é😀"), max_size=6)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | texts
dtypes = st.sampled_from(sorted(wire.ALLOWED_DTYPES) + ["|O", "<U4", "<c16", "V8"]) | texts
shapes = st.lists(st.integers(-1, 4), max_size=3) | scalars


def tagged(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.lists(inner, max_size=3),
        st.builds(lambda x: {"t": x}, st.lists(inner, max_size=3) | inner),
        st.builds(lambda x: {"d": x}, st.lists(st.lists(inner, min_size=1, max_size=3), max_size=3) | inner),
        st.builds(lambda *x: {"a": list(x)}, dtypes, shapes, st.integers(-2, 40), st.integers(-2, 40)),
        st.builds(lambda i, n: {"h": [i, n]}, st.integers() | texts, inner),
        st.builds(lambda i: {"c": i}, st.integers() | texts),
        st.dictionaries(texts, inner, max_size=2),
    )


trees = st.recursive(scalars, tagged, max_leaves=12)


@st.composite
def frames(draw: st.DrawFn) -> tuple[bytes, bytes]:
    document = bytearray(json.dumps(draw(trees)).encode())  # ensure_ascii: surrogates as \udXXX escapes
    for _ in range(draw(st.integers(0, 3))):  # damage: overwrite, insert or cut a byte
        at = draw(st.integers(0, len(document)))
        byte = draw(st.integers(0, 255) | st.sampled_from(b'[]{},:"\\'))
        action = draw(st.sampled_from(["set", "insert", "cut"]))
        if action == "insert":
            document.insert(at, byte)
        elif at < len(document):
            document[at:at + 1] = b"" if action == "cut" else bytes([byte])
    return bytes(document), draw(st.binary(max_size=48))


def check_plain(value: Any) -> int:
    """Fail unless ``value`` is plain data of the allowed types with valid text; its number of values."""
    kind = type(value)
    if kind is str:
        value.encode("utf-8")
        return 1
    if kind in SCALARS:
        return 1
    if kind in (list, tuple):
        return 1 + sum(check_plain(x) for x in value)
    if kind is dict:
        assert all(type(k) in SCALARS for k in value)
        return 1 + sum(check_plain(k) + check_plain(v) for k, v in value.items())
    if kind is np.ndarray:
        assert value.dtype.str in wire.ALLOWED_DTYPES and value.flags.owndata
        return 1
    assert kind is wire.Handle and type(value.id) is int, kind
    value.type_name.encode("utf-8")
    return 1


@FUZZ
@given(frames())
def test_any_frame_decodes_to_plain_valid_data_or_a_wire_error(frame: tuple[bytes, bytes]) -> None:
    document, blob = frame
    replaced: list[int] = []
    try:
        value = wire.decode(document, blob, on_replaced=replaced.append)
    except wire.WireError:
        return
    check_plain(value)
    assert len(replaced) <= 1 and all(n > 0 for n in replaced)
    assert wire.count_values(document) >= _json_values(json.loads(document))


def _json_values(tree: Any) -> int:
    """Values as JSON counts them: containers, scalars and object keys."""
    if type(tree) is list:
        return 1 + sum(_json_values(x) for x in tree)
    if type(tree) is dict:
        return 1 + sum(1 + _json_values(v) for v in tree.values())
    return 1


@FUZZ
@given(st.lists(texts, max_size=4))
def test_lone_surrogates_are_replaced_and_counted(strings: list[str]) -> None:
    replaced: list[int] = []
    back = wire.decode(*wire.encode(strings), on_replaced=replaced.append)
    joined = json.loads(json.dumps(strings))  # JSON reads a high and a low surrogate escape as one character
    lone = sum(1 for s in joined for c in s if "\ud800" <= c <= "\udfff")
    assert back == ["".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in s) for s in joined]
    assert replaced == ([lone] if lone else [])


# -- frames that the jail's own encoder made, then damaged or not ------------------------------------
valid_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=6)
valid_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | valid_text
arrays = st.builds(
    lambda dtype, values, columns: np.array(values, dtype=dtype).reshape(-1, columns) if values else
    np.zeros((0, columns), dtype=dtype),
    st.sampled_from(["<f8", "<i4", "|b1", "<u2", "<f4"]), st.lists(st.integers(0, 1), max_size=6).map(
        lambda v: v[: len(v) - len(v) % 2]), st.just(2))
plain_values = st.recursive(
    valid_scalars | arrays,
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
    | st.dictionaries(valid_scalars, inner, max_size=3),
    max_leaves=10)


def same(a: Any, b: Any) -> bool:
    if type(a) is np.ndarray:
        return type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if type(a) in (list, tuple):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict:
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@FUZZ
@given(plain_values, st.lists(st.tuples(st.booleans(), st.integers(0, 2**16), st.integers(0, 255)), max_size=3))
def test_encoded_frames_come_back_equal_and_damaged_ones_stay_plain(value: Any, edits: list) -> None:
    document, blob = wire.encode(value)
    assert same(wire.decode(document, blob), value)  # undamaged: the same value, rebuilt
    damaged = [bytearray(document), bytearray(blob)]
    for in_blob, at, byte in edits:
        part = damaged[in_blob]
        if part:
            part[at % len(part)] = byte
    try:
        back = wire.decode(bytes(damaged[0]), bytes(damaged[1]))
    except wire.WireError:
        event("damaged: refused")
        return
    event("undamaged" if not edits else "damaged: decoded")
    check_plain(back)
