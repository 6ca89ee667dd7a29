"""Backup and restore (GB/T 22239-2019 level 3, 数据备份恢复): the database and every
uploaded file, with a manifest of SM3 hashes so that a damaged or altered backup is
refused before anything is overwritten.

A backup is a folder::

    manifest.json     what is in it: format, when, database vendor, tables and row counts,
                      every file with its size and SM3 hash (the database dump included)
    database.dump     PostgreSQL: ``pg_dump --format=custom``; SQLite: a consistent copy
                      made through SQLite's own online-backup API
    files/<name>      every file of the default storage, under its storage name

Files are read and written through Django's storage API, so a shared or S3-compatible
storage is backed up the same way as a local folder.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.core.crypto import sm3_stream

FORMAT = "gongjian-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, in Chinese."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back."""

    tables: int
    rows: int
    files: int


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, depth first, in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _hash_file(path: Path) -> str:
    with path.open("rb") as stream:
        return sm3_stream(stream)


def table_counts(alias: str = "default") -> dict[str, int]:
    """Rows per table of the database, every table Django's introspection lists."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _dump_database(target: Path) -> None:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *_pg_args(settings)]
        result = subprocess.run(command, capture_output=True, text=True, env=_pg_env(settings), check=False)
        if result.returncode:
            raise BackupError(_("数据库导出失败：%(reason)s") % {"reason": result.stderr.strip()})
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(settings["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        raise BackupError(_("不支持备份该类型的数据库：%(vendor)s") % {"vendor": connection.vendor})


def _pg_args(settings: dict[str, Any], name: str | None = None) -> list[str]:
    args = ["--dbname", name or settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    return args


def _pg_env(settings: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env


def backup_create(*, out: Path, storage: Storage | None = None) -> Path:
    """Write a backup of the database and the files into a new folder under ``out``;
    return the folder. Nothing is written outside it."""
    storage = storage or default_storage
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = out / f"gongjian-backup-{stamp}"
    if folder.exists():
        raise BackupError(_("备份目录已存在：%(path)s") % {"path": folder})
    (folder / FILES).mkdir(parents=True)
    _dump_database(folder / DUMP)
    files = []
    for name in _storage_files(storage):
        target = folder / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        files.append({"name": name, "size": target.stat().st_size, "sm3": _hash_file(target)})
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": connection.vendor,
            "file": DUMP,
            "size": (folder / DUMP).stat().st_size,
            "sm3": _hash_file(folder / DUMP),
        },
        "tables": table_counts(),
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def backup_verify(folder: Path) -> dict[str, Any]:
    """The manifest of ``folder`` once every hash in it has been checked; a missing, changed
    or extra file is a :class:`BackupError` naming it."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("备份清单无法读取：%(reason)s") % {"reason": exc}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不是本平台的备份（格式 %(format)s）") % {"format": manifest.get("format")})
    expected = {DUMP: manifest["database"]["sm3"]} | {f"{FILES}/{f['name']}": f["sm3"] for f in manifest["files"]}
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    for extra in sorted(present - set(expected)):
        raise BackupError(_("备份中有清单之外的文件：%(name)s") % {"name": extra})
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            raise BackupError(_("备份缺少文件：%(name)s") % {"name": name})
        if _hash_file(path) != digest:
            raise BackupError(_("备份文件已被改动（SM3 不符）：%(name)s") % {"name": name})
    return dict(manifest)


def _restore_database(folder: Path, manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("备份来自 %(backup)s 数据库，不能恢复到 %(target)s 数据库")
            % {"backup": vendor, "target": connection.vendor}
        )
    settings = connection.settings_dict
    connection.close()
    if vendor == "postgresql":
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *_pg_args(settings)]
        result = subprocess.run(
            [*command, str(folder / DUMP)], capture_output=True, text=True, env=_pg_env(settings), check=False
        )
        if result.returncode:
            raise BackupError(_("数据库恢复失败：%(reason)s") % {"reason": result.stderr.strip()})
    else:
        source = sqlite3.connect(folder / DUMP)
        target = sqlite3.connect(settings["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def backup_restore(*, folder: Path, storage: Storage | None = None) -> RestoreReport:
    """Put the database and the files of the backup in ``folder`` back, after checking every
    hash; then check that every table has the row count the manifest recorded."""
    storage = storage or default_storage
    manifest = backup_verify(folder)
    _restore_database(folder, manifest)
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            storage.delete(name)
        with (folder / FILES / name).open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupError(_("文件恢复后名称改变：%(name)s → %(saved)s") % {"name": name, "saved": saved})
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        table, (want, got) = next(iter(wrong.items()))
        raise BackupError(
            _("恢复后表 %(table)s 有 %(got)s 行，备份时为 %(want)s 行") % {"table": table, "got": got, "want": want}
        )
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=len(manifest["files"]))
