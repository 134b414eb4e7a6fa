"""Picture files of a deck: where they may be, what they may be, and how they are read.

A deck's picture must be a PNG, JPEG, GIF or WebP file inside the deck's folder, at most
``MAX_IMAGE_BYTES``, whose first bytes are those of the type its name claims. SVG is refused (it
can carry scripts). Every reader goes through ``read_image``: the path is resolved (symbolic
links included) and checked to stay inside the deck's folder *before* anything is opened, so no
file outside the folder is ever read. Pure apart from reading: no printing.
"""

from __future__ import annotations

import base64
import hashlib
import os

from ..errors import DeckError, Problem
from ..records import Record
from .file_bytes import FileRules, read_file_bytes
from .image import Image

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_FILE = FileRules(
    limit=MAX_IMAGE_BYTES,
    directory_hint="name an image file, not a folder",
    kind_hint="name a PNG, JPEG, GIF or WebP file saved on disk",
    size_hint="make the picture smaller (fewer pixels, or JPEG for photographs)",
    no_follow=True,  # the resolved path has no link left: one appearing now is refused
)


class ImageType(Record):
    name: str
    mime: str
    extension: str  # as media files are named


PNG = ImageType("PNG", "image/png", "png")
JPEG = ImageType("JPEG", "image/jpeg", "jpg")
GIF = ImageType("GIF", "image/gif", "gif")
WEBP = ImageType("WebP", "image/webp", "webp")
TYPES = {".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".gif": GIF, ".webp": WEBP}
REFUSED = {".svg", ".svgz"}


class ImageRefused(Exception):
    """Why a picture cannot be used: ``message — hint`` (the loader adds where it is named)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message} — {hint}")
        self.message, self.hint = message, hint


def claimed_type(file: str) -> ImageType:
    """The type a picture's name claims, or ImageRefused for SVG and unknown types."""
    extension = os.path.splitext(file)[1].lower()
    if extension in REFUSED:
        raise ImageRefused(
            f"picture {file!r} is SVG, which can carry scripts",
            "convert it to PNG (e.g. `rsvg-convert -o x.png x.svg`) and name the PNG",
        )
    if extension not in TYPES:
        raise ImageRefused(
            f"picture {file!r} is not a PNG, JPEG, GIF or WebP file name",
            "use a .png, .jpg, .gif or .webp file",
        )
    return TYPES[extension]


def sniffed_type(data: bytes) -> ImageType | None:
    """The image type the bytes start with (magic numbers), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def resolve(root: str, file: str) -> str:
    """The real path of ``file`` (relative to the deck folder ``root``), checked to stay inside."""
    if not file or os.path.isabs(file) or file.startswith(("/", "\\")) or "\\" in file:
        raise ImageRefused(
            f"picture path {file!r} is not relative to the deck's folder",
            "write it relative to the deck file with '/', e.g. `images/spine.png`",
        )
    if "\0" in file or ".." in file.split("/"):
        raise ImageRefused(
            f"picture path {file!r} leaves the deck's folder",
            "put the picture in the deck's folder (or a folder inside it)",
        )
    folder = os.path.realpath(root)
    real = os.path.realpath(os.path.join(folder, file))
    if os.path.commonpath([folder, real]) != folder or real == folder:
        raise ImageRefused(
            f"picture {file!r} is a link to a file outside the deck's folder",
            "copy the picture into the deck's folder",
        )
    return real


def read_picture(root: str, file: str) -> tuple[bytes, ImageType]:
    """The picture's bytes and type, after every check; ImageRefused saying why not."""
    kind = claimed_type(file)
    real = resolve(root, file)
    try:
        data = read_file_bytes(real, IMAGE_FILE)
    except DeckError as exc:
        first = exc.problems[0]
        message = first.message.replace("file is ", "")
        raise ImageRefused(f"picture {file!r}: {message}", first.hint) from None
    found = sniffed_type(data)
    if found is None:
        raise ImageRefused(
            f"picture {file!r} is not a {kind.name} image (its bytes are no known image type)",
            "save it again as PNG, JPEG, GIF or WebP",
        )
    if found != kind:
        raise ImageRefused(
            f"picture {file!r} is named as {kind.name} but holds a {found.name} image",
            f"rename it to end in .{found.extension}",
        )
    return data, kind


def read_image(image: Image) -> tuple[bytes, ImageType]:
    """A loaded picture's bytes, checked again (files change): DeckError naming it if refused."""
    try:
        return read_picture(image.root, image.file)
    except ImageRefused as refused:
        raise DeckError([Problem(image.path, 0, 0, refused.message, refused.hint)]) from None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_name(data: bytes, kind: ImageType) -> str:
    """The picture's name in Anki's media folder: from its content, so the same picture is one
    file however often it is exported, and a changed picture gets a new name."""
    return f"bonemets-{digest(data)[:32]}.{kind.extension}"


def data_uri(image: Image) -> str:
    """The picture as a ``data:`` URI (a self-contained HTML file carries it inside)."""
    data, kind = read_image(image)
    return f"data:{kind.mime};base64,{base64.b64encode(data).decode('ascii')}"
