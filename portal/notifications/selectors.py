def notification_unread_count(*, user) -> int:
    return 0
