"""The synthetic register: reproducible byte for byte, calibrated for any seed, and
records that look real."""

from __future__ import annotations

import pandas as pd
import pytest

from lerenwerkt import config, tables
from lerenwerkt.cli import main
from lerenwerkt.pipeline import prepare
from lerenwerkt.schemas import SPECS
from lerenwerkt.synth import generate
from tests.backtest import compare


def test_synth_regenerates_shipped_files_byte_for_byte(tmp_path):
    assert main(["synth", "--out", str(tmp_path)]) == 0
    for spec in SPECS.values():
        shipped = (config.RAW_DIR / spec.path).read_bytes()
        assert (tmp_path / spec.path).read_bytes() == shipped, f"{spec.path} differs from the shipped file"


@pytest.fixture(scope="module")
def other_seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed7")
    generate(out, seed=7)
    return out, prepare(out, processed_dir=tmp_path_factory.mktemp("p7"))


def test_other_seed_differs_but_stays_calibrated(other_seed, reference):
    path, reg = other_seed
    assert (path / "registratie/verzuimmeldingen.csv").read_bytes() != (config.RAW_DIR / "registratie/verzuimmeldingen.csv").read_bytes()
    result = compare(tables.cells(tables.all_tables(reg, schooljaar="2024-2025")), reference)
    assert result.ok.all(), result[~result.ok].head(20).to_string()


def test_ages_fit_the_onderwijssoort(shipped):
    vm = shipped["verzuimmeldingen"]
    bounds = {"sbo": (4, 13), "vso": (4, 18), "vo": (11, 18), "mbo": (15, 18), "geen": (4, 18)}
    for soort, (lo, hi) in bounds.items():
        ages = vm[vm.onderwijssoort == soort].leeftijd
        assert ages.between(lo, hi).all(), f"{soort}: ages {ages.min()}-{ages.max()}"
    m18 = shipped["meldingen_18plus"]
    assert m18.leeftijd.between(18, 22).all()
    tr = shipped["vsv_trajecten"]
    young = tr[tr.leeftijd_uitschrijving < 18]
    assert set(young.onderwijssoort) <= {"pro", "vso"}, "vsv'ers under 18 come from pro/vso (Bijlage 3 Tabel 2)"


def test_records_spread_over_the_year_and_repeat_per_jongere(shipped):
    vm = shipped["verzuimmeldingen"]
    months = vm[vm.schooljaar == "2024-2025"].datum_melding.dt.month.value_counts()
    assert len(months) == 12 and months.min() > 0
    assert months[7] < months[10], "fewer meldingen in the summer holiday"
    per_child = vm[vm.verzuimsoort != "informatie_advies"].groupby("jongere_id").size()
    assert (per_child > 1).sum() > 100, "several meldingen per jongere occur"
    m18 = shipped["meldingen_18plus"]
    assert (m18[m18.schooljaar == "2024-2025"].groupby("jongere_id").size() > 1).sum() == 251


def test_extern_marks_invented_values(shipped):
    bev = shipped["bevolking"]
    assert set(bev[bev.peildatum == pd.Timestamp("2025-01-01")].bron) == {"CBS StatLine"}
    assert set(bev[bev.peildatum < pd.Timestamp("2025-01-01")].bron) == {"synthetisch"}
    assert set(shipped["jikp"].bron) == {"synthetisch"}
    assert set(shipped["leerplichttelling"].bron) == {"Leerplichttelling"}
