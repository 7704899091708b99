"""CI workflows publish the openbare publication only (issue 23, point 10).

An artefact of a workflow run is kept for weeks and can be downloaded by anyone with access
to the repository: intern drafts (unprotected counts) must never be in it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
import yaml

from lerenwerkt import config

WORKFLOWS = sorted((config.PROJECT_DIR / ".github" / "workflows").glob("*.y*ml"))
OPENBAAR = PurePosixPath("reports/openbaar")


def _uploads(workflow: Path) -> list[tuple[str, list[str]]]:
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    out = []
    for job_name, job in (doc.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            uses = str(step.get("uses", ""))
            if "upload-artifact" in uses or "upload-pages-artifact" in uses:
                paths = [ln.strip() for ln in str((step.get("with") or {}).get("path", "")).splitlines() if ln.strip()]
                out.append((f"{workflow.name}:{job_name}", paths))
    return out


def only_openbaar(paths: list[str]) -> list[str]:
    """The paths of an upload that are not inside ``reports/openbaar/`` (empty: allowed)."""
    bad = []
    for p in paths:
        if p.startswith("!"):
            continue  # an exclusion only narrows the upload
        pp = PurePosixPath(p.rstrip("/"))
        if ".." in pp.parts or "*" in str(pp.parent) or pp.parts[: len(OPENBAAR.parts)] != OPENBAAR.parts:
            bad.append(p)
    return bad


def test_the_check_rejects_intern_uploads():
    assert only_openbaar(["reports/"]) == ["reports/"]
    assert only_openbaar(["reports/2024-2025/aalten"]) == ["reports/2024-2025/aalten"]
    assert only_openbaar(["reports/openbaar/../2024-2025"]) == ["reports/openbaar/../2024-2025"]
    assert only_openbaar(["reports/**/*.html"]) == ["reports/**/*.html"]
    assert only_openbaar(["reports/openbaar/", "!reports/openbaar/x"]) == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_artefacts_hold_the_openbare_publication_only(workflow):
    for where, paths in _uploads(workflow):
        assert paths, f"{where}: upload zonder pad"
        assert only_openbaar(paths) == [], f"{where} uploadt meer dan reports/openbaar/: {only_openbaar(paths)}"


def test_there_is_a_workflow_to_check():
    assert WORKFLOWS and any(_uploads(w) for w in WORKFLOWS)
