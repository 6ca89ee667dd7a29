"""The command: outputs as the spec fixes them, bad input (exit 2, located, nothing
written), xlsx."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gongjian.matching.cli import main

UNITS = """id,name,kind,district,capacity,resources
U1,县委组织部,party-mass,Shangzhou,1,培训
U2,县政法委,legal,Shangzhou,2,
U3,县发改局,economic,Shangzhou,1,资金;项目
U4,县农业局,agriculture,Shangzhou,1,技术
"""
VILLAGES = """id,name,county,town,tags,needs,min,max
V1,前川村,Shangnan,赵川镇,disorder,,1,1
V2,富水村,Shangnan,富水镇,lax,培训,1,2
V3,青山村,Shangnan,试马镇,poor;weak,资金,1,1
V4,茶园村,Shangnan,清油河镇,demo,技术,1,1
V5,远山村,Danfeng,某镇,poor,,1,1
"""
POLICY = """preference_points: [100, 80, 60, 40, 20]
renewal_points: 30
need_points: 10
affinity:
  party-mass: {lax: 50}
  legal: {disorder: 50}
  economic: {poor: 50, weak: 30}
  agriculture: {demo: 50}
geography:
  Shangzhou: [Shangnan]
"""
PREFERENCES = "unit,village,rank\nU2,V1,1\nU2,V3,2\nU1,V2,1\n"
PREVIOUS = "unit,village\nU4,V4\n"


def write_instance(folder: Path, **files: str | bytes) -> Path:
    base: dict[str, str | bytes] = {
        "units.csv": UNITS,
        "villages.csv": VILLAGES,
        "policy.yaml": POLICY,
        "preferences.csv": PREFERENCES,
        "previous.csv": PREVIOUS,
    }
    base.update(
        {
            name.replace("_csv", ".csv").replace("_yaml", ".yaml"): text
            for name, text in files.items()
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in base.items():
        if text is None:
            continue
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_worked_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The example of docs/allocation.md: scores, reasons, the uncovered village."""
    out = tmp_path / "out"
    assert main([str(write_instance(tmp_path / "in")), "--out", str(out)]) == 0
    pairs = {(r["unit"], r["village"]): r for r in read_rows(out / "pairs.csv")}
    assert {k: (v["score"], v["reasons"]) for k, v in pairs.items()} == {
        ("U1", "V2"): ("160", "preference:100;affinity:50;needs:10"),
        ("U2", "V1"): ("150", "preference:100;affinity:50"),
        ("U3", "V3"): ("90", "affinity:80;needs:10"),
        ("U4", "V4"): ("90", "affinity:50;renewal:30;needs:10"),
    }
    for row in pairs.values():  # reasons add up to the score
        assert sum(int(c.split(":")[1]) for c in row["reasons"].split(";")) == int(row["score"])
    [uncovered] = read_rows(out / "uncovered.csv")
    assert (uncovered["village"], uncovered["missing"]) == ("V5", "1")
    assert uncovered["reason"].startswith("no candidate unit at all")
    summary = json.loads((out / "result.json").read_text())
    assert {
        k: summary[k]
        for k in ("mode", "covered_slots", "required_slots", "total_score", "pairs", "optimal")
    } == {
        "mode": "optimal",
        "covered_slots": 4,
        "required_slots": 5,
        "total_score": 490,
        "pairs": 4,
        "optimal": True,
    }
    assert set(summary["seconds"]) == {"read", "solve", "write"}


def test_at_capacity_reason_and_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = "id,capacity\nA,1\n"
    villages = "id,min,max\nX,1,1\nY,1,1\n"
    edges = "unit,village,score\nA,X,5\nA,Y,9\n"
    folder = write_instance(
        tmp_path / "in",
        units_csv=units,
        villages_csv=villages,
        edges_csv=edges,
        policy_yaml="",
        preferences_csv="unit,village,rank\n",
        previous_csv="unit,village\n",
    )
    out = tmp_path / "out"
    assert main([str(folder), "--out", str(out), "--explain", "X"]) == 0
    [row] = read_rows(out / "uncovered.csv")
    assert row["village"] == "X"
    assert row["reason"].startswith("all 1 candidate units are at capacity")
    printed = capsys.readouterr().out
    assert "village X: 0 pair(s)" in printed
    assert "unit at capacity 1 with Y (score 9)" in printed
    assert main([str(folder), "--out", str(out), "--explain", "NOPE"]) == 2


