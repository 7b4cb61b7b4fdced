"""Demo people. Created only by ``manage.py load_demo``, never by a migration."""

from django.contrib.auth.models import Group

from .models import User
from .roles import Role

DEMO_PASSWORD = "keel-demo"  # noqa: S105 - documented demo credential

# username: (first name, last name, roles, is_staff)
DEMO_USERS = {
    "admin": ("Ada", "Admin", (), True),
    "recruiter": ("Rita", "Recruiter", (Role.RECRUITER,), False),
    "interviewer": ("Ian", "Interviewer", (Role.INTERVIEWER,), False),
    "manager": ("Maya", "Manager", (Role.MANAGER, Role.INTERVIEWER), False),
    "engineer": ("Eli", "Engineer", (Role.ENGINEER,), False),
    "director": ("Dana", "Director", (Role.DIRECTOR,), False),
    # Colleagues who make the app look lived in; they cannot log in.
    "priya": ("Priya", "Shah", (Role.INTERVIEWER, Role.ENGINEER), False),
    "tom": ("Tom", "Berg", (Role.INTERVIEWER, Role.ENGINEER), False),
    "lena": ("Lena", "Okafor", (Role.ENGINEER,), False),
    "sam": ("Sam", "Ito", (Role.ENGINEER,), False),
    "noor": ("Noor", "Haddad", (Role.ENGINEER,), False),
    "omar": ("Omar", "Lindqvist", (Role.ENGINEER,), False),
    "kate": ("Kate", "Novak", (Role.ENGINEER,), False),
    "raj": ("Raj", "Patel", (Role.MANAGER,), False),
}
LOGIN_USERS = ("admin", "recruiter", "interviewer", "manager", "engineer", "director")


def load_people() -> dict[str, User]:
    people = {}
    for username, (first, last, roles, staff) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@keel.example",
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            if username in LOGIN_USERS:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
        user.groups.add(*(Group.objects.get_or_create(name=str(r))[0] for r in roles))
        people[username] = user
    return people
