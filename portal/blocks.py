"""StreamField blocks of the site shell's content pages, rendered with DSFR markup."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", required=False)
    text = blocks.RichTextBlock(label="texte", features=["bold", "italic", "link"])

    class Meta:
        icon = "info-circle"
        label = "Mise en avant"
        template = "portal/blocks/callout.html"


class ContentStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label="intertitre", icon="title", template="portal/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label="texte",
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
        template="portal/blocks/paragraph.html",
    )
    image = ImageBlock(label="image", template="portal/blocks/image.html")
    callout = CalloutBlock()
