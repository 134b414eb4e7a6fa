"""The learner's scheduling settings, kept in the store's ``meta`` table as JSON."""

from __future__ import annotations

from ..scheduling import Settings, settings_from_dict, settings_to_dict
from .base import Connected


class SettingsPart(Connected):
    """Saved settings for ``Store``."""

    def settings(self) -> Settings:
        """The learner's scheduling settings (defaults until some are saved)."""
        text = self._meta("settings")
        if text is None:
            return Settings()
        import json  # (only when some are saved: off the usual path to the first question)

        try:
            return settings_from_dict(json.loads(text))
        except (ValueError, TypeError, OverflowError, AttributeError):  # damaged: the defaults
            return Settings()

    def save_settings(self, settings: Settings) -> None:
        import json

        with self.transaction():
            self._write(
                "INSERT OR REPLACE INTO meta VALUES ('settings', ?)",
                (json.dumps(settings_to_dict(settings), sort_keys=True),),
            )
