"""Roles are Django groups. Admins are staff users, not a group."""

from django.db import models


class Role(models.TextChoices):
    RECRUITER = "Recruiter", "Recruiter / hiring manager"
    INTERVIEWER = "Interviewer", "Interviewer"
    MANAGER = "Manager", "Engineering manager"
    ENGINEER = "Engineer", "Engineer"
    DIRECTOR = "Director", "Director"
