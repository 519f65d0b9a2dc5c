"""The Académie's part of a person's data export (see portal.people.personal_data)."""

from academy.models import Certificate, Enrolment, LessonProgress, QuizAttempt, SessionRegistration


def export(user) -> dict:
    return {
        "inscriptions": [
            {
                "formation": e.course.title,
                "inscrit_le": e.enrolled_at.isoformat(),
                "active": e.active,
                "terminee_le": e.completed_at.isoformat() if e.completed_at else None,
            }
            for e in Enrolment.objects.filter(user=user).select_related("course")
        ],
        "lecons_terminees": [
            {"lecon": p.lesson.title, "le": p.completed_at.isoformat()}
            for p in LessonProgress.objects.filter(user=user).select_related("lesson")
        ],
        "quiz": [
            {
                "lecon": a.lesson.title,
                "score": a.score,
                "reussi": a.passed,
                "le": a.created_at.isoformat(),
            }
            for a in QuizAttempt.objects.filter(user=user).select_related("lesson")
        ],
        "attestations": [
            {
                "formation": c.course_title,
                "code": c.code,
                "delivree_le": c.issued_at.isoformat(),
                "revoquee_le": c.revoked_at.isoformat() if c.revoked_at else None,
            }
            for c in Certificate.objects.filter(user=user)
        ],
        "sessions": [
            {
                "formation": r.session.course.title,
                "debut": r.session.starts_at.isoformat(),
                "statut": r.get_status_display(),
            }
            for r in SessionRegistration.objects.filter(user=user).select_related(
                "session", "session__course"
            )
        ],
    }
