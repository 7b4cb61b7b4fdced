"""The development mailbox: the mail the file email backend received, for admins, in DEBUG only."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from outbox import services as outbox
from outbox.models import Message
from surveys.models import InvitationLink
from tests.factories import UserFactory, team_with_members
from tests.surveys.conftest import open_round

pytestmark = pytest.mark.django_db

URL = "/dev/mailbox/"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@pytest.fixture
def mail_files(tmp_path, settings):
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.DEBUG = True
    return tmp_path


def _send_survey_links(django_capture_on_commit_callbacks, members: int = 3):
    team = team_with_members(members, name="Backend Payments")
    with django_capture_on_commit_callbacks(execute=False):
        open_round(team)
    assert outbox.deliver_due().sent == members
    return team


def test_an_admin_reads_the_survey_links_the_worker_sent_and_they_open_the_form(
    mail_files, client_for, admin_user, django_capture_on_commit_callbacks
):
    team = _send_survey_links(django_capture_on_commit_callbacks)
    page = client_for(admin_user).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Your anonymous team survey is open") == 3
    for membership in team.memberships.select_related("user"):
        assert membership.user.email in text
    links = re.findall(r"http://testserver(/surveys/a/[^\s<\"]+)", text)
    assert len(set(links)) == 3
    # The page shows what the person received: the link works, and the database holds
    # only its hash, never the token or the email's text.
    with override_settings(DEBUG=False):
        form = Client().get(links[0], follow=True)
    assert form.status_code == 200
    assert b"<form" in form.content
    token = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert not Message.objects.filter(body__contains=token).exists()
    assert not InvitationLink.objects.filter(token_hash__contains=token).exists()


def test_the_newest_mail_comes_first_and_an_empty_box_says_so(mail_files, client_for, admin_user):
    client = client_for(admin_user)
    assert "No email yet" in client.get(URL).content.decode()
    outbox.enqueue(
        [
            outbox.Draft(
                kind="test.note",
                recipient="a@example.com",
                dedupe_key=f"n{i}",
                subject=f"Note number {i}",
                body=f"Body {i}",
            )
            for i in range(2)
        ]
    )
    outbox.deliver_due()
    outbox.enqueue(
        [
            outbox.Draft(
                kind="test.note",
                recipient="b@example.com",
                dedupe_key="n9",
                subject="Note number 9",
                body="Body 9",
            )
        ]
    )
    outbox.deliver_due()
    text = client.get(URL).content.decode()
    assert text.index("Note number 9") < text.index("Note number 1") < text.index("Note number 0")
    assert "Body 9" in text


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        (False, FILE_BACKEND),
        (True, "django.core.mail.backends.locmem.EmailBackend"),
        (True, "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_outside_development_the_page_does_not_exist(
    tmp_path, settings, client_for, admin_user, debug, backend
):
    settings.DEBUG, settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH = debug, backend, str(tmp_path)
    assert client_for(admin_user).get(URL).status_code == 404


def test_only_admins_see_it(mail_files, client_for, django_capture_on_commit_callbacks):
    team = _send_survey_links(django_capture_on_commit_callbacks)
    engineer = team.memberships.first().user
    manager = UserFactory(roles=["Manager"])
    for user in (engineer, manager):
        assert client_for(user).get(URL).status_code == 404
    assert Client().get(URL).status_code == 302  # to the sign-in page
