"""Where Byline keeps things on disk (platform data and config folders)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "byline"


def config_dir() -> Path:
    return Path(os.environ.get("BYLINE_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def config_file() -> Path:
    return Path(os.environ.get("BYLINE_CONFIG") or config_dir() / "config.toml")


def data_dir() -> Path:
    return Path(os.environ.get("BYLINE_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def default_db_path() -> Path:
    return data_dir() / "library.db"
