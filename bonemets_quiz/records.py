"""``Record``: ``typing.NamedTuple``'s class syntax, made by ``collections.namedtuple``.

``typing.NamedTuple`` checks each field's annotation when the class is made, compiling it when
it is a string (``from __future__ import annotations``): about 25 µs a field. The records on
``study``'s path to its first question have a hundred fields: 2.5 ms of its start-up. A
``Record`` class is the same class, made from the same statement, without those checks (its
``__annotations__`` keep the annotations' text); type checkers see ``typing.NamedTuple`` itself.

    class CardState(Record):
        question_id: str
        reps: int = 0
"""

from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING, Any

# what typing.NamedTuple refuses to let a class body define, and what it does not copy
_PROTECTED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults"}
    | {"_make", "_replace", "_asdict", "_source"}
)
_NOT_COPIED = frozenset({"__module__", "__name__", "__annotations__"})
_namedtuple: Any = namedtuple  # (called with a name and fields known only at run time)


class _RecordMeta(type):
    def __new__(
        cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]
    ) -> Any:  # the named tuple class itself, as typing.NamedTuple gives
        if not bases:  # ``Record`` itself
            return super().__new__(cls, name, bases, namespace)
        annotations: dict[str, Any] = dict(namespace.get("__annotations__", {}))
        fields = list(annotations)
        with_default = [field for field in fields if field in namespace]
        if fields[len(fields) - len(with_default) :] != with_default:
            raise TypeError(f"{name}: a field without a default follows one with a default")
        made = _namedtuple(
            name,
            fields,
            defaults=[namespace[field] for field in with_default],
            module=namespace["__module__"],
        )
        made.__annotations__ = annotations
        for key, value in namespace.items():
            if key in _PROTECTED:
                raise AttributeError(f"{name}: cannot overwrite the named tuple's {key}")
            if key not in _NOT_COPIED and key not in fields:
                setattr(made, key, value)
        return made


if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class Record(metaclass=_RecordMeta):
        """Base of a record class (see the module's doc)."""


__all__ = ["Record"]
