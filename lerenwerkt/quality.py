"""Data-quality page of a delivery: completeness, duplicates, dates per month, counts per
gemeente against the previous schooljaar (big jumps flagged), meldingen open for over a year.

For the person who delivers the export: it shows what to check before the figures are
used. It holds counts only — no identifiers, no dates of a person, no rows: a contract
problem names file, row, column and what was expected, and the value found only for columns
that cannot identify anyone (see :func:`lerenwerkt.load.shown`). The page is internal.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from scipy import stats as st

from lerenwerkt import codes, fmt, render
from lerenwerkt import schooljaar as sj
from lerenwerkt.clean import SCHOOLJAAR_DATE
from lerenwerkt.io import atomic_write_text
from lerenwerkt.load import validate_delivery
from lerenwerkt.schemas import SPECS

#: A change between schooljaren is flagged when the exact conditional Poisson test
#: (binomial on n1 of n1+n2) gives p below this and the count moved by at least 5.
P_SPRONG = 0.01
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


#: The delivery's files as the page names them (readable Dutch, not file names).
BESTANDEN = {
    "verzuimmeldingen": "Verzuimmeldingen",
    "vrijstellingen": "Vrijstellingen",
    "handhaving": "Handhaving",
    "meldingen_18plus": "Meldingen 18+",
    "vsv_trajecten": "Vsv-trajecten",
    "vsv_status": "Vsv-status",
    "zorg_preventie": "Zorg en preventie",
    "bevolking": "Bevolking (CBS)",
    "leerplichttelling": "Leerplichttelling",
    "duo_vsv": "Vsv-cijfers DUO",
    "jikp": "Jeugd in de knel (JIKP)",
    "schoollocatie": "Schoollocaties",
    "kerncijfers": "Kerncijfers",
}


def bestand_label(name_or_path: str) -> str:
    """'registratie/meldingen_18plus.csv' or 'meldingen_18plus' -> 'Meldingen 18+'."""
    name = name_or_path.rsplit("/", 1)[-1].removesuffix(".csv")
    return BESTANDEN.get(name, name.replace("_", " ").capitalize())


def gevuld_procent(filled: int, total: int) -> str:
    """The filled share, rounded DOWN to one decimal: a column with one empty value in
    100.000 reads '99,9', never '100,0'."""
    if not total:
        return fmt.ONBEKEND
    tenths = (1000 * filled) // total
    return fmt.getal(tenths / 10, decimalen=1)


def completeness(reg: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for name, df in reg.items():
        for col in df.columns:
            if col in {c.name for c in SPECS[name].columns}:
                filled = int(df[col].notna().sum())
                rows.append(
                    {
                        "bestand": SPECS[name].path,
                        "kolom": col,
                        "gevuld": filled,
                        "leeg": len(df) - filled,
                        "gevuld_pct": 100.0 * filled / len(df) if len(df) else float("nan"),
                    }
                )
    return pd.DataFrame(rows)


def duplicates(reg: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows that are equal in every column except their own id: possible double entries."""
    rows = []
    for name, df in reg.items():
        spec = SPECS[name]
        if spec.folder != "registratie" or len(spec.unique) != 1:
            continue  # extern files: their composite key is checked by the contract
        cols = [c.name for c in spec.columns if c.name not in spec.unique]
        n = int(df.duplicated(subset=cols, keep="first").sum()) if len(df) else 0
        rows.append({"bestand": spec.path, "rijen": len(df), "mogelijk_dubbel": n})
    return pd.DataFrame(rows)


def per_month(reg: dict[str, pd.DataFrame], *, schooljaar: str) -> pd.DataFrame:
    months = pd.period_range(sj.start(sj.shift(schooljaar, -1)), sj.end(schooljaar), freq="M")
    out = {}
    for name, col in SCHOOLJAAR_DATE.items():
        df = reg.get(name)
        if df is None:
            continue
        counts = df[col].dt.to_period("M").value_counts()
        out[bestand_label(name)] = counts.reindex(months, fill_value=0)
    f = pd.DataFrame(out)
    f.index = [p.strftime("%Y-%m") for p in months]
    return f


def jumps(reg: dict[str, pd.DataFrame], *, schooljaar: str) -> pd.DataFrame:
    """Records per gemeente this schooljaar and last, with the change and a flag."""
    vorig = sj.shift(schooljaar, -1)
    rows = []
    for name, col in SCHOOLJAAR_DATE.items():
        df = reg.get(name)
        if df is None or "gemeente" not in df:
            continue
        year = sj.of_dates(df[col])
        for g in codes.GEMEENTEN:
            now = int(((year == schooljaar) & (df.gemeente == g)).sum())
            prev = int(((year == vorig) & (df.gemeente == g)).sum())
            p = st.binomtest(now, now + prev, 0.5).pvalue if now + prev else 1.0
            rows.append(
                {
                    "bestand": name,
                    "gemeente": g,
                    "vorig": prev,
                    "huidig": now,
                    "verschil_pct": 100.0 * (now - prev) / prev if prev else float("nan"),
                    "sprong": bool(p < P_SPRONG and abs(now - prev) >= 5),
                }
            )
    return pd.DataFrame(rows)


