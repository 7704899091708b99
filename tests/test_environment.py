"""environment.yml (conda users) pins the same packages as pyproject.toml."""

from __future__ import annotations

import tomllib

import yaml

from lerenwerkt import config


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text())["project"]
    pins = set(project["dependencies"]).union(*project["optional-dependencies"].values())
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert {p for p in pip if "==" in p} == pins
    assert all("==" in p for p in pins), "every dependency is pinned"
