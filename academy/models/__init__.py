from academy.models.learning import (
    Certificate,
    Enrolment,
    LessonProgress,
    QuizAttempt,
)
from academy.models.pages import (
    AcademyIndexPage,
    CoursePage,
    CourseTag,
    LessonPage,
    ModulePage,
)
from academy.models.sessions import CalendarFeed, CourseSession, SessionRegistration

__all__ = [
    "AcademyIndexPage",
    "CalendarFeed",
    "Certificate",
    "CoursePage",
    "CourseSession",
    "CourseTag",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "QuizAttempt",
    "SessionRegistration",
]
