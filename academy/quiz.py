"""Quiz grading, on the server, from the block's stored value.

A submission maps question ids to the answer ids the learner chose. Ids that
do not belong to the question, several answers to a single-choice question,
or an unanswered question make the submission invalid: nothing is recorded.
"""

from dataclasses import dataclass, field


class QuizSubmissionInvalid(ValueError):
    """The submission cannot be graded; the message is French, for the learner."""


@dataclass
class QuestionResult:
    question_id: str
    prompt: str
    correct: bool
    chosen: list[str]
    # Feedback of the chosen answers and the question's explanation, shown after grading.
    feedback: list[str] = field(default_factory=list)
    explanation: str = ""


@dataclass
class QuizResult:
    score: int
    passed: bool
    questions: list[QuestionResult]


def questions_of(quiz_value):
    """(question id, question value, {answer id: answer value}) for each question."""
    for question in quiz_value["questions"].bound_blocks:
        answers = {answer.id: answer.value for answer in question.value["answers"].bound_blocks}
        yield question.id, question.value, answers


def submission_from_post(post, quiz_value) -> dict[str, list[str]]:
    return {
        question_id: post.getlist(f"q-{question_id}")
        for question_id, _, _ in questions_of(quiz_value)
    }


def grade(quiz_value, submission: dict[str, list[str]]) -> QuizResult:
    results = []
    for question_id, question, answers in questions_of(quiz_value):
        chosen = list(dict.fromkeys(submission.get(question_id, [])))
        if not chosen:
            raise QuizSubmissionInvalid("Répondez à toutes les questions avant de valider.")
        if any(answer_id not in answers for answer_id in chosen):
            raise QuizSubmissionInvalid(
                "Une réponse envoyée ne fait pas partie du quiz : rechargez la page et réessayez."
            )
        if question["kind"] in {"single", "truefalse"} and len(chosen) != 1:
            raise QuizSubmissionInvalid("Une seule réponse est possible pour certaines questions.")
        correct_ids = {answer_id for answer_id, answer in answers.items() if answer["correct"]}
        results.append(
            QuestionResult(
                question_id=question_id,
                prompt=question["prompt"],
                correct=set(chosen) == correct_ids,
                chosen=chosen,
                feedback=[answers[a]["feedback"] for a in chosen if answers[a]["feedback"]],
                explanation=question["explanation"] or "",
            )
        )
    score = round(100 * sum(r.correct for r in results) / len(results))
    return QuizResult(score=score, passed=score >= quiz_value["pass_mark"], questions=results)