def test_stable_mode_command(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = write_instance(tmp_path / "in")
    assert main([str(folder), "--out", str(out), "--mode", "stable"]) == 0
    summary = json.loads((out / "result.json").read_text())
    assert (summary["mode"], summary["optimal"]) == ("stable", False)
    pairs = {(r["unit"], r["village"]) for r in read_rows(out / "pairs.csv")}
    assert pairs == {("U1", "V2"), ("U2", "V1"), ("U2", "V3")}


GBK_VILLAGES = (
    "id,name,county,town,tags,needs,min,max\nV1,前川村,Shangnan,赵川镇,,,1,1\n"
    "V2,富水村,Shangnan,富水镇,,,1,1\n"
).encode("gbk")

BAD_INPUTS = {
    "unknown unit id": (
        dict(previous_csv="unit,village\nU4,V4\nU9,V1\n"),
        "previous.csv",
        3,
        "unit",
    ),
    "unknown village id": (
        dict(preferences_csv="unit,village,rank\nU1,V7,1\n"),
        "preferences.csv",
        2,
        "village",
    ),
    "duplicate id": (dict(units_csv=UNITS + "U2,重复,legal,Shangzhou,1,\n"), "units.csv", 6, "id"),
    "non-integer capacity": (
        dict(units_csv=UNITS.replace("legal,Shangzhou,2", "legal,Shangzhou,two")),
        "units.csv",
        3,
        "capacity",
    ),
    "fractional capacity": (
        dict(units_csv=UNITS.replace("legal,Shangzhou,2", "legal,Shangzhou,1.5")),
        "units.csv",
        3,
        "capacity",
    ),
    "negative min": (
        dict(villages_csv=VILLAGES.replace("demo,技术,1,1", "demo,技术,-1,1")),
        "villages.csv",
        5,
        "min",
    ),
    "max below min": (
        dict(villages_csv=VILLAGES.replace("lax,培训,1,2", "lax,培训,3,2")),
        "villages.csv",
        3,
        "max",
    ),
    "pin on a forbidden pair": (
        dict(pins_csv="unit,village\nU2,V1\n", forbids_csv="unit,village\nU3,V3\nU2,V1\n"),
        "pins.csv",
        2,
        "village",
    ),
    "pin on a non-candidate (geography)": (
        dict(pins_csv="unit,village\nU1,V5\n"),
        "pins.csv",
        2,
        "village",
    ),
    "pin on a non-candidate (edges)": (
        dict(edges_csv="unit,village,score\nU1,V1,5\n", pins_csv="unit,village\nU1,V1\nU2,V2\n"),
        "pins.csv",
        3,
        "village",
    ),
    "pin over unit capacity": (
        dict(pins_csv="unit,village\nU1,V1\nU1,V2\n"),
        "pins.csv",
        3,
        "unit",
    ),
    "pin over village max": (
        dict(pins_csv="unit,village\nU1,V1\nU2,V1\n"),
        "pins.csv",
        3,
        "village",
    ),
    "empty units file": (dict(units_csv=""), "units.csv", 1, "id"),
    "header-only villages": (
        dict(villages_csv="id,name,county,town,tags,needs,min,max\n"),
        "villages.csv",
        2,
        "id",
    ),
    "empty edges file": (dict(edges_csv=""), "edges.csv", 1, "unit"),
    "wrong header": (
        dict(units_csv=UNITS.replace("capacity", "capacty")),
        "units.csv",
        1,
        "capacty",
    ),
    "missing column": (dict(edges_csv="unit,village\nU1,V1\n"), "edges.csv", 1, "score"),
    "non-UTF-8 text": (dict(villages_csv=GBK_VILLAGES), "villages.csv", 2, "name"),
    "ragged row": (dict(previous_csv="unit,village\nU4,V4,extra\n"), "previous.csv", 2, "village"),
    "non-integer score": (
        dict(edges_csv="unit,village,score\nU1,V1,5\nU1,V2,high\n"),
        "edges.csv",
        3,
        "score",
    ),
    "rank zero": (
        dict(preferences_csv="unit,village,rank\nU1,V1,0\n"),
        "preferences.csv",
        2,
        "rank",
    ),
    "duplicate pair": (
        dict(forbids_csv="unit,village\nU1,V1\nU2,V2\nU1,V1\n"),
        "forbids.csv",
        4,
        "village",
    ),
    "blank line counts as a row": (
        dict(previous_csv="unit,village\n\nU9,V4\n"),
        "previous.csv",
        3,
        "unit",
    ),
    "policy with an unknown key": (
        dict(policy_yaml=POLICY + "renewal_point: 5\n"),
        "policy.yaml",
        11,
        "renewal_point",
    ),
    "policy with a non-integer weight": (
        dict(policy_yaml=POLICY.replace("legal: {disorder: 50}", "legal: {disorder: lots}")),
        "policy.yaml",
        6,
        "affinity.legal.disorder",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_names_the_place_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, file, row, column = BAD_INPUTS[case]
    folder = write_instance(tmp_path / "in", **files)
    out = tmp_path / "out"
    assert main([str(folder), "--out", str(out)]) == 2
    message = capsys.readouterr().err
    assert f"{file}, row {row}, column {column}:" in message, message
    assert not out.exists()


def test_bad_input_leaves_an_existing_result_dir_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    folder = write_instance(tmp_path / "in", units_csv="")
    assert main([str(folder), "--out", str(out)]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_bom_and_quoted_cells_are_read(tmp_path: Path) -> None:
    units = "\ufeff" + UNITS.replace("县委组织部", '"组织部,机关"')
    out = tmp_path / "out"
    assert main([str(write_instance(tmp_path / "in", units_csv=units)), "--out", str(out)]) == 0
    assert len(read_rows(out / "pairs.csv")) == 4


def write_xlsx(path: Path, text: str) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(text.splitlines()):
        sheet.append([int(c) if c.lstrip("-").isdigit() else c for c in row])
    book.save(path)


def test_xlsx_input_gives_the_csv_result(tmp_path: Path) -> None:
    folder = write_instance(tmp_path / "in")
    (folder / "units.csv").unlink()
    (folder / "villages.csv").unlink()
    write_xlsx(folder / "units.xlsx", UNITS)
    write_xlsx(folder / "villages.xlsx", VILLAGES)
    out = tmp_path / "out"
    assert main([str(folder), "--out", str(out)]) == 0
    assert len(read_rows(out / "pairs.csv")) == 4
    assert json.loads((out / "result.json").read_text())["total_score"] == 490


def test_xlsx_errors_name_the_sheet_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_instance(tmp_path / "in")
    (folder / "units.csv").unlink()
    write_xlsx(
        folder / "units.xlsx", UNITS.replace("agriculture,Shangzhou,1", "agriculture,Shangzhou,x")
    )
    assert main([str(folder), "--out", str(tmp_path / "out")]) == 2
    assert "units.xlsx, row 5, column capacity:" in capsys.readouterr().err


def test_csv_and_xlsx_of_the_same_table_is_ambiguous(tmp_path: Path) -> None:
    folder = write_instance(tmp_path / "in")
    write_xlsx(folder / "units.xlsx", UNITS)
    assert main([str(folder), "--out", str(tmp_path / "out")]) == 2


def test_repair_needs_stable_mode(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(write_instance(tmp_path / "in")), "--out", str(tmp_path / "o"), "--repair"])
    assert exit_info.value.code == 2
