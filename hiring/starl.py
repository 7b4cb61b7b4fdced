"""STAR-L answers: the evidence rule, and the seeded bank and anchors.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Mapping

from .scoring import STARL_PARTS

PART_LABELS = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
    "learning": "Learning",
}


def evidence_errors(parts: Mapping[str, tuple[str, int | None]]) -> dict[str, str]:
    """Per part, the error when it carries a rating without the evidence behind it.

    ``parts`` maps a part name to ``(text, rating)``.
    """
    errors = {}
    for part in STARL_PARTS:
        text, rating = parts.get(part, ("", None))
        if rating is not None and not (text or "").strip():
            errors[part] = (
                f"{PART_LABELS[part]}: write down the evidence you heard before rating it."
            )
    return errors


def lacks_learning(parts: Mapping[str, tuple[str, int | None]]) -> bool:
    """An answer with no Learning recorded is marked as such."""
    text, _rating = parts.get("learning", ("", None))
    return not (text or "").strip()


# Seeded bank (data migration 0004); admins edit it afterwards.
SEED_QUESTIONS: list[tuple[str, str]] = [
    ("Tell me about a time you led a team through a difficult technical decision.", "leadership"),
    ("Describe a time you disagreed with your manager. What did you do?", "leadership"),
    ("Tell me about a project that failed. What was your part in it?", "leadership"),
    ("Describe a time you helped a struggling teammate improve.", "leadership"),
    ("Tell me about a time you had to deliver with unclear requirements.", "leadership"),
    ("Describe an incident you owned from detection to post-mortem.", "leadership"),
    ("Tell me about a time you changed how your team works.", "culture"),
    ("Describe a time you made a trade-off between speed and quality.", "technical"),
]

SEED_ANCHORS: dict[str, list[str]] = {
    "situation": [
        "Vague or hypothetical; no real situation.",
        "A real situation, but little context on stakes or people.",
        "Clear context: who, when, what was at stake.",
        "Specific, relevant context with the constraints that mattered.",
        "Vivid, concise context; stakes and constraints quantified.",
    ],
    "task": [
        "Cannot say what they were responsible for.",
        "Describes the team's goal, not their own part.",
        "States their own responsibility clearly.",
        "Own responsibility plus why it was hard or ambiguous.",
        "Owned a stretch goal; framed success criteria up front.",
    ],
    "action": [
        "Speaks only of 'we'; no personal actions.",
        "Some own actions, mostly following instructions.",
        "Concrete own actions with reasons.",
        "Deliberate actions, alternatives weighed, others brought along.",
        "Led decisively; influenced beyond their role; explains trade-offs.",
    ],
    "result": [
        "No result, or cannot say what happened.",
        "Result stated vaguely ('it went well').",
        "A clear outcome, partly measured.",
        "Measured outcome tied to their actions.",
        "Measured, lasting impact beyond the immediate goal.",
    ],
    "learning": [
        "No learning; would do it the same way.",
        "Generic lesson ('communication matters').",
        "A specific lesson drawn from this case.",
        "Specific lesson they have since applied.",
        "Changed how they or their team work; shows evidence of it.",
    ],
}
