"""What an uploaded file really is, read from its bytes, never from its name or the browser.

The content decides the type; the name's extension must then agree with it, so a
file named `.pdf` that holds a PNG (or a script) is refused rather than served
under a misleading name.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

MAX_SIZE = 10 * 1024 * 1024  # 10 Mo
MAX_PER_POST = 5


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]
    label: str


TYPES = {
    t.key: t
    for t in [
        FileType("png", "image/png", ("png",), "image PNG"),
        FileType("jpeg", "image/jpeg", ("jpg", "jpeg"), "image JPEG"),
        FileType("gif", "image/gif", ("gif",), "image GIF"),
        FileType("webp", "image/webp", ("webp",), "image WebP"),
        FileType("pdf", "application/pdf", ("pdf",), "document PDF"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
            "document Word",
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
            "classeur Excel",
        ),
        FileType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",),
            "présentation PowerPoint",
        ),
        FileType("odt", "application/vnd.oasis.opendocument.text", ("odt",), "texte OpenDocument"),
        FileType(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            ("ods",),
            "classeur OpenDocument",
        ),
        FileType(
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            ("odp",),
            "présentation OpenDocument",
        ),
    ]
}

ACCEPTED_EXTENSIONS = sorted({ext for t in TYPES.values() for ext in t.extensions})
# The OOXML part that names the document's main body, by type.
_OOXML_MAIN_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_ODF_MIMETYPES = {
    TYPES[key].content_type.encode(): key for key in ("odt", "ods", "odp")
}  # fmt: skip


def _sniff_zip(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for key, prefix in _OOXML_MAIN_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return key
                return None
            if names and names[0] == "mimetype":
                # ODF: an uncompressed first member named "mimetype" holds the type.
                with archive.open("mimetype") as member:
                    return _ODF_MIMETYPES.get(member.read(100).strip())
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    return None


def sniff(file) -> FileType | None:
    """The type of this file (an open binary file, rewound afterwards), or None."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    key = None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        key = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        key = "jpeg"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        key = "gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        key = "webp"
    elif head.startswith(b"%PDF-"):
        key = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        key = _sniff_zip(file)
        file.seek(0)
    return TYPES.get(key) if key else None


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def attachment_refusal(file) -> str | None:
    """Why this upload is refused (French), or None. `file` is an UploadedFile."""
    name = file.name or "fichier"
    if file.size > MAX_SIZE:
        return f"« {name} » dépasse la taille maximale de 10 Mo."
    if file.size == 0:
        return f"« {name} » est vide."
    found = sniff(file)
    accepted = ", ".join(ACCEPTED_EXTENSIONS)
    if found is None:
        return (
            f"« {name} » n'est pas d'un type accepté : images (PNG, JPEG, GIF, WebP), PDF ou "
            f"documents bureautiques ({accepted})."
        )
    if extension_of(name) not in found.extensions:
        return (
            f"« {name} » ne correspond pas à son extension : son contenu est celui d'un "
            f"fichier {found.label} (.{found.extensions[0]})."
        )
    return None
