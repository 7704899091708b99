"""Stage 2: derive what every indicator needs from the validated register.

Adds the schooljaar of each record (by the date the contract names), ages, and the status
at the end of each schooljaar. Never changes its input; the same register gives the same
output (idempotent), written as Parquet to ``data/processed``.
"""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.load import Register

#: Which date decides the schooljaar of a record (data contract).
SCHOOLJAAR_DATE = {
    "verzuimmeldingen": "datum_melding",
    "vrijstellingen": "datum_ingang",
    "handhaving": "datum",
    "meldingen_18plus": "datum_melding",
    "vsv_trajecten": "datum_uitschrijving",
    "zorg_preventie": "datum_start",
}


#: Dutch display label per coded column (from the one place that defines them).
LABELS = {
    "verzuimmeldingen": {"onderwijssoort": codes.ONDERWIJSSOORT, "verzuimsoort": codes.VERZUIMSOORT, "resultaat": codes.RESULTAAT_VERZUIM},
    "vrijstellingen": {"artikel": codes.ARTIKEL},
    "handhaving": {"soort": codes.HANDHAVING_SOORT},
    "meldingen_18plus": {"uitkomst": codes.UITKOMST_18PLUS},
    "vsv_trajecten": {"reden_uitval": codes.REDEN_UITVAL},
    "zorg_preventie": {"aanleiding": codes.ZP_AANLEIDING, "uitkomst": codes.ZP_UITKOMST},
}


def map_codes(s: pd.Series, mapping) -> pd.Series:
    """``s.map(mapping)`` done on the few distinct codes (as categories), not on every row:
    a column of millions of rows is never turned into Python objects."""
    return s.astype("category").map(mapping)


def map_text(s: pd.Series, mapping) -> pd.Series:
    """``s.map(mapping).astype("string")`` built directly as a pyarrow column: the labels of
    the distinct codes, taken by each row's category code (missing or unmapped -> <NA>)."""
    import pyarrow as pa

    cat = s.astype("category")
    labels = pa.array([mapping.get(c) if hasattr(mapping, "get") else mapping(c) for c in cat.cat.categories], type=pa.large_string())
    codes_ = cat.cat.codes.to_numpy()
    taken = labels.take(pa.array(codes_, mask=codes_ < 0))
    out = taken.to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow"))
    out.index = s.index
    return out


def add_labels(df: pd.DataFrame, *, labels: dict[str, dict[str, str]]) -> pd.DataFrame:
    """A ``<column>_label`` with the Dutch display label of each coded column."""
    return df.assign(**{f"{col}_label": map_text(df[col], mapping) for col, mapping in labels.items()})


def add_schooljaar(df: pd.DataFrame, *, date_column: str) -> pd.DataFrame:
    """The schooljaar of each record (as :func:`lerenwerkt.schooljaar.of_dates`), labelled
    per distinct start year rather than per row, so that millions of rows stay compact."""
    d = pd.to_datetime(df[date_column])
    start_year = (d.dt.year - (d.dt.month < 8).astype("int64")).astype("Int64")
    labels = {int(y): sj.label(int(y)) for y in start_year.dropna().unique()}
    return df.assign(schooljaar=map_text(start_year, labels))


def clean_verzuimmeldingen(vm: pd.DataFrame) -> pd.DataFrame:
    """Schooljaar, age at the melding, and the result as it stood on 31 July.

    A melding still open on 31 July of its schooljaar (no or a later ``datum_afgerond``)
    counts as "nog in behandeling" (data contract, reporting rules).
    """
    out = add_schooljaar(vm, date_column="datum_melding")
    end = map_codes(out.schooljaar, sj.end).astype("datetime64[us]")
    open_at_end = out.datum_afgerond.isna() | (out.datum_afgerond > end)
    info = out.verzuimsoort == "informatie_advies"
    resultaat_eind = out.resultaat.where(~open_at_end, codes.NOG_IN_BEHANDELING).where(~info, pd.NA)
    return out.assign(
        leeftijd=sj.age_at(out.geboortedatum, out.datum_melding),
        onderwijsniveau=map_text(out.onderwijssoort, codes.ONDERWIJSSOORT_NAAR_NIVEAU),
        resultaat_eind=resultaat_eind.astype("string"),
        open_eind=(open_at_end & ~info).astype("boolean"),
    )


def clean_meldingen_18plus(m: pd.DataFrame) -> pd.DataFrame:
    out = add_schooljaar(m, date_column="datum_melding")
    return out.assign(leeftijd=sj.age_at(out.geboortedatum, out.datum_melding))


def clean_vsv_trajecten(tr: pd.DataFrame) -> pd.DataFrame:
    out = add_schooljaar(tr, date_column="datum_uitschrijving")
    return out.assign(leeftijd_uitschrijving=sj.age_at(out.geboortedatum, out.datum_uitschrijving))


def vsv_status_eind(status: pd.DataFrame, schooljaren: list[str]) -> pd.DataFrame:
    """Status of every traject at the end of each schooljaar: its last change dated on or
    before 31 July (data contract). Trajecten with no change yet by then are absent."""
    ordered = status.sort_values(["traject_id", "datum"], kind="stable")
    frames = []
    for s in schooljaren:
        upto = ordered[ordered.datum <= sj.end(s)]
        last = upto.groupby("traject_id", sort=True).tail(1)
        frames.append(last.assign(schooljaar=s))
    cols = ["traject_id", "schooljaar", "datum", "status", "resultaat"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols].astype({"schooljaar": "string"})


def clean_register(reg: Register) -> Register:
    """The processed register: every raw table with derived columns, plus ``vsv_status_eind``."""
    out = dict(reg)
    out["verzuimmeldingen"] = clean_verzuimmeldingen(reg["verzuimmeldingen"])
    out["meldingen_18plus"] = clean_meldingen_18plus(reg["meldingen_18plus"])
    out["vsv_trajecten"] = clean_vsv_trajecten(reg["vsv_trajecten"])
    for name in ("vrijstellingen", "handhaving", "zorg_preventie"):
        out[name] = add_schooljaar(reg[name], date_column=SCHOOLJAAR_DATE[name])
    for name, labels in LABELS.items():
        out[name] = add_labels(out[name], labels=labels)
    years = _years_present(out)
    out["vsv_status_eind"] = vsv_status_eind(reg["vsv_status"], years)
    return out


def _years_present(reg: Register) -> list[str]:
    found = set()
    for name in SCHOOLJAAR_DATE:
        found |= set(reg[name].schooljaar.dropna())
    if not found:
        return []
    return sj.years(min(found), max(found))
