"""Channel notices and reminders that are never lost and never sent twice.

* `outbox` writes a notice in the same transaction as the case event that causes it
  (a CaseService listener) and lets workers claim, finish and retry notices;
* `worker` delivers claimed notices through `bot.teams.delivery` (which knows the Bot Framework),
  with back-off and jitter, and gives up after a bounded time;
* `reminders` scans the case data periodically for steps near or past their deadline and for
  the daily digest;
* `subscriptions` keeps each team's notice channel and each user's home team;
* `tables` holds their tables; `dialogs.notices` answers `notiser här`, `notiser av`, `notiser`
  and `mitt team`.

See docs/notifications.md for the design.
"""
