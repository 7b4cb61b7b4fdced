"""Every write of the teamhealth app, one module per concern.

- ``metrics``: record values (form, CSV, API, integrations, surveys), turnover,
  survey summaries.
- ``thresholds``: save and delete thresholds.
- ``evaluation``: check teams against their thresholds and move their alerts.
- ``alerts``: resolve, acknowledge, snooze; the survey action-plan alert.
- ``notify``: the alert outbox (queue, deliver, retry) and the weekly digest.
- ``credentials``: issue integration tokens; re-encrypt the stored Jira and
  PagerDuty tokens.

Import the module you need (``from teamhealth.services import metrics``);
nothing is re-exported here. Other apps push into team health through these
services (``surveys`` records its feedback score here); ``teamhealth`` never
imports them.
"""
