"""Reads for the debrief: a loop's submitted scorecards side by side."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from accounts.models import User

from .. import debrief
from ..models import Interview, InterviewLoop, Scorecard, StarlAnswer
from .loops import loop_for_summary


@dataclass(frozen=True)
class Debrief:
    loop: InterviewLoop
    manages: bool
    interviews: list[Interview]  # those with a submitted scorecard, in interview order
    pending: int  # interviews whose scorecard is not submitted yet
    disagreement: debrief.Disagreement

    @property
    def rows(self) -> list[dict]:
        """Per dimension, widest spread first: its spread and each interviewer's score
        (None where that interview did not assess it)."""
        return [
            {
                "spread": spread,
                "cells": [
                    getattr(i.scorecard, spread.dimension)
                    if spread.dimension in i.dimensions
                    else None
                    for i in self.interviews
                ],
            }
            for spread in self.disagreement.spreads
        ]


def loop_debrief(user: User, loop_id: int) -> Debrief:
    """The debrief of a loop, for those who may read its summary (the blind rule
    of ``loop_for_summary``); only submitted scorecards are shown."""
    loop, manages = loop_for_summary(user, loop_id)
    interviews = list(
        Interview.objects.filter(loop=loop)
        .select_related("interviewer", "scorecard")
        .prefetch_related(
            Prefetch(
                "scorecard__starl_answers",
                queryset=StarlAnswer.objects.select_related("question").order_by("position"),
            )
        )
    )
    done = [i for i in interviews if i.scorecard.status == Scorecard.Status.SUBMITTED]
    return Debrief(
        loop=loop,
        manages=manages,
        interviews=done,
        pending=len(interviews) - len(done),
        disagreement=debrief.disagreement(
            [{d: getattr(i.scorecard, d) for d in i.dimensions} for i in done],
            [i.scorecard.recommendation for i in done],
        ),
    )
