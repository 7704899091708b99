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


def add_labels(df: pd.DataFrame, *, labels: dict[str, dict[str, str]]) -> pd.DataFrame:
    """A ``<column>_label`` with the Dutch display label of each coded column."""
    return df.assign(**{f"{col}_label": df[col].map(mapping).astype("string") for col, mapping in labels.items()})


def add_schooljaar(df: pd.DataFrame, *, date_column: str) -> pd.DataFrame:
    return df.assign(schooljaar=sj.of_dates(df[date_column]))


def clean_verzuimmeldingen(vm: pd.DataFrame) -> pd.DataFrame:
    """Schooljaar, age at the melding, and the result as it stood on 31 July.

    A melding still open on 31 July of its schooljaar (no or a later ``datum_afgerond``)
    counts as "nog in behandeling" (data contract, reporting rules).
    """
    out = add_schooljaar(vm, date_column="datum_melding")
    end = pd.to_datetime(out.schooljaar.map(lambda s: sj.end(s)))
    open_at_end = out.datum_afgerond.isna() | (out.datum_afgerond > end)
    info = out.verzuimsoort == "informatie_advies"
    resultaat_eind = out.resultaat.where(~open_at_end, codes.NOG_IN_BEHANDELING).where(~info, pd.NA)
    return out.assign(
        leeftijd=sj.age_at(out.geboortedatum, out.datum_melding),
        onderwijsniveau=out.onderwijssoort.map(codes.ONDERWIJSSOORT_NAAR_NIVEAU).astype("string"),
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
