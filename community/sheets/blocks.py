"""StreamField blocks of practice sheets, one DSFR template each."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

STEP_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre de l'étape", max_length=200)
    detail = blocks.RichTextBlock(label="détail", features=STEP_FEATURES, required=False)

    class Meta:
        icon = "list-ol"
        label = "Étape"
        template = "community/sheets/blocks/step.html"
        preview_value = {
            "title": "Réunir les conseillers des deux structures",
            "detail": "<p>Une demi-journée pour choisir les offres et les candidats.</p>",
        }


class StepsBlock(blocks.StreamBlock):
    step = StepBlock()


class SheetDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="document")
    title = blocks.CharBlock(label="intitulé du lien", max_length=160)
    description = blocks.CharBlock(label="description", required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = "Document à télécharger"
        template = "community/sheets/blocks/document.html"


class AttachmentsBlock(blocks.StreamBlock):
    document = SheetDocumentBlock()
