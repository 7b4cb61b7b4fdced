"""Roles are Django groups.

Keel's own pages show every candidate, team and survey round to Keel admins
only: people in the Admin group, and superusers. Being staff is not enough:
``is_staff`` opens Django admin, where each model is governed by the person's
Django permissions, and says nothing about what Keel's pages show
(``User.is_admin`` is the one rule).
"""

from django.db import models


class Role(models.TextChoices):
    RECRUITER = "Recruiter", "Recruiter / hiring manager"
    INTERVIEWER = "Interviewer", "Interviewer"
    MANAGER = "Manager", "Engineering manager"
    ENGINEER = "Engineer", "Engineer"
    DIRECTOR = "Director", "Director"
    ADMIN = "Admin", "Keel admin (sees every candidate, team and survey round)"
