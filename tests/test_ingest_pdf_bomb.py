"""A few kilobytes of PDF that inflate to megabytes of drawing operators are refused before text
extraction (which would cost CPU seconds per request); ordinary PDFs still load."""

from __future__ import annotations

import pytest

from ingest.errors import UnreadableDocument
from ingest.loaders import extract_text
from tests.test_reliability_inputs import pdf_flate_bomb


@pytest.mark.parametrize("inflated", [2_000_000, 7_000_000])
def test_a_small_pdf_that_inflates_to_megabytes_is_refused(inflated: int) -> None:
    bomb = pdf_flate_bomb(inflated)
    assert len(bomb) < 20_000
    with pytest.raises(UnreadableDocument) as err:
        extract_text("bomb.pdf", bomb, max_bytes=5_000_000)
    assert "bomb" in err.value.message_en


def test_an_ordinary_pdf_still_loads() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for n in range(40):
        pdf.cell(0, 8, f"Line {n}: a pilot in Kokura with residents and the city.", new_x="LMARGIN", new_y="NEXT")
    text = extract_text("plain.pdf", bytes(pdf.output()), max_bytes=5_000_000)
    assert "Line 39: a pilot in Kokura" in text
