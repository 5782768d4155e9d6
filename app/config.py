"""One typed settings object, read from config.toml and BYLINE_* environment variables.

Precedence: command-line options > environment (BYLINE_<FIELD>) > config file > defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app import locations


class ConfigError(ValueError):
    """The settings file or an environment variable cannot be used; the message says why."""


@dataclass
class Settings:
    db: Path = field(default_factory=locations.default_db_path)
    """The library file (BYLINE_DB, or --db)."""

    concurrency: int = 16
    """How many feeds are fetched at once."""

    per_host: int = 4
    """How many requests go to one host at once."""

    timeout: float = 20.0
    """Seconds before a fetch gives up (connect and each read)."""

    max_bytes: int = 20 * 1024 * 1024
    """A feed body larger than this (after decompression) is refused."""

    full_text: bool = False
    """Fetch the article page when a feed carries only a summary (can be set per feed)."""

    user_agent: str = "Byline/0.1 (+terminal news reader)"
    """The User-Agent header sent with every request."""

    theme: str = "textual-dark"
    """The Textual theme of the reader."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, for example {"story.tag" = "T"} in a [keymap] table."""

    source: Path | None = None
    """The config file these settings were read from, if any."""


_ENV_PREFIX = "BYLINE_"


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    try:
        if kind in (Path, "Path"):
            return Path(str(raw)).expanduser()
        if kind in (int, "int"):
            return int(raw)
        if kind in (float, "float"):
            return float(raw)
        if kind in (bool, "bool"):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind in (str, "str"):
            return str(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name!r} cannot be {raw!r}") from None
    return raw


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    path = path or locations.config_file()
    values: dict[str, Any] = {}
    kinds = {f.name: f.type for f in fields(Settings)}
    source = None
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from None
        source = path
        for key, raw in data.items():
            if key not in kinds or key == "source":
                raise ConfigError(f"{path}: unknown setting {key!r}")
            if key == "keymap":
                if not isinstance(raw, dict):
                    raise ConfigError(f"{path}: [keymap] must be a table of binding id = keys")
                values[key] = {str(k): str(v) for k, v in raw.items()}
            else:
                values[key] = _coerce(key, raw, kinds[key])
    for name, kind in kinds.items():
        if name in {"keymap", "source"}:
            continue
        raw_env = env.get(_ENV_PREFIX + name.upper())
        if raw_env:
            values[name] = _coerce(name, raw_env, kind)
    settings = Settings(**values)
    settings.source = source
    return settings
