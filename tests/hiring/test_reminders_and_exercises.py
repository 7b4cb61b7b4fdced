"""Periodic tasks: every reminder and exercise email goes out exactly once."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from hiring import emails, schedule, tasks
from hiring.models import ExerciseAssignment, HiringSettings, ScorecardReminder
from tests.factories import InterviewFactory, decided, exercise, submitted

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def test_due_reminder_number_schedule():
    at = timezone.now()
    kwargs = {"after": 24 * H, "every": 24 * H, "maximum": 5}
    assert schedule.due_reminder_number(interview_at=at, sent=0, now=at + 23 * H, **kwargs) is None
    assert schedule.due_reminder_number(interview_at=at, sent=0, now=at + 24 * H, **kwargs) == 1
    assert schedule.due_reminder_number(interview_at=at, sent=1, now=at + 47 * H, **kwargs) is None
    assert schedule.due_reminder_number(interview_at=at, sent=1, now=at + 48 * H, **kwargs) == 2
    assert schedule.due_reminder_number(interview_at=at, sent=5, now=at + 999 * H, **kwargs) is None


def _run(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return emails.send_scorecard_reminders(now=now)


def test_scorecard_reminder_sent_once_even_when_the_task_runs_twice(
    django_capture_on_commit_callbacks,
):
    interview = InterviewFactory(scheduled_at=timezone.now() - 25 * H)
    now = timezone.now()
    assert _run(now, django_capture_on_commit_callbacks) == 1
    assert _run(now, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [interview.interviewer.email]
    assert "Reminder 1 of at most 5" in mail.outbox[0].body


def test_no_reminder_is_recorded_for_an_interviewer_without_an_email_address(
    django_capture_on_commit_callbacks,
):
    InterviewFactory(scheduled_at=timezone.now() - 25 * H, interviewer__email="")
    assert _run(timezone.now(), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not ScorecardReminder.objects.exists()


def test_no_reminder_before_24_hours(django_capture_on_commit_callbacks):
    InterviewFactory(scheduled_at=timezone.now() - 23 * H)
    assert _run(timezone.now(), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_reminders_daily_then_stop_after_five(django_capture_on_commit_callbacks):
    start = timezone.now() - 24 * H
    interview = InterviewFactory(scheduled_at=start)
    now = timezone.now()
    for day in range(8):
        _run(now + day * 24 * H, django_capture_on_commit_callbacks)
        _run(now + day * 24 * H + H, django_capture_on_commit_callbacks)  # hourly beat
    assert len(mail.outbox) == 5
    numbers = list(interview.scorecard.reminders.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]


def test_reminders_stop_as_soon_as_the_scorecard_is_submitted(django_capture_on_commit_callbacks):
    interview = InterviewFactory(scheduled_at=timezone.now() - 25 * H)
    _run(timezone.now(), django_capture_on_commit_callbacks)
    submitted(interview, technical=80, leadership=80, culture=80)
    _run(timezone.now() + 48 * H, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_scorecard_submitted_between_the_selection_and_the_lock_gets_no_reminder(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The run selected the scorecard as a draft; the interviewer submits it while
    the run works out which reminder is due, before it locks the row."""
    interview = InterviewFactory(scheduled_at=timezone.now() - 25 * H)
    reminder_due = schedule.due_reminder_number

    def submitted_meanwhile(**kwargs):
        submitted(interview, technical=80, leadership=80, culture=80)
        return reminder_due(**kwargs)

    monkeypatch.setattr(emails, "due_reminder_number", submitted_meanwhile)
    assert _run(timezone.now(), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not ScorecardReminder.objects.exists()


def test_reminder_timing_is_admin_tunable(django_capture_on_commit_callbacks):
    HiringSettings.objects.update_or_create(pk=1, defaults={"scorecard_reminder_after_hours": 2})
    InterviewFactory(scheduled_at=timezone.now() - 3 * H)
    assert _run(timezone.now(), django_capture_on_commit_callbacks) == 1


def test_periodic_task_entry_point_sends_reminders(django_capture_on_commit_callbacks):
    InterviewFactory(scheduled_at=timezone.now() - 30 * H)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_scorecard_reminders.delay().get() == 1
        assert tasks.send_scorecard_reminders.delay().get() == 0
    assert len(mail.outbox) == 1


def _attach(hours_ahead):
    interview = InterviewFactory(scheduled_at=timezone.now() + hours_ahead * H)
    return ExerciseAssignment.objects.create(interview=interview, exercise=exercise())


def test_exercise_emailed_24_hours_before_exactly_once(django_capture_on_commit_callbacks):
    assignment = _attach(23)
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_due_exercises() == 1
        assert emails.send_due_exercises() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [assignment.interview.loop.candidate.email]
    assert "Make the slow query fast" in message.subject
    assert "Target: < 200 ms" in message.body
    assignment.refresh_from_db()
    assert assignment.sent_at is not None


def test_exercise_not_sent_early_nor_after_the_interview(django_capture_on_commit_callbacks):
    _attach(30)
    _attach(-1)
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_due_exercises() == 0
    assert mail.outbox == []


def test_outcome_reminder_once_when_due(django_capture_on_commit_callbacks, recruiter):
    interview = InterviewFactory(loop__recruiters=[recruiter])
    decided(interview.loop, accepted=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_outcome_reminders() == 1
        assert emails.send_outcome_reminders() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [recruiter.email]
    assert "6-month outcome due" in mail.outbox[0].subject


def test_no_outcome_reminder_before_six_months_or_once_recorded(
    django_capture_on_commit_callbacks, recruiter
):
    young = InterviewFactory(loop__recruiters=[recruiter]).loop
    record = decided(young, accepted=True)
    record.start_date = timezone.localdate() - dt.timedelta(days=30)
    record.save()
    decided(InterviewFactory(loop__recruiters=[recruiter]).loop, outcome="performing")
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_outcome_reminders() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_send_each_reminder_and_exercise_once():
    """Two workers running the periodic tasks at the same moment (PostgreSQL row locks)."""
    InterviewFactory(scheduled_at=timezone.now() - 25 * H)
    _attach(10)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append((emails.send_scorecard_reminders(), emails.send_due_exercises()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r[0] for r in results) == [0, 1]
    assert sorted(r[1] for r in results) == [0, 1]
    assert ScorecardReminder.objects.count() == 1
    assert len(mail.outbox) == 2


def test_exercise_claimed_by_an_overlapping_run_is_not_emailed_again(
    django_capture_on_commit_callbacks,
):
    """Two overlapping runs on the default database: the other run claims and
    emails the exercise after this run selected it, just before this run's claim."""
    _attach(10)
    other_run = {"started": False, "sent": None}

    def other_run_first(execute, sql, params, many, context):
        claims = sql.startswith("UPDATE") and "hiring_exerciseassignment" in sql
        if claims and not other_run["started"]:
            other_run["started"] = True  # the other run's own claim goes straight through
            other_run["sent"] = emails.send_due_exercises()
        return execute(sql, params, many, context)

    with (
        django_capture_on_commit_callbacks(execute=True),
        connection.execute_wrapper(other_run_first),
    ):
        sent = emails.send_due_exercises()
    assert other_run["sent"] == 1
    assert sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("started_days_ago", "sent"), [(181, 0), (182, 1)])
def test_outcome_reminder_due_on_the_same_day_the_candidate_list_marks_it(
    django_capture_on_commit_callbacks, recruiter, started_days_ago, sent
):
    record = decided(InterviewFactory(loop__recruiters=[recruiter]).loop, accepted=True)
    record.start_date = timezone.localdate() - dt.timedelta(days=started_days_ago)
    record.save()
    due_on = schedule.outcome_due_on(
        start_date=record.start_date, decided_on=timezone.localdate(record.decided_at), due_days=182
    )
    assert (timezone.localdate() >= due_on) == bool(sent)
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_outcome_reminders() == sent
    assert len(mail.outbox) == sent


@pytest.mark.parametrize("cards", [1, 6])
def test_reminder_run_queries_per_reminder_not_per_setting_lookup(
    django_capture_on_commit_callbacks, django_assert_num_queries, cards
):
    for _ in range(cards):
        InterviewFactory(scheduled_at=timezone.now() - 25 * H)
    HiringSettings.load()
    # settings, the due scorecards; then per reminder: savepoint, lock, insert,
    # queue the email, release
    with django_assert_num_queries(2 + 5 * cards):
        assert emails.send_scorecard_reminders() == cards


def test_exercise_email_names_the_role_by_its_title_never_its_slug(
    django_capture_on_commit_callbacks,
):
    assignment = _attach(23)
    profile = assignment.interview.loop.role_profile
    profile.name, profile.title = "principal-backend", "Principal Backend Engineer"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_due_exercises() == 1
    body = mail.outbox[0].body
    assert "Before your interview for the Principal Backend Engineer role on " in body
    assert "principal-backend" not in body
