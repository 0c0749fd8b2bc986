"""Reads of surveys: the list with its answer counts, and the results of one."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .models import Question, Survey


def surveys_with_counts() -> QuerySet[Survey]:
    return Survey.objects.order_by("-created_at", "-pk").annotate(
        invited=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__submitted_at__isnull=False)),
    )


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int, int]] = field(default_factory=list)  # answer, n, percent
    texts: list[str] = field(default_factory=list)
    average: float | None = None


@dataclass
class SurveyResults:
    invited: int
    started: int
    answered: int
    questions: list[QuestionResult]

    @property
    def answer_rate(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


TEXTS_SHOWN = 100


def survey_results(survey: Survey) -> SurveyResults:
    """Counts per answer (of those who sent theirs), the latest texts, the answer rate."""
    invitations = survey.invitations.all()
    totals = invitations.aggregate(
        invited=Count("pk"),
        started=Count("pk", filter=Q(saved_at__isnull=False)),
        answered=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    answers = list(
        invitations.filter(submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("answers", flat=True)
    )
    results = []
    for question in survey.questions.all():
        key = str(question.pk)
        given = [row[key] for row in answers if key in row]
        result = QuestionResult(question=question, answered=len(given))
        if question.kind in (Question.Kind.SHORT, Question.Kind.LONG):
            result.texts = given[:TEXTS_SHOWN]
        else:
            counter = Counter(
                value
                for answer in given
                for value in (answer if isinstance(answer, list) else [answer])
            )
            result.counts = [
                (option, counter[option], round(100 * counter[option] / len(given)) if given else 0)
                for option in question.options
            ]
            if question.kind == Question.Kind.SCALE and given:
                result.average = round(sum(int(value) for value in given) / len(given), 1)
        results.append(result)
    return SurveyResults(questions=results, **totals)
