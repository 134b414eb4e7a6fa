"""Where bonemets-quiz keeps its files: the user's data and cache directories, the default store.

Plain ``os.path`` strings on the quiz's start-up path; ``pathlib`` and ``platformdirs`` load only
where they are needed.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

APP = "bonemets-quiz"


def user_dir(kind: str) -> str:
    """The user's ``data`` or ``cache`` directory for this app (platformdirs' answer).

    On Linux the XDG rule is applied directly: importing platformdirs (and pathlib, tempfile…)
    would cost more than the rest of the quiz's start-up. A test checks both agree.
    """
    variable, default = {
        "data": ("XDG_DATA_HOME", ".local/share"),
        "cache": ("XDG_CACHE_HOME", ".cache"),
    }[kind]
    home = os.environ.get("HOME", "")
    if sys.platform.startswith("linux") and os.path.isabs(home):
        base = os.environ.get(variable, "")
        return os.path.join(base if os.path.isabs(base) else os.path.join(home, default), APP)
    import platformdirs

    return str(
        platformdirs.user_data_dir(APP) if kind == "data" else platformdirs.user_cache_dir(APP)
    )


def default_location() -> str:
    """The default store file, as a string (no pathlib on the quiz's start-up path)."""
    return os.path.join(user_dir("data"), "progress.sqlite3")


def default_path() -> Path:
    """The default store file, as platformdirs' ``user_data_path`` gives it, as a Path."""
    from pathlib import Path

    return Path(default_location())


def backup_dir(store: str) -> str:
    """Where the backups of the store file ``store`` are kept: a ``backups`` folder beside it
    (for the default store, in the user data directory)."""
    return os.path.join(os.path.dirname(os.path.abspath(store)), "backups")


def stamps_dir() -> str:
    """Where ``export`` remembers each Anki note's stamp, per deck (see ``export.anki_memory``)."""
    return os.path.join(user_dir("data"), "anki-stamps")
