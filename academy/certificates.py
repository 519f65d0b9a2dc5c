"""The certificate PDF, drawn with fpdf2 (pure Python: no system library)."""

from django.utils import timezone
from django.utils.formats import date_format
from fpdf import FPDF

# fpdf2's core fonts are Latin-1: map the few typographic characters French
# text uses beyond it instead of embedding a font file.
_LATIN1 = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "œ": "oe",
        "Œ": "OE",
        "—": "-",
        "–": "-",
        "…": "...",
        "«": '"',
        "»": '"',
        " ": " ",
    }
)


def _latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(f"Attestation de formation - {certificate.course_title}"))
    pdf.set_author("Académie France Travail")
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 40

    pdf.set_draw_color(0, 0, 145)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    pdf.set_xy(20, 22)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(60, 6, _latin1("RÉPUBLIQUE\nFRANÇAISE"))
    pdf.set_xy(20, 40)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(width, 6, _latin1("Académie France Travail - réseau pour l'emploi"))

    pdf.set_xy(20, 62)
    pdf.set_font("Helvetica", "B", 30)
    pdf.set_text_color(0, 0, 145)
    pdf.cell(width, 14, _latin1("Attestation de formation"), align="C")
    pdf.set_text_color(22, 22, 22)

    pdf.set_xy(20, 88)
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(width, 8, _latin1("L'Académie France Travail atteste que"), align="C")
    pdf.set_xy(20, 100)
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(width, 12, _latin1(certificate.holder_name), align="C")
    pdf.set_xy(20, 118)
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(width, 8, _latin1("a suivi et terminé la formation"), align="C")
    pdf.set_xy(30, 130)
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(width - 20, 9, _latin1(certificate.course_title), align="C")

    completed = date_format(timezone.localtime(certificate.completed_at), "j F Y")
    pdf.set_xy(20, 158)
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(width, 8, _latin1(f"le {completed}."), align="C")

    pdf.set_xy(20, 178)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(width, 6, _latin1(f"Code de vérification : {certificate.code}"), align="C")
    pdf.set_xy(20, 185)
    pdf.cell(
        width, 6, _latin1(f"Vérifier cette attestation : {verify_url}"), align="C", link=verify_url
    )
    return bytes(pdf.output())
