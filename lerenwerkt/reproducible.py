"""The same inputs give the same bytes: the date a file format wants, and the zip packaging of
Office files, made a function of the build's inputs.

Word and Excel write the time of writing into ``docProps/core.xml`` (``dcterms:created``,
``dcterms:modified``, ``cp:lastPrinted``) and into every zip entry; Chromium writes it into a
PDF (``/CreationDate``, ``/ModDate``) with a random document ``/ID``. Here each of them gets
:func:`datum`: ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else a date
the build's inputs give (the caller's: the newest date in the delivery). Light on purpose: the
template renderer (:mod:`lerenwerkt.sjabloon`) imports it in its own small process.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from datetime import UTC, date, datetime

#: The earliest date a zip entry can carry (DOS time), and the fallback when nothing gives one.
ZIP_BEGIN = datetime(1980, 1, 1, tzinfo=UTC)
EPOCH_ENV = "SOURCE_DATE_EPOCH"


_STANDAARD: datetime | None = None


def gebruik(moment: str | datetime | None) -> None:
    """Set this process's date for :func:`datum` without an argument (the package's printer
    process prints every katern of one delivery)."""
    global _STANDAARD
    _STANDAARD = datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def datum(uit_invoer: date | datetime | None = None) -> datetime:
    """The date of a build's files (UTC): ``SOURCE_DATE_EPOCH`` when set, else ``uit_invoer``
    (a date the inputs give; midnight UTC for a date), else the one :func:`gebruik` set, else
    1980-01-01."""
    uit_invoer = uit_invoer if uit_invoer is not None else _STANDAARD
    epoch = os.environ.get(EPOCH_ENV, "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ValueError(f"{EPOCH_ENV}={epoch[:20]!r}: verwacht een geheel aantal seconden sinds 1970-01-01 (UTC)")
        return max(datetime.fromtimestamp(int(epoch), tz=UTC), ZIP_BEGIN)
    if uit_invoer is None:
        return ZIP_BEGIN
    if not isinstance(uit_invoer, datetime):
        uit_invoer = datetime(uit_invoer.year, uit_invoer.month, uit_invoer.day)
    if uit_invoer.tzinfo is None:
        uit_invoer = uit_invoer.replace(tzinfo=UTC)
    return max(uit_invoer.astimezone(UTC).replace(microsecond=0), ZIP_BEGIN)


def leveringsdatum(reg) -> date | None:
    """The newest date on which the delivery registered something: the latest value of the
    register's ``datum*`` columns, leaving out planned ends (``datum_einde``), birth dates and
    reference dates (``peildatum``). ``None`` for a register without dates."""
    import pandas as pd

    newest = None
    for frame in reg.values():
        for col in getattr(frame, "columns", ()):
            if not str(col).startswith("datum") or "einde" in str(col) or not pd.api.types.is_datetime64_any_dtype(frame[col]):
                continue
            m = frame[col].max()
            if pd.notna(m) and (newest is None or m > newest):
                newest = m
    return None if newest is None else newest.date()


def iso(moment: datetime) -> str:
    """``2025-07-31T00:00:00Z``, as ``docProps/core.xml`` writes a W3CDTF date."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def zip_tijd(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date_time (DOS time: from 1980, even seconds)."""
    m = max(moment, ZIP_BEGIN).astimezone(UTC)
    return (m.year, m.month, m.day, m.hour, m.minute, m.second - m.second % 2)


_CORE_DATES = ("dcterms:created", "dcterms:modified", "cp:lastPrinted")


def _core_xml(xml: bytes, moment: datetime) -> bytes:
    text = xml.decode("utf-8")
    for tag in _CORE_DATES:
        text = re.sub(rf"(<{tag}(?:\s[^>]*)?>)[^<]*(</{tag}>)", lambda m: m.group(1) + iso(moment) + m.group(2), text)
    return text.encode("utf-8")


def ooxml(data: bytes, moment: datetime) -> bytes:
    """An Office file (docx, xlsx) whose bytes depend on its content only: the dates of
    ``docProps/core.xml`` set to ``moment``, every zip entry with that time, fixed
    permissions, in the order written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            blob = zin.read(item)
            if item.filename == "docProps/core.xml":
                blob = _core_xml(blob, moment)
            info = zipfile.ZipInfo(item.filename, date_time=zip_tijd(moment))
            info.compress_type = item.compress_type
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zout.writestr(info, blob, compresslevel=6 if item.compress_type == zipfile.ZIP_DEFLATED else None)
    return out.getvalue()


def _pdf_datum(moment: datetime) -> bytes:
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()


def pdf(data: bytes, moment: datetime) -> bytes:
    """A PDF (as Chromium prints it) whose bytes depend on its content only:
    ``/CreationDate`` and ``/ModDate`` set to ``moment`` and the document ``/ID`` a hash of the
    rest. Done in place, each value replaced by one of the same length, so the offsets of the
    cross-reference table stay right."""

    def _date(m: re.Match) -> bytes:
        new = b"(" + _pdf_datum(moment) + b")"
        old = m.group(2)
        if len(new) > len(old):
            raise ValueError("PDF: onverwachte datumnotatie (verwacht D:JJJJMMDDUUMMSS)")
        return m.group(1) + new[:-1] + b" " * (len(old) - len(new)) + b")"

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*)(\([^)]*\))", _date, data)
    ids = list(re.finditer(rb"/ID\s*\[\s*<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*\]", data))
    if not ids:
        return data
    zonder = data
    for m in reversed(ids):
        zonder = zonder[: m.start()] + zonder[m.end() :]
    digest = hashlib.sha256(zonder).hexdigest().upper()
    out = bytearray(data)
    for m in ids:
        for g in (1, 2):
            n = m.end(g) - m.start(g)
            out[m.start(g) : m.end(g)] = (digest * (n // len(digest) + 1))[:n].encode()
    return bytes(out)
