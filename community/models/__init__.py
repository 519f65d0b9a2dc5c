from community.models.chat import ChatMessage, ChatRoom
from community.models.forums import (
    Attachment,
    Forum,
    Post,
    PostRevision,
    Reaction,
    TaggedTopic,
    Topic,
    TopicRead,
    TopicTag,
    Watch,
)
from community.models.moderation import ModerationLogEntry, Report
from community.models.sheets import PracticeSheetIndexPage, PracticeSheetPage, SheetTag
from community.models.spaces import JoinRequest, Membership, Space

__all__ = [
    "Attachment",
    "ChatMessage",
    "ChatRoom",
    "Forum",
    "JoinRequest",
    "Membership",
    "ModerationLogEntry",
    "Post",
    "PostRevision",
    "PracticeSheetIndexPage",
    "PracticeSheetPage",
    "Reaction",
    "Report",
    "SheetTag",
    "Space",
    "TaggedTopic",
    "Topic",
    "TopicRead",
    "TopicTag",
    "Watch",
]
