"""Every message leaves through the outbox, and every call out has a timeout."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "home", "hiring", "surveys", "teamhealth", "config", "outbox")
MAIL = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage"}
MAIL |= {"EmailMultiAlternatives", "get_connection", "send_messages"}
# Reading metrics from Jira and PagerDuty is the only other traffic out.
HTTP_ALLOWED = {"outbox/transports.py", "teamhealth/integrations.py"}


def _modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield str(path.relative_to(ROOT)), ast.parse(path.read_text())


def _names(node) -> set[str]:
    if isinstance(node, ast.ImportFrom):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def test_nothing_outside_the_outbox_sends_mail_or_posts_to_slack():
    mail, http = [], []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if _names(node) & MAIL and not path.startswith("outbox/"):
                mail.append(f"{path}:{node.lineno}")
            calls_out = _names(node) & {"urlopen", "HTTPConnection", "HTTPSConnection"}
            if calls_out and path not in HTTP_ALLOWED:
                http.append(f"{path}:{node.lineno}")
    assert mail == []
    assert http == []


def _called(call: ast.Call) -> str:
    """The function's name; ``transaction.get_connection`` is the database's, not a call out."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        owner = call.func.value
        return "" if isinstance(owner, ast.Name) and owner.id == "transaction" else call.func.attr
    return ""


def test_every_call_out_has_a_timeout():
    assert settings.EMAIL_TIMEOUT  # SMTP connections, Slack posts, Jira and PagerDuty reads
    missing = [
        f"{path}:{node.lineno}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _called(node) in {"urlopen", "get_connection"}
        and not any(keyword.arg == "timeout" for keyword in node.keywords)
    ]
    assert missing == []
