"""The date a file format wants comes from the inputs, not the clock (issue 25): the rules of
:func:`lerenwerkt.reproducible.datum`, and the PDF and Office post-processing on bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest

from lerenwerkt import reproducible

#: A PDF's trailer and info dictionary as Chromium (Skia) writes them, with a document ID.
PDF = (
    b"%PDF-1.4\n1 0 obj\n<</Title (x) /Producer (Skia/PDF m156) /CreationDate (D:20261207192057+00'00') "
    b"/ModDate (D:20261207192057+00'00')>>\nendobj\nxref\n0 2\ntrailer\n<</Size 2 /Root 1 0 R /Info 1 0 R "
    b"/ID [<0123456789ABCDEF0123456789ABCDEF> <FEDCBA9876543210FEDCBA9876543210>]>>\nstartxref\n9\n%%EOF\n"
)


def test_date_comes_from_source_date_epoch_else_the_inputs(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert reproducible.datum(date(2025, 11, 22)) == datetime(2025, 11, 22, tzinfo=UTC)
    assert reproducible.datum() == datetime(1980, 1, 1, tzinfo=UTC)
    reproducible.gebruik("2025-07-31T00:00:00Z")
    try:
        assert reproducible.datum() == datetime(2025, 7, 31, tzinfo=UTC)
    finally:
        reproducible.gebruik(None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert reproducible.datum(date(2025, 11, 22)) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "gisteren")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='gisteren': verwacht een geheel aantal seconden"):
        reproducible.datum()


def test_pdf_dates_and_id_are_set_in_place():
    """Same length, so the cross-reference offsets stay right; the ID is a hash of the content
    without it, so the same print gives the same bytes, and another content another ID."""
    moment = datetime(2025, 11, 22, tzinfo=UTC)
    out = reproducible.pdf(PDF, moment)
    assert len(out) == len(PDF) and b"20261207" not in out
    assert out.count(b"(D:20251122000000+00'00')") == 2
    assert b"0123456789ABCDEF0123456789ABCDEF" not in out
    later = PDF.replace(b"192057", b"235959")  # the same page printed at another time
    assert reproducible.pdf(later, moment) == out == reproducible.pdf(out, moment)
    assert reproducible.pdf(PDF.replace(b"(x)", b"(y)"), moment)[-130:] != out[-130:]


def test_office_file_gets_the_date_in_its_core_properties_and_zip_entries():
    moment = datetime(2025, 11, 22, tzinfo=UTC)
    core = (
        b'<cp:coreProperties xmlns:cp="c" xmlns:dcterms="d"><dcterms:created xsi:type="dcterms:W3CDTF">2026-12-07T19:20:57Z</dcterms:created>'
        b"<dcterms:modified>2026-12-07T19:20:58Z</dcterms:modified><cp:lastPrinted>2026-01-01T00:00:00Z</cp:lastPrinted></cp:coreProperties>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("docProps/core.xml", core)
    out = reproducible.ooxml(buf.getvalue(), moment)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert [i.filename for i in z.infolist()] == ["[Content_Types].xml", "docProps/core.xml"]
        assert {i.date_time for i in z.infolist()} == {(2025, 11, 22, 0, 0, 0)}
        text = z.read("docProps/core.xml").decode()
    assert "2026" not in text and text.count("2025-11-22T00:00:00Z") == 3
    assert reproducible.ooxml(out, moment) == out
