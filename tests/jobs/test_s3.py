"""Uploads and export downloads through an S3-compatible store: moto's S3 server runs as a
separate process on loopback, and the default storage is configured for it by the same
environment an operator sets (``FILE_STORAGE_BACKEND``, ``FILE_STORAGE_OPTIONS``, read by
gongjian/settings.py), nothing mocked inside this process."""

from __future__ import annotations

import datetime
import io
import json
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from gongjian.jobs.files import job_files_cleanup
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.orgs.models import Organization
from gongjian.orgs.selectors import organization_list
from tests.conftest import Cast
from tests.orgs.test_spreadsheets import GOOD_ROWS, org_file

pytestmark = pytest.mark.postgres

BUCKET = "gongjian-files"
# The S3 server in its own process: moto's ThreadedMotoServer on a loopback port.
SERVER = (
    "import sys\n"
    "from moto.server import ThreadedMotoServer\n"
    "server = ThreadedMotoServer(ip_address='127.0.0.1', port=int(sys.argv[1]), verbose=False)\n"
    "server.start()\n"
    "sys.stdin.read()  # until the test closes our stdin\n"
    "server.stop()\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "moto's S3 server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def operator_options(endpoint: str) -> dict[str, Any]:
    """What the README's configuration table tells an operator to put in FILE_STORAGE_OPTIONS."""
    return {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "access_key": "gongjian-test",
        "secret_key": "gongjian-test-secret",
        "region_name": "us-east-1",
    }


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """A new, empty bucket, and the default storage on it, configured as an operator does: the
    environment variables, read by the settings module itself."""
    options = operator_options(s3_endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    found = client.list_objects_v2(Bucket=BUCKET).get("Contents", []) if BUCKET in _buckets(client) else None
    if found is None:
        client.create_bucket(Bucket=BUCKET)
    for item in found or []:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    monkeypatch.setenv("FILE_STORAGE_BACKEND", "storages.backends.s3.S3Storage")
    monkeypatch.setenv("FILE_STORAGE_OPTIONS", json.dumps(options))
    configured = runpy.run_path(str(Path(django_settings.BASE_DIR) / "gongjian" / "settings.py"))["STORAGES"]
    assert configured["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": configured["default"]}  # resets default_storage
    settings.MEDIA_ROOT = tmp_path  # nothing may land on the local disk
    return client


def _buckets(client: Any) -> set[str]:
    return {b["Name"] for b in client.list_buckets()["Buckets"]}


def keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def local_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_an_uploaded_import_goes_through_the_store_and_is_deleted_after(
    cast: Cast, bucket: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data, name = org_file([list(r) for r in GOOD_ROWS])
    client = Client()
    client.force_login(cast.committee_admin)
    upload = io.BytesIO(data)
    upload.name = name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client.post("/orgs/import/organizations/", {"file": upload})
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert page.status_code == 302 and job.state == JobState.DONE, job.error
    # The job read the upload back from the store (test profile: in the request).
    assert Organization.objects.filter(code="T0100").exists()
    assert keys(bucket) == [f"jobs/{job.uuid}/{name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"jobs/{job.uuid}/{name}")["Body"].read()
    assert stored == data and local_files(settings.MEDIA_ROOT) == []
    for callback in callbacks:  # the job's end committed: its upload is deleted from the store
        callback()
    assert keys(bucket) == []


def test_an_export_is_kept_in_the_store_downloaded_from_it_and_cleaned_up(
    cast: Cast, bucket: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EXPORT_INLINE_ROWS = 1  # a job, its file kept for the download
    client = Client()
    client.force_login(cast.committee_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/orgs/export/organizations.xlsx")
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert response["Location"] == f"/jobs/{job.pk}/download/" and job.result is not None
    assert keys(bucket) == [f"jobs/{job.uuid}/export.xlsx"] == [job.result["stored"]]
    download = client.get(f"/jobs/{job.pk}/download/")
    content = b"".join(download.streaming_content)
    assert download.status_code == 200 and len(content) == job.result["size"]
    assert content == bucket.get_object(Bucket=BUCKET, Key=job.result["stored"])["Body"].read()
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    codes = {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert codes == {o.code for o in organization_list(user=cast.committee_admin)}
    assert local_files(settings.MEDIA_ROOT) == []
    # Past its retention period the cleanup finds it in the store (list, dates) and deletes it.
    settings.JOB_FILES_RETENTION_DAYS = 1
    summary = job_files_cleanup(now=timezone.now() + datetime.timedelta(days=2))
    assert summary.expired == [job.result["stored"]] and keys(bucket) == []
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
