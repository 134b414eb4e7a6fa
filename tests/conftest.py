"""Every test gets its own user data directory, so nothing is written in the real home."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_user_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
