"""Step 3, strategic questions: the six questions and the user's dated answers (earlier
versions kept). Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import aliased

from crm.extensions import db
from crm.plan.models import StrategicAnswer
from crm.prebuilt import Prebuilt, prebuilt


class Question(StrEnum):
    """The six strategic questions, stored by these keys."""

    CLEAR = "clear"
    NEXT_STEPS = "next_steps"
    HOW_TO_CHANGE = "how_to_change"
    SKILLS = "skills"
    LEARNED = "learned"
    WHO = "who"


QUESTIONS: dict[Question, str] = {
    Question.CLEAR: ("What's clear to me right now about what I can do to get out of this rut?"),
    Question.NEXT_STEPS: "What do I understand about the next steps I can take?",
    Question.HOW_TO_CHANGE: "What do I know about how to change?",
    Question.SKILLS: "What experience and skills do I have?",
    Question.LEARNED: "What have I learned in my career that will help me now?",
    Question.WHO: "Who do I know that I could connect with to help me?",
}


@dataclass
class Answer:
    question: Question
    text: str
    current: StrategicAnswer | None
    versions: int


@prebuilt
def _answers_statement() -> Prebuilt[StrategicAnswer, int]:
    """Each question's newest answer with its number of versions: built
    once."""
    user_id: BindParameter[int] = bindparam("user_id")
    newest = (
        select(func.max(StrategicAnswer.id))
        .where(StrategicAnswer.user_id == user_id)
        .group_by(StrategicAnswer.question)
    )
    older = aliased(StrategicAnswer)
    versions = (
        select(func.count(older.id))
        .where(older.user_id == user_id, older.question == StrategicAnswer.question)
        .correlate(StrategicAnswer)
        .scalar_subquery()
    )
    return Prebuilt(
        select(StrategicAnswer, versions).where(
            StrategicAnswer.user_id == user_id, StrategicAnswer.id.in_(newest)
        ),
        "user_id",
    )


def current_answers(user_id: int) -> list[Answer]:
    """Each question with its newest answer and how many versions it has (one statement)."""
    rows = {
        answer.question: (answer, count)
        for answer, count in _answers_statement().execute({"user_id": user_id})
    }
    return [Answer(q, QUESTIONS[q], *rows.get(q.value, (None, 0))) for q in Question]


def save_answers(user_id: int, answers: dict[str, str], today: date) -> int:
    """Keep a new dated version of each answer that changed; return how many changed."""
    current = {a.question.value: a.current for a in current_answers(user_id)}
    changed = 0
    for question in Question:
        body = (answers.get(question.value) or "").strip()
        before = current.get(question.value)
        if body == (before.body if before else ""):
            continue
        db.session.add(
            StrategicAnswer(user_id=user_id, question=question.value, body=body, saved_on=today)
        )
        changed += 1
    db.session.flush()
    return changed


def answer_history(user_id: int, question: Question) -> list[StrategicAnswer]:
    """Every saved version of one answer, newest first."""
    stmt = (
        select(StrategicAnswer)
        .where(StrategicAnswer.user_id == user_id, StrategicAnswer.question == question.value)
        .order_by(StrategicAnswer.id.desc())
    )
    return list(db.session.scalars(stmt))
