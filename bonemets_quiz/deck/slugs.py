"""Ids in a deck (deck, topic, fact, item, question ids) are slugs: ``[a-z0-9][a-z0-9-]*``."""

from __future__ import annotations

import re

from yaml.nodes import Node

from .yaml_nodes import NodeReader

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slug(r: NodeReader, node: Node | None, what: str) -> str | None:
    value = r.string(node, what)
    if value is not None and not SLUG.match(value):
        r.problem(
            node,
            f"{what} {value!r} is not a slug",
            "use lower-case letters, digits and '-', e.g. `bone-pain`",
        )
        return None
    return value


def slugs(r: NodeReader, node: Node | None, what: str) -> list[str]:
    values = r.string_list(node, what, allow_scalar=True)
    for value in values:
        if not SLUG.match(value):
            r.problem(node, f"{what} {value!r} is not a slug", "use the old fact's id")
    return values
