"""``Record`` makes the class ``typing.NamedTuple`` makes from the same statement."""

from __future__ import annotations

import pickle
from typing import NamedTuple

import pytest

from bonemets_quiz.records import Record


class Typed(NamedTuple):
    """A record."""

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} ×{self.count}"

    @classmethod
    def of(cls, name: str) -> Typed:
        return cls(name, 1)

    def bumped(self) -> Typed:
        return self._replace(count=self.count + 1)


class Fast(Record):
    """A record."""

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} ×{self.count}"

    @classmethod
    def of(cls, name: str) -> Fast:
        return cls(name, 1)

    def bumped(self) -> Fast:
        return self._replace(count=self.count + 1)


def test_a_record_behaves_as_the_typing_named_tuple_of_the_same_statement() -> None:
    for kind in (Typed, Fast):
        made = kind("bone", tags=("a",))
        assert kind._fields == ("name", "count", "tags")
        assert kind._field_defaults == {"count": 0, "tags": ()}
        assert tuple(made) == ("bone", 0, ("a",)) and made == ("bone", 0, ("a",))
        assert made.label == "bone ×0" and kind.of("x") == ("x", 1, ())
        assert made.bumped().count == 1 and made._asdict()["tags"] == ("a",)
        assert kind._make(["y", 2, ()]).count == 2
        assert repr(made) == f"{kind.__name__}(name='bone', count=0, tags=('a',))"
        assert hash(made) == hash(("bone", 0, ("a",)))
        assert kind.__doc__ == "A record." and kind.__module__ == __name__
        assert kind.__qualname__ == kind.__name__
        assert pickle.loads(pickle.dumps(made)) == made
        with pytest.raises(AttributeError, match=r"can't set attribute|has no setter"):
            made.name = "other"  # type: ignore[misc]
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'name'"):
            kind()  # type: ignore[call-arg]
    assert list(Fast.__annotations__) == list(Typed.__annotations__)


def test_what_typing_refuses_a_record_refuses() -> None:
    with pytest.raises(TypeError, match="a field without a default follows one with a default"):

        class Wrong(Record):
            first: int = 0
            second: int

    with pytest.raises(AttributeError, match="cannot overwrite the named tuple's _replace"):

        class Overwrites(Record):
            first: int

            def _replace(self) -> None: ...
