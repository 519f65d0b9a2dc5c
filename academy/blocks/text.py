from wagtail import blocks

RICH_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="texte", max_length=160)
    level = blocks.ChoiceBlock(
        label="niveau", choices=[("h2", "Titre 2"), ("h3", "Titre 3")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "Intertitre"
        template = "academy/blocks/heading.html"
        preview_value = {"text": "Les étapes de l'accompagnement", "level": "h2"}


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Texte"
        template = "academy/blocks/text.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", required=False, max_length=120)
    text = blocks.RichTextBlock(label="texte", features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "info-circle"
        label = "Mise en avant"
        template = "academy/blocks/callout.html"
        preview_value = {"title": "À retenir", "text": "<p>Le CER se signe à l'entrée.</p>"}


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", max_length=160)
    body = blocks.RichTextBlock(label="contenu", features=RICH_FEATURES)


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label="sections", min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Accordéon"
        template = "academy/blocks/accordion.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="citation")
    author = blocks.CharBlock(label="auteur", required=False, max_length=120)
    source = blocks.CharBlock(label="source", required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = "Citation"
        template = "academy/blocks/quote.html"
