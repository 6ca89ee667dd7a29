"""Production settings pass Django's deployment checks; development runs without a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gongjian.core.crypto import DEVELOPMENT_KEYS, dump_data_keys, with_new_key

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    # DJANGO_ALLOW_ASYNC_UNSAFE belongs to the browser tests' process only, never to a deployment.
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        {
            "GONGJIAN_ENV": "production",
            "SECRET_KEY": "k" * 20 + "-Production-Secret-Key-For-Checks-0123456789",
            "ALLOWED_HOSTS": "gongjian.example.gov.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "GONGJIAN_DATA_KEYS": dump_data_keys(with_new_key(DEVELOPMENT_KEYS)),  # required in production
        }
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"GONGJIAN_ENV": "production", "ALLOWED_HOSTS": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'd'}"})
    result = run_manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_interface_is_chinese_with_english_available() -> None:
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
