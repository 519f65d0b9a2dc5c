"""StreamField blocks of lessons, split by DSFR component family, one template each."""

from wagtail import blocks

from academy.blocks.media import DocumentBlock, LessonImageBlock, VideoBlock
from academy.blocks.quiz import QuizBlock
from academy.blocks.text import (
    AccordionBlock,
    CalloutBlock,
    HeadingBlock,
    QuoteBlock,
    RichTextBlock,
)

__all__ = ["LessonStreamBlock", "QuizBlock"]


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = RichTextBlock()
    image = LessonImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    accordion = AccordionBlock()
    quote = QuoteBlock()
    quiz = QuizBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 1}}
