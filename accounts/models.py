from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Role


class User(AbstractUser):
    """A person who signs in to Keel. Roles are the groups they belong to."""

    # The company identity provider's subject for this person, set at their first
    # single sign-on (accounts/oidc.py); empty for password-only accounts.
    oidc_subject = models.CharField(
        "single sign-on subject",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The identity provider's id for this person, set at their first single sign-on.",
    )

    class Meta:
        ordering = ("first_name", "last_name", "username")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Names of this person's role groups, read once per request."""
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names

    @property
    def is_admin(self) -> bool:
        """Sees every candidate, team and survey round in Keel's pages (accounts/roles.py)."""
        return self.is_active and (self.is_superuser or self.has_role(Role.ADMIN))

    @property
    def is_recruiter(self) -> bool:
        return self.has_role(Role.RECRUITER)

    @property
    def is_interviewer(self) -> bool:
        return self.has_role(Role.INTERVIEWER)

    @property
    def is_manager(self) -> bool:
        return self.has_role(Role.MANAGER)

    @property
    def is_engineer(self) -> bool:
        return self.has_role(Role.ENGINEER)

    @property
    def is_director(self) -> bool:
        return self.has_role(Role.DIRECTOR)
