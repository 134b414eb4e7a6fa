"""YAML text → the node tree PyYAML's composer builds, from the events of libyaml's parser.

libyaml parses in C; this composer is a lean copy of PyYAML's (no per-node frames for resolver
paths and event checks), with the same bounds as ``yaml_nodes``: together several times faster
on a 2 MiB deck. Anything it cannot or will not compose (a syntax error, too many aliases, too
deep, two documents, a tab anywhere) gives ``None``: ``yaml_nodes.compose`` then asks PyYAML,
whose messages and marks the error reports are written for.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

_STR, _SEQ, _MAP = (
    Resolver.DEFAULT_SCALAR_TAG,
    Resolver.DEFAULT_SEQUENCE_TAG,
    Resolver.DEFAULT_MAPPING_TAG,
)


class _Refused(Exception):
    """What PyYAML would refuse (or has to explain): leave it to PyYAML."""


class _Composer:
    def __init__(self, text: str, max_aliases: int, max_depth: int) -> None:
        from yaml._yaml import CParser  # what yaml.cyaml re-exports

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
            root = self.node(parser.get_event(), 1)
            parser.get_event()  # document end
        if not parser.check_event(StreamEndEvent):
            raise _Refused("a second document")
        return root

    def node(self, event: Any, depth: int) -> Node:
        """The node that starts with ``event``; a scalar (most nodes) is built here."""
        kind = type(event)
        if depth > self.max_depth:
            raise _Refused("too deep")
        anchor = event.anchor
        if kind is AliasEvent:
            self.aliases_left -= 1
            if self.aliases_left < 0 or anchor not in self.anchors:
                raise _Refused("too many aliases, or an undefined one")
            return self.anchors[anchor]
        if anchor is not None and anchor in self.anchors:
            raise _Refused("a duplicate anchor")
        if kind is not ScalarEvent:
            return self.collection(event, depth)
        tag = event.tag
        if tag is None or tag == "!":
            if event.implicit[0]:  # plain: keys and kinds recur on every fact, resolve each once
                tag = self.plain.get(event.value)
                if tag is None:
                    tag = self.resolver.resolve(ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
                    self.plain[event.value] = tag
            else:
                tag = _STR
        # libyaml's style for a plain scalar is "", PyYAML's (and this project's) None
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style or None)
        if anchor is not None:
            self.anchors[anchor] = node
        return node

    def collection(self, event: Any, depth: int) -> Node:
        if type(event) is SequenceStartEvent:
            kind: type[CollectionNode] = SequenceNode
            end: type[Event] = SequenceEndEvent
        elif type(event) is MappingStartEvent:
            kind, end = MappingNode, MappingEndEvent
        else:
            raise _Refused("an unexpected event")
        tag = event.tag
        if tag is None or tag == "!":
            tag = _SEQ if kind is SequenceNode else _MAP
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        # Each event is fetched once (no peeking) and handed to ``node``: per-node calls add up.
        get, child, items, depth = self.parser.get_event, self.node, node.value, depth + 1
        event = get()
        if kind is SequenceNode:
            while type(event) is not end:
                items.append(child(event, depth))
                event = get()
        else:
            while type(event) is not end:
                key = child(event, depth)
                items.append((key, child(get(), depth)))
                event = get()
        node.end_mark = event.end_mark
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
