"""Benchmark: the CPU cost of one sign-in with the configured password hashers.

    .venv/bin/python bench/signin.py [--repeat 5]

Signs a person in through Django's ``authenticate`` (the backends the login
page uses, axes included) with the production hasher list: first with an
Argon2 hash (what every password is stored as), then with a PBKDF2 hash as
the baseline. Reports CPU milliseconds per sign-in (process time, all threads:
Argon2 hashes on several) and wall milliseconds, and the Argon2 / PBKDF2 ratio.
Runs on a throw-away test database.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()

    from bench._scratch import scratch_database

    with scratch_database(logging.WARNING):
        from django.contrib.auth import authenticate
        from django.contrib.auth.hashers import make_password
        from django.test import RequestFactory, override_settings

        from accounts.models import User
        from config.settings import base

        figures: dict[str, float] = {}
        password = "correct horse battery staple"  # noqa: S105 - a benchmark's own user
        for label, hasher in (
            ("argon2", ".Argon2PasswordHasher"),
            ("pbkdf2", ".PBKDF2PasswordHasher"),
        ):
            # The production list, with the one to measure first (the one new hashes use).
            hashers = [h for h in base.PASSWORD_HASHERS if h.endswith(hasher)] + [
                h for h in base.PASSWORD_HASHERS if not h.endswith(hasher)
            ]
            with override_settings(PASSWORD_HASHERS=hashers):
                user = User.objects.create(
                    username=f"bench-{label}", password=make_password(password)
                )
                cpu, wall = [], []
                for _ in range(args.repeat):
                    request = RequestFactory().post("/accounts/login/")
                    began_cpu, began = time.process_time(), time.perf_counter()
                    signed_in = authenticate(request, username=user.username, password=password)
                    cpu.append(time.process_time() - began_cpu)
                    wall.append(time.perf_counter() - began)
                    if signed_in is None or signed_in.pk != user.pk:
                        raise SystemExit(f"{label}: the sign-in failed")
            figures[f"{label}_cpu_ms"] = statistics.median(cpu) * 1000
            figures[f"{label}_wall_ms"] = statistics.median(wall) * 1000
            print(
                f"{label:<7} {figures[f'{label}_cpu_ms']:7.1f} ms CPU "
                f"{figures[f'{label}_wall_ms']:7.1f} ms wall per sign-in "
                f"(median of {args.repeat}; hash {user.password.split('$')[0]})",
                flush=True,
            )
        figures["argon2_over_pbkdf2_cpu"] = figures["argon2_cpu_ms"] / figures["pbkdf2_cpu_ms"]
        print(f"Argon2 / PBKDF2, CPU per sign-in: {figures['argon2_over_pbkdf2_cpu']:.2f}")
        if args.json:
            print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
