"""The trust boundary's decoder: only plain data comes back, rebuilt fresh, every size checked."""

import numpy as np
import pytest

from grader.jail.inside import wire


def roundtrip(value):
    return wire.decode(*wire.encode(value))


def test_plain_values_round_trip_as_exact_types():
    value = [None, True, 3, 2.5, "文字", (1, [2.0]), {5: (1, None), "k": -1.5}, float("inf")]
    back = roundtrip(value)
    assert back == value
    assert type(back[5]) is tuple and type(back[6]) is dict


def test_numpy_scalars_become_python_numbers():
    back = roundtrip([np.float32(1.5), np.int64(7), np.bool_(True)])
    assert back == [1.5, 7, True] and [type(x) for x in back] == [float, int, bool]


@pytest.mark.parametrize("dtype", ["f8", "f4", "i8", "u1", "?"])
def test_arrays_come_back_as_fresh_base_ndarrays(dtype):
    array = np.arange(12).reshape(3, 4).astype(dtype)
    back = roundtrip(array.T)  # not contiguous on purpose
    assert type(back) is np.ndarray and back.dtype == array.dtype and np.array_equal(back, array.T)
    assert back.flags.writeable and back.flags.owndata


def test_objects_that_are_not_plain_data_stay_behind_as_handles():
    class Sneaky(float):
        def __eq__(self, other):
            return True

    kept = []
    document, blob = wire.encode([Sneaky(1.0), np.zeros(2).view(np.matrix)],
                                 lambda o: kept.append(o) or wire.Handle(len(kept), type(o).__name__))
    back = wire.decode(document, blob)
    assert back == [wire.Handle(1, "Sneaky"), wire.Handle(2, "matrix")]
    assert back[0] != 1.0


def test_encoding_without_handles_refuses_objects():
    with pytest.raises(wire.WireError):
        wire.encode(object())


@pytest.mark.parametrize("document,blob,reason", [
    (b'{"a": ["|O", [1], 0, 8]}', b"\0" * 8, "dtype"),
    (b'{"a": ["<f8", [2], 0, 8]}', b"\0" * 8, "size"),
    (b'{"a": ["<f8", [1], 8, 8]}', b"\0" * 8, "malformed"),
    (b'{"x": 1}', b"", "unknown tag"),
    (b'{"t": [1], "d": []}', b"", "unexpected"),
    (b'{"d": [[[1], 2]]}', b"", "keys"),
    (b"[" * 100_000 + b"]" * 100_000, b"", "malformed"),
    (b"[" * 70 + b"]" * 70, b"", "deeper"),
    (b"not json", b"", "malformed"),
])
def test_malformed_frames_are_refused(document, blob, reason):
    with pytest.raises(wire.WireError, match=reason):
        wire.decode(document, blob)
