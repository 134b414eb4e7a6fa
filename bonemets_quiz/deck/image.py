"""A picture a fact or question shows. Frozen, no I/O (reading it: ``image_files``)."""

from __future__ import annotations

from dataclasses import dataclass

IMAGE_SIDES = ("question", "answer")


@dataclass(frozen=True)
class Image:
    """A picture a fact or question shows: ``file`` as the deck names it, ``path`` on disk.

    ``root`` is the deck's folder: every reader checks that ``path`` resolves inside it. The
    image's bytes are not part of a question (see ``image_files``): changing a picture keeps the
    question's id, and the bank cache never holds stale pixels.
    """

    file: str
    alt: str
    path: str
    root: str
    caption: str = ""
    credit: str = ""
    side: str = "question"

    @property
    def label(self) -> str:
        """The picture in words, clearly marked: ``[Picture: alt] caption (credit)``."""
        text = f"[Picture: {self.alt}]"
        if self.caption:
            text += f" {self.caption}"
        return f"{text} ({self.credit})" if self.credit else text

    def to_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "alt": self.alt,
            "path": self.path,
            "root": self.root,
            "caption": self.caption,
            "credit": self.credit,
            "side": self.side,
        }

    @classmethod
    def from_dict(cls, data: object) -> Image | None:
        if not isinstance(data, dict):
            return None
        return cls(
            **{key: str(data.get(key, "")) for key in ("file", "alt", "path", "root")},
            caption=str(data.get("caption", "")),
            credit=str(data.get("credit", "")),
            side=str(data.get("side", "question")),
        )
