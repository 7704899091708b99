"""Tiny hand-made registers for unit tests: every row written out, every count checkable
by eye."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import clean


def _dates(df: pd.DataFrame, cols) -> pd.DataFrame:
    return df.assign(**{c: pd.to_datetime(df[c]) for c in cols})


def verzuimmeldingen(rows: list[tuple]) -> pd.DataFrame:
    """rows: (gemeente, onderwijssoort, verzuimsoort, datum_melding, datum_afgerond, resultaat)."""
    df = pd.DataFrame(rows, columns=["gemeente", "onderwijssoort", "verzuimsoort", "datum_melding", "datum_afgerond", "resultaat"])
    df = df.assign(
        melding_id=[f"M{i}" for i in range(len(df))],
        jongere_id=[f"J{i}" for i in range(len(df))],
        geboortedatum="2012-01-01",
        nieuwkomer=False,
    )
    df = _dates(df, ["datum_melding", "datum_afgerond", "geboortedatum"]).astype(
        {"resultaat": "string", "gemeente": "string", "onderwijssoort": "string", "verzuimsoort": "string"}
    )
    return clean.clean_verzuimmeldingen(df)


def meldingen_18plus(rows: list[tuple]) -> pd.DataFrame:
    """rows: (jongere_id, datum_melding, actie_gewenst, inzet_consulent, uitkomst)."""
    df = pd.DataFrame(rows, columns=["jongere_id", "datum_melding", "actie_gewenst", "inzet_consulent", "uitkomst"])
    df = df.assign(melding_id=[f"D{i}" for i in range(len(df))], gemeente="Aalten", onderwijssoort="mbo", geboortedatum="2005-01-01")
    df = _dates(df, ["datum_melding", "geboortedatum"]).astype({"actie_gewenst": "boolean", "inzet_consulent": "boolean", "uitkomst": "string"})
    return clean.clean_meldingen_18plus(df)


def vsv(trajecten: list[tuple], status: list[tuple], years: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """trajecten: (traject_id, gemeente, datum_uitschrijving, geboortedatum);
    status: (traject_id, datum, status, resultaat)."""
    tr = pd.DataFrame(trajecten, columns=["traject_id", "gemeente", "datum_uitschrijving", "geboortedatum"])
    tr = _dates(tr.assign(jongere_id=tr.traject_id, onderwijssoort="mbo", reden_uitval="werken"), ["datum_uitschrijving", "geboortedatum"])
    st = _dates(pd.DataFrame(status, columns=["traject_id", "datum", "status", "resultaat"]), ["datum"])
    return clean.clean_vsv_trajecten(tr), clean.vsv_status_eind(st, years)
