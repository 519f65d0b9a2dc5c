"""Quiz block: questions, answers, feedback, pass mark and attempts.

Answers are identified by their ListBlock item ids (UUIDs kept in the JSON),
so a submission names answers the browser was shown, never their position.
The template renders prompts and answer texts only: which answer is correct,
and the feedback, leave the server after a submission.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="réponse", max_length=300)
    correct = blocks.BooleanBlock(label="bonne réponse", required=False)
    feedback = blocks.CharBlock(
        label="retour affiché après la réponse", required=False, max_length=500
    )

    class Meta:
        icon = "tick"
        label = "Réponse"


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label="type",
        choices=[
            ("single", "Choix unique"),
            ("multiple", "Choix multiple"),
            ("truefalse", "Vrai ou faux"),
        ],
        default="single",
    )
    prompt = blocks.TextBlock(label="question")
    answers = blocks.ListBlock(AnswerBlock(), label="réponses", min_num=2)
    explanation = blocks.TextBlock(label="explication affichée après la réponse", required=False)

    class Meta:
        icon = "help"
        label = "Question"

    def clean(self, value):
        value = super().clean(value)
        answers = list(value["answers"])
        correct = sum(1 for answer in answers if answer["correct"])
        kind = value["kind"]
        if kind == "truefalse" and len(answers) != 2:
            raise ValidationError("Une question vrai ou faux a exactement deux réponses.")
        if kind in {"single", "truefalse"} and correct != 1:
            raise ValidationError("Cochez exactement une bonne réponse.")
        if kind == "multiple" and correct < 1:
            raise ValidationError("Cochez au moins une bonne réponse.")
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", max_length=160, default="Quiz")
    intro = blocks.TextBlock(label="consigne", required=False)
    questions = blocks.ListBlock(QuestionBlock(), label="questions", min_num=1)
    pass_mark = blocks.IntegerBlock(
        label="seuil de réussite (%)", min_value=0, max_value=100, default=80
    )
    max_attempts = blocks.IntegerBlock(
        label="nombre maximal de tentatives",
        min_value=0,
        default=3,
        help_text="0 : tentatives illimitées.",
    )

    class Meta:
        icon = "tasks"
        label = "Quiz"
        template = "academy/blocks/quiz.html"
