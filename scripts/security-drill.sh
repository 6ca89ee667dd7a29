#!/usr/bin/env bash
# The level-3 drill of docs/security.md, on two scratch databases of its own (DRILL_DB and
# DRILL_DB_restored, created and dropped here; nothing else is touched):
#   1. migrate DRILL_DB, write a few organizations, people (encrypted), audit rows and files;
#   2. `manage.py backup`, then `manage.py restore` into the empty second database and media
#      folder; every table's rows compared in SQL (count and md5 of the rows' text) and the
#      files byte for byte;
#   3. `manage.py audit_verify` on the intact log, then one audit row changed directly in the
#      database (as the table's owner, who can lift the append-only trigger), then
#      `audit_verify` again: it names that row.
# Needs PostgreSQL on 127.0.0.1:5432 trusting user postgres (scripts/ensure-postgres.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
DB="${DRILL_DB:-gj_drill}"
RESTORED="${DB}_restored"
WORK="$(mktemp -d)"
PG="psql -h 127.0.0.1 -U postgres -qAt"
PY=.venv/bin/python
export GONGJIAN_ENV="${GONGJIAN_ENV:-test}"

for db in "$DB" "$RESTORED"; do
  $PG -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db TEMPLATE template0"
done
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" MEDIA_ROOT="$WORK/media"
$PY manage.py migrate -v0 || exit 1
$PY manage.py shell -c '
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.orgs.services import organization_create, organization_update, person_create
city = organization_create(actor=None, parent=None, code="C0001", name="商洛市委", level=OrgLevel.CITY_COMMITTEE, kind=OrgKind.PARTY_COMMITTEE)
county = organization_create(actor=None, parent=city, code="C0002", name="商南县委", level=OrgLevel.COUNTY_COMMITTEE, kind=OrgKind.PARTY_COMMITTEE)
town = organization_create(actor=None, parent=county, code="C0003", name="富水镇党委", level=OrgLevel.COMMITTEE, kind=OrgKind.TOWN)
for i in range(20):
    village = organization_create(actor=None, parent=town, code=f"V{i:04d}", name=f"第{i}村党支部", level=OrgLevel.BRANCH, kind=OrgKind.VILLAGE)
    person_create(actor=None, organization=village, name=f"张{i}", phone=f"139{i:08d}", post="书记")
organization_update(actor=None, organization=town, name="富水镇党委（改）")
default_storage.save("records/visits/2026/照片 1.jpg", ContentFile(b"\xff\xd8photo\x00bytes"))
default_storage.save("rounds/agreements/协议-1.pdf", ContentFile(b"%PDF-1.7 agreement"))
' 2>/dev/null

echo "== backup"
FOLDER="$($PY manage.py backup --out "$WORK" 2>/dev/null | tail -1)"
echo "$FOLDER"
echo "== restore into $RESTORED"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$RESTORED" MEDIA_ROOT="$WORK/restored-media" \
  $PY manage.py restore "$FOLDER" 2>/dev/null
fingerprint() {
  for table in $($PG -d "$1" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    echo "$table $($PG -d "$1" -c "SELECT COUNT(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"$table\" t")"
  done
}
fingerprint "$DB" >"$WORK/source.txt"
fingerprint "$RESTORED" >"$WORK/restored.txt"
echo "tables $(wc -l <"$WORK/source.txt"), rows $(awk '{split($2, a, ":"); s += a[1]} END {print s}' "$WORK/source.txt"), tables that differ: $(diff "$WORK/source.txt" "$WORK/restored.txt" | grep -c '^<')"
echo "files $(find "$WORK/media" -type f | wc -l), identical after restore: $(diff -r "$WORK/media" "$WORK/restored-media" >/dev/null && echo yes || echo NO)"

echo "== audit_verify, intact"
$PY manage.py audit_verify 2>/dev/null
ROW="$($PG -d "$DB" -c "SELECT id FROM audit_auditentry ORDER BY id OFFSET 5 LIMIT 1")"
echo "== row $ROW changed directly in the database"
$PG -d "$DB" -c "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only" \
  -c "UPDATE audit_auditentry SET reason = '改过' WHERE id = $ROW" \
  -c "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only"
echo "== audit_verify, after"
$PY manage.py audit_verify 2>&1 | grep -v "W004\|WARNINGS\|System check\|^$"
echo "exit status ${PIPESTATUS[0]}"

for db in "$DB" "$RESTORED"; do $PG -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
rm -rf "$WORK"
