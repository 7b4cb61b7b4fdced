"""Score rubrics: bands covering 0-100, the admin inline, and the scorecard form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hiring import rubrics
from hiring.models import RoleProfile, ScoreBand
from tests.factories import InterviewFactory, UserFactory, default_profile

QUARTERS = [(0, 39), (40, 59), (60, 79), (80, 100)]


# --- the rule ------------------------------------------------------------------------


def test_bands_covering_0_to_100_in_any_order_have_no_problem():
    assert rubrics.coverage_problems(QUARTERS) == []
    assert rubrics.coverage_problems(list(reversed(QUARTERS))) == []
    assert rubrics.coverage_problems([(0, 100)]) == []
    assert rubrics.coverage_problems([]) == []  # no rubric at all


def test_a_gap_is_named_on_the_band_after_it():
    problems = rubrics.coverage_problems([(0, 39), (45, 59), (60, 100)])
    assert problems == [
        rubrics.Problem(1, "low", "Leaves 40–44 without a band: start this one at 40.")
    ]


def test_an_overlap_is_named_on_the_band_that_starts_inside_another():
    problems = rubrics.coverage_problems([(0, 39), (60, 100), (35, 59)])
    assert problems == [rubrics.Problem(2, "low", "Overlaps the band 0–39: start this one at 40.")]


def test_bands_must_start_at_0_and_end_at_100():
    problems = rubrics.coverage_problems([(10, 59), (60, 90)])
    assert [(p.index, p.field) for p in problems] == [(0, "low"), (1, "high")]
    assert problems[0].message == "The lowest band must start at 0: 0–9 has no band."
    assert problems[1].message == "The highest band must end at 100: 91–100 has no band."


def test_a_band_that_ends_before_it_starts_or_leaves_0_100_is_refused():
    assert rubrics.coverage_problems([(0, 50), (70, 60)]) == [
        rubrics.Problem(1, "high", "This band ends (60) before it starts (70).")
    ]
    assert [p.field for p in rubrics.coverage_problems([(0, 101)])] == ["high"]


@pytest.mark.parametrize(
    ("score", "band"),
    [("0", 0), ("39", 0), ("39.99", 0), ("40", 1), ("79.5", 2), ("80", 3), ("100", 3)],
)
def test_a_score_falls_in_the_band_of_its_whole_part(score, band):
    assert rubrics.band_index(Decimal(score), QUARTERS) == band


def test_no_score_or_no_band_has_no_band():
    assert rubrics.band_index(None, QUARTERS) is None
    assert rubrics.band_index(Decimal(50), [(0, 39)]) is None


# --- seeded, edited in admin, shown on the scorecard -------------------------------------


@pytest.mark.django_db
def test_the_seeded_profiles_have_a_complete_rubric_for_every_dimension():
    profiles = RoleProfile.objects.filter(
        name__in=["default", "senior-backend", "senior-frontend", "staff"]
    )
    assert profiles.count() == 4
    for profile in profiles:
        for dimension in ("technical", "leadership", "culture"):
            bands = ScoreBand.objects.filter(role_profile=profile, dimension=dimension)
            assert rubrics.coverage_problems([(b.low, b.high) for b in bands]) == []
            assert bands.count() == 4
            assert all(len(b.description) > 40 for b in bands)


TUNABLE = (
    "weight_technical",
    "weight_leadership",
    "weight_culture",
    "min_technical",
    "min_leadership",
    "min_culture",
)


def _inline_post(profile, rows):
    data = {
        "name": profile.name,
        "title": profile.title,
        **{f: str(getattr(profile, f)) for f in TUNABLE},
        "score_bands-TOTAL_FORMS": str(len(rows)),
        "score_bands-INITIAL_FORMS": "0",
        "score_bands-MIN_NUM_FORMS": "0",
        "score_bands-MAX_NUM_FORMS": "1000",
    }
    for index, (dimension, low, high) in enumerate(rows):
        data.update(
            {
                f"score_bands-{index}-dimension": dimension,
                f"score_bands-{index}-low": str(low),
                f"score_bands-{index}-high": str(high),
                f"score_bands-{index}-label": f"Band {index}",
                f"score_bands-{index}-description": "What it looks like.",
            }
        )
    return data


@pytest.mark.django_db
def test_admin_refuses_a_rubric_with_a_gap_with_the_message_next_to_the_field(client_for):
    profile = RoleProfile.objects.create(
        name="platform",
        title="Platform Engineer",
        weight_technical="0.5",
        weight_leadership="0.3",
        weight_culture="0.2",
    )
    profile.refresh_from_db()
    admin = UserFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:hiring_roleprofile_change", args=[profile.pk])
    rows = [("technical", 0, 49), ("technical", 55, 100), ("culture", 0, 100)]
    response = client_for(admin).post(url, _inline_post(profile, rows))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[1].errors["low"] == ["Leaves 50–54 without a band: start this one at 50."]
    assert "Leaves 50–54 without a band" in response.text
    assert not ScoreBand.objects.filter(role_profile=profile).exists()  # nothing half-written

    rows[1] = ("technical", 50, 100)
    response = client_for(admin).post(url, _inline_post(profile, rows))
    assert response.status_code == 302
    assert ScoreBand.objects.filter(role_profile=profile).count() == 3


@pytest.mark.django_db
def test_the_scorecard_form_shows_the_rubric_beside_each_score_field(client_for):
    interview = InterviewFactory(
        loop__role_profile=default_profile(), assesses_leadership=False, assesses_culture=False
    )
    response = client_for(interview.interviewer).get(
        reverse("hiring:scorecard", args=[interview.pk])
    )
    assert response.text.count('data-bands-for="id_technical"') == 1
    assert 'data-bands-for="id_culture"' not in response.text
    assert response.text.count('class="score-band"') == 4
    assert "Exceptional" in response.text
    assert "js/score-bands.js" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("bands_per_dimension", [1, 10])
def test_scorecard_form_query_count_does_not_grow_with_the_rubric(
    client_for, django_assert_num_queries, bands_per_dimension
):
    profile = RoleProfile.objects.create(
        name=f"rubric-{bands_per_dimension}",
        weight_technical="0.45",
        weight_leadership="0.35",
        weight_culture="0.20",
    )
    width = 100 // bands_per_dimension
    for dimension in ("technical", "leadership", "culture"):
        for index in range(bands_per_dimension):
            last = index == bands_per_dimension - 1
            ScoreBand.objects.create(
                role_profile=profile,
                dimension=dimension,
                low=index * width,
                high=100 if last else (index + 1) * width - 1,
                label=f"Band {index}",
                description="What it looks like.",
            )
    interview = InterviewFactory(loop__role_profile=profile)
    client = client_for(interview.interviewer)
    with django_assert_num_queries(7):
        response = client.get(reverse("hiring:scorecard", args=[interview.pk]))
    assert response.text.count('class="score-band"') == 3 * bands_per_dimension
