"""Every chapter function renders for the region, a gemeente and an earlier schooljaar,
without executing notebooks: only Dutch text, tables and charts come out."""

from __future__ import annotations

import inspect
import re

import pytest

from lerenwerkt import render
from lerenwerkt.chapters import absoluut_verzuim, bijlagen, jikp, raadsmededeling, verzuim, vrijstellingen, vsv

MODULES = [verzuim, vrijstellingen, vsv, jikp, bijlagen, raadsmededeling, absoluut_verzuim]


def _blocks(module, reg, schooljaar, gemeente, publicatie="intern"):
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ != module.__name__ or name.startswith("_"):
            continue
        params = inspect.signature(fn).parameters
        if "reg" not in params and "schooljaar" not in params:
            continue
        kwargs = {"schooljaar": schooljaar}
        assert "gemeente" not in params or "publicatie" in params, f"{name}: notebooks pass **scope, which includes publicatie"
        if "publicatie" in params:
            kwargs["publicatie"] = publicatie
        if "gemeente" in params:
            kwargs["gemeente"] = gemeente
        args = (reg,) if "reg" in params else ()
        yield name, fn(*args, **kwargs)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
@pytest.mark.parametrize(
    ("schooljaar", "gemeente", "publicatie"),
    [("2024-2025", None, "intern"), ("2024-2025", "Oost Gelre", "intern"), ("2023-2024", "Aalten", "intern"), ("2024-2025", "Doesburg", "openbaar")],
)
def test_chapter_renders_clean_html(shipped, module, schooljaar, gemeente, publicatie):
    if module is raadsmededeling and gemeente is None:
        pytest.skip("a raadsmededeling exists per gemeente only")
    for name, block in _blocks(module, shipped, schooljaar, gemeente, publicatie):
        assert isinstance(block, render.Block), name
        html = re.sub(r'src="data:image/png;base64,[^"]+"', "", block.markup)
        assert not re.search(r"\bnan\b|NaN|None|<NA>", html), f"{name}: missing value leaked"
        assert not re.search(r"\b(VM|DM|VSV|ZP|VR|HH)\d{5,}|\bJ\d{7}\b", html), f"{name}: identifier leaked"


def test_jikp_synthetic_figures_show_what_the_report_says(shipped):
    from lerenwerkt.indicators.jikp import samenvatting

    s = samenvatting(shipped["jikp"], schooljaar="2024-2025").set_index(["startpositie", "meetmoment"])
    for pos in ("entree", "vmbo_bb"):  # mostly stay in education, mostly to mbo niveau 2
        assert s.loc[(pos, 1), "onderwijs_pct"] > 50
        assert s.loc[(pos, 1), "mbo_2_plus_pct"] > s.loc[(pos, 1), "onderwijs_pct"] / 2
    for pos in ("pro", "vso"):  # mostly leave education
        assert s.loc[(pos, 1), "onderwijs_pct"] < 50
    assert 60 <= s.loc[("pro", 1), "uitstroom_werk_pct"] <= 80  # about 70% of pro leavers work
    vso = s.loc[("vso", 1)]
    assert vso.uitstroom_werk_pct > 25 and vso.uitstroom_uitkering_pct > 25 and vso.uitstroom_niet_in_beeld_pct > 5
