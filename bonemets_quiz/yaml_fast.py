"""YAML text → the node tree PyYAML's composer builds, from the events of libyaml's parser.

libyaml parses in C; this composer is a lean copy of PyYAML's (no per-node frames for resolver
paths and event checks), with the same bounds as ``yaml_nodes``: together several times faster
on a 2 MiB deck. Anything it cannot or will not compose (a syntax error, too many aliases, too
deep, two documents, a tab anywhere) gives ``None``: ``yaml_nodes.compose`` then asks PyYAML,
whose messages and marks the error reports are written for.
"""

from __future__ import annotations

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver


class _Refused(Exception):
    """What PyYAML would refuse (or has to explain): leave it to PyYAML."""


class _Composer:
    def __init__(self, text: str, max_aliases: int, max_depth: int) -> None:
        from yaml.cyaml import CParser

        self.parser = CParser(text)
        self.resolver = Resolver()
        self.plain: dict[str, str] = {}  # a plain scalar's implicit tag, by its text
        self.anchors: dict[str, Node] = {}
        self.aliases_left, self.max_depth = max_aliases, max_depth

    def document(self) -> Node | None:
        parser = self.parser
        parser.get_event()  # stream start
        root = None
        if not parser.check_event(StreamEndEvent):
            parser.get_event()  # document start
            root = self.node(1)
            parser.get_event()  # document end
        if not parser.check_event(StreamEndEvent):
            raise _Refused("a second document")
        return root

    def node(self, depth: int) -> Node:
        event: Event = self.parser.get_event()
        if type(event) is AliasEvent:
            self.aliases_left -= 1
        if self.aliases_left < 0 or depth > self.max_depth:
            raise _Refused("too many aliases, or too deep")
        if type(event) is AliasEvent:
            if event.anchor not in self.anchors:
                raise _Refused("an undefined alias")
            return self.anchors[event.anchor]
        anchor = event.anchor  # type: ignore[attr-defined]
        if anchor is not None and anchor in self.anchors:
            raise _Refused("a duplicate anchor")
        node = self.scalar(event) if type(event) is ScalarEvent else self.collection(event, depth)
        return node

    def _tag(self, event: Event, kind: type[Node]) -> str:
        tag = event.tag  # type: ignore[attr-defined]
        if tag is not None and tag != "!":
            return tag  # type: ignore[no-any-return]
        if kind is not ScalarNode or not event.implicit[0]:  # type: ignore[attr-defined]
            return self.resolver.resolve(kind, None, (False, False))  # type: ignore[no-any-return]
        value = event.value  # type: ignore[attr-defined]
        if value not in self.plain:  # keys and kinds recur on every fact: resolve each once
            self.plain[value] = self.resolver.resolve(kind, value, (True, False))
        return self.plain[value]

    def scalar(self, event: Event) -> Node:
        node = ScalarNode(
            self._tag(event, ScalarNode),
            event.value,  # type: ignore[attr-defined]
            event.start_mark,
            event.end_mark,
            style=event.style or None,  # type: ignore[attr-defined]  # libyaml: "" when plain
        )
        if event.anchor is not None:  # type: ignore[attr-defined]
            self.anchors[event.anchor] = node  # type: ignore[attr-defined]
        return node

    def collection(self, event: Event, depth: int) -> Node:
        kind = SequenceNode if type(event) is SequenceStartEvent else MappingNode
        if kind is MappingNode and type(event) is not MappingStartEvent:
            raise _Refused("an unexpected event")
        node = kind(
            self._tag(event, kind),
            [],
            event.start_mark,
            None,
            flow_style=event.flow_style,  # type: ignore[attr-defined]
        )
        if event.anchor is not None:  # type: ignore[attr-defined]
            self.anchors[event.anchor] = node  # type: ignore[attr-defined]
        end = yaml.SequenceEndEvent if kind is SequenceNode else yaml.MappingEndEvent
        parser, items = self.parser, node.value
        while not parser.check_event(end):
            child = self.node(depth + 1)
            items.append(child if kind is SequenceNode else (child, self.node(depth + 1)))
        node.end_mark = parser.get_event().end_mark
        return node


def compose_fast(text: str, max_aliases: int, max_depth: int) -> tuple[Node | None] | None:
    """``(root,)`` as PyYAML would compose it; ``None`` to leave the text to PyYAML."""
    if not yaml.__with_libyaml__ or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None  # libyaml takes a tab for a space where PyYAML refuses it: PyYAML decides
    try:
        composer = _Composer(text, max_aliases, max_depth)
        try:
            return (composer.document(),)
        finally:
            composer.parser.dispose()
    except (_Refused, yaml.YAMLError, UnicodeError, ValueError, RecursionError):
        return None
