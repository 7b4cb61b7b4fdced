"""Messages written at send time.

An app whose message carries a secret (a survey link's token) registers a
renderer for its kind. The outbox calls it with the claimed messages of that
kind, outside any transaction, just before sending them; the renderer writes
whatever the message needs (the token's hash) and commits it before it
returns, so every link that goes out already works. The text it returns is
sent and never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .models import Message


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


# Given the claimed messages of one kind: what to send for each, or None when
# the message is no longer needed (the person answered, the round closed).
Renderer = Callable[[Sequence[Message]], Mapping[int, Rendered | None]]

_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def renderer_for(kind: str) -> Renderer | None:
    return _renderers.get(kind)
