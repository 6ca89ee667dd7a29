"""Finding and loading the shipped profiles (``settings.POLICY_DIR``, one YAML file each)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from gongjian.policies.errors import PolicyProfileError
from gongjian.policies.profile import HEADER_KEYS, SECTIONS, PolicyProfile


def policy_dir() -> Path:
    return Path(settings.POLICY_DIR)


def profile_keys() -> list[str]:
    """The shipped profiles, by file name without ``.yaml``."""
    return sorted(p.stem for p in policy_dir().glob("*.yaml"))


def parse_profile(key: str, file: str, data: Any) -> PolicyProfile:
    """Every section of one profile, typed and validated; the first error names file and key."""
    if not isinstance(data, dict):
        raise PolicyProfileError(f"{file}：应为键值映射")
    allowed = set(HEADER_KEYS) | set(SECTIONS)
    for name in data:
        if str(name) not in allowed:
            raise PolicyProfileError(f"{file}：{name} 是未知的配置节（可用：{'、'.join(sorted(allowed))}）")
    done: dict[str, Any] = {}
    for name, parse in SECTIONS.items():
        done[name] = parse(file, data.get(name), done)
    name, place, version, source = (str(data.get(h, key if h == "name" else "")) for h in HEADER_KEYS)
    return PolicyProfile(key=key, name=name, place=place, version=version, source=source, **done)


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, size: int) -> PolicyProfile:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyProfileError(f"{path.name}：无法读取（{exc}）") from exc
    return parse_profile(path.stem, path.name, data)


def profile_path(key: str) -> Path:
    """The file of profile ``key``; an unknown or malformed key is refused."""
    path = policy_dir() / f"{key}.yaml"
    if not key.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        raise PolicyProfileError(f"没有名为 {key} 的政策配置")
    return path


def load_profile(key: str) -> PolicyProfile:
    """Load a shipped profile by key; re-read when the file changes (no code change, no restart)."""
    path = profile_path(key)
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


def profile_choices() -> list[tuple[str, str]]:
    return [(key, load_profile(key).label) for key in profile_keys()]
