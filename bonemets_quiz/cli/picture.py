"""``:i`` in a study session: open the picture on screen with the system's image viewer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from ..deck.image import Image
from .common import safe_path


def launch(path: str) -> bool:
    """Hand ``path`` to the system's viewer without waiting; False when there is none."""
    if sys.platform.startswith("win"):
        starter = getattr(os, "startfile", None)
        if starter is None:
            return False
        starter(path)
        return True
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None:
        return False
    subprocess.Popen(  # a fixed program and a checked file path, no shell
        [opener, path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    return True


def open_picture(image: Image) -> str:
    """Open the picture; the line to show says what happened (never an exception)."""
    from ..deck.image_files import ImageRefused, resolve

    try:
        path = resolve(image.root, image.file)  # still inside the deck's folder
    except ImageRefused as refused:
        return f"Cannot open the picture: {refused.message}."
    if not os.path.isfile(path):
        return f"Cannot open the picture: {safe_path(path)} is gone."
    try:
        opened = launch(path)
    except OSError as exc:
        return f"Cannot open the picture: {exc.strerror or exc}."
    if not opened:
        return f"No image viewer found: the picture is {safe_path(path)}."
    return f"Opened {safe_path(path)} in the image viewer."
