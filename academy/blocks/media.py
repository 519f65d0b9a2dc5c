from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class LessonImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="image")
    alt = blocks.CharBlock(
        label="texte alternatif",
        max_length=250,
        help_text="Obligatoire : ce que l'image apporte, pour qui ne la voit pas.",
    )
    caption = blocks.CharBlock(label="légende", required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "Image"
        template = "academy/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("alt", "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"alt": ValidationError("Le texte alternatif est obligatoire.")}
            )
        return value


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", max_length=160)
    video = EmbedBlock(label="adresse de la vidéo", help_text="YouTube, Vimeo, Dailymotion…")
    transcript = blocks.TextBlock(
        label="transcription",
        help_text="Obligatoire (RGAA 4.1) : le texte intégral de la vidéo.",
    )

    class Meta:
        icon = "media"
        label = "Vidéo"
        template = "academy/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="document")
    title = blocks.CharBlock(label="intitulé du lien", max_length=160)
    description = blocks.CharBlock(label="description", required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = "Document à télécharger"
        template = "academy/blocks/document.html"