def open_old(reg: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """Verzuimmeldingen without datum_afgerond, reported more than a year before the latest
    date in the delivery, per gemeente and verzuimsoort."""
    vm = reg.get("verzuimmeldingen")
    if vm is None or vm.empty:
        return pd.DataFrame(), None
    peil = vm.datum_melding.max()
    old = vm[vm.datum_afgerond.isna() & (vm.datum_melding < peil - pd.Timedelta(days=365)) & (vm.verzuimsoort != "informatie_advies")]
    f = old.groupby(["gemeente", "verzuimsoort"]).size().rename("meldingen").reset_index()
    return f.assign(verzuimsoort=f.verzuimsoort.map(codes.VERZUIMSOORT)), peil


def page(data_dir: Path | str, *, schooljaar: str, checked: tuple | None = None) -> str:
    """The page; ``checked`` = the ``(register, problems)`` of :func:`validate_delivery` if
    the caller has them already (a large delivery is then read once)."""
    reg, problems = checked if checked is not None else validate_delivery(data_dir)
    parts = [
        render.Block(
            f'<h1>Datakwaliteit van de levering</h1><p class="lw-scope">schooljaar {schooljaar} · {len(reg)} van {len(SPECS)} bestanden ingelezen · intern: niet voor publicatie (kleine aantallen niet onderdrukt)</p>'
        ),
        render.heading("Controle tegen het datacontract", 2),
    ]
    if problems:
        items = [str(p) for p in problems[:200]]
        more = f" (eerste 200 van {len(problems)})" if len(problems) > 200 else ""
        parts.append(
            render.paragraph(
                f"{fmt.getal(len(problems))} {'probleem' if len(problems) == 1 else 'problemen'} gevonden{more}: de levering kan zo niet worden gebruikt."
            )
        )
        parts.append(render.bullets(items))
    else:
        parts.append(render.paragraph("Geen problemen: de levering volgt het datacontract."))
    if reg:
        c = completeness(reg)
        c = c.assign(
            rij=c.bestand.map(bestand_label) + " | " + c.kolom.str.replace("_", " "),
            gevuld_pct=[gevuld_procent(f, f + e) for f, e in zip(c.gevuld, c.leeg)],
        ).set_index("rij")[["gevuld", "leeg", "gevuld_pct"]]
        c.index.name = None
        c.columns = ["Gevuld", "Leeg", "Gevuld (%)"]
        parts += [
            render.heading("Volledigheid per kolom", 2),
            render.paragraph("Het percentage is naar beneden afgerond: 100,0 alleen als geen enkel veld leeg is."),
            render.table(c, titel="Gevulde velden per kolom", bron="levering", uid="dq-volledig", totaal_rows=()),
        ]
        d = duplicates(reg)
        d = d.assign(bestand=d.bestand.map(bestand_label)).set_index("bestand")
        d.index.name = None
        d.columns = ["Rijen", "Mogelijk dubbel"]
        parts += [
            render.heading("Dubbele registraties", 2),
            render.paragraph("Rijen die in alle kolommen gelijk zijn behalve hun eigen nummer."),
            render.table(d, titel="Mogelijk dubbele rijen", bron="levering", uid="dq-dubbel", totaal_rows=()),
        ]
        m = per_month(reg, schooljaar=schooljaar)
        parts += [
            render.heading("Registraties per maand", 2),
            render.table(
                m, titel=f"Aantal registraties per maand, {sj.shift(schooljaar, -1)} en {schooljaar}", bron="levering", uid="dq-maand", totaal_rows=()
            ),
        ]
        j = jumps(reg, schooljaar=schooljaar)
        flagged = j[j.sprong]
        jt = j.assign(rij=j.bestand.map(bestand_label) + " | " + j.gemeente).set_index("rij")[["vorig", "huidig", "verschil_pct"]]
        jt.index.name = None
        jt = jt.assign(verschil_pct=jt.verschil_pct.map(lambda v: fmt.verschil_procent(v)), sprong=["sterke verandering" if s else "" for s in j.sprong])
        jt.columns = [sj.shift(schooljaar, -1), schooljaar, "Verschil", "Let op"]
        note = (
            f"{fmt.getal(len(flagged))} {'combinatie van bestand en gemeente verandert' if len(flagged) == 1 else 'combinaties van bestand en gemeente veranderen'} sterk (exacte toets, p < {fmt.getal(P_SPRONG, decimalen=2)}, minstens 5 verschil): controleer of de export compleet is."
            if len(flagged)
            else "Geen sterke veranderingen per gemeente."
        )
        parts += [
            render.heading("Per gemeente tegen het vorige schooljaar", 2),
            render.paragraph(note),
            render.table(jt, titel="Registraties per gemeente", bron="levering", uid="dq-sprong", totaal_rows=()),
        ]
        o, peil = open_old(reg)
        parts.append(render.heading("Meldingen die al meer dan een jaar openstaan", 2))
        if peil is None or o.empty:
            parts.append(render.paragraph("Geen meldingen die langer dan een jaar openstaan."))
        else:
            of = o.set_index(["gemeente", "verzuimsoort"])
            of.index = [f"{g} | {s}" for g, s in of.index]
            parts.append(
                render.paragraph(
                    f"Peildatum: de laatste meldingsdatum in de levering (in {MAANDEN[peil.month - 1]} {peil.year}). Sluit deze meldingen af of controleer ze."
                )
            )
            parts.append(
                render.table(
                    of.rename(columns={"meldingen": "Meldingen"}), titel="Open meldingen ouder dan een jaar", bron="levering", uid="dq-open", totaal_rows=()
                )
            )
    body = "".join(p.markup for p in parts)
    from lerenwerkt.report import CSS, with_banner

    # intern wherever it is written (build or validate --report): the banner, also in print
    return with_banner(
        f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>Datakwaliteit levering {html.escape(schooljaar)}</title>{CSS}</head><body><main>{body}</main></body></html>\n'
    )


def write_page(data_dir: Path | str, out: Path | str, *, schooljaar: str, checked: tuple | None = None) -> Path:
    out = Path(out)
    atomic_write_text(out, page(data_dir, schooljaar=schooljaar, checked=checked))
    return out
