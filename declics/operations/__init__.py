"""Operations: what the platform tells the people who run it (README "Operations").

- `health`: the probes of the backing services and django-health-check's checks built on them.
  `/healthz` is the *liveness* probe (declics.views: 503 only when the database does not answer,
  a Redis outage is "degraded"); `/readyz` is the *readiness* probe (database, cache, broker,
  disk, outbox lag; 500 as soon as one fails), also run by `manage.py health_check readyz
  --no-http` in the worker and beat containers.
- `metrics`: queue depths, task timings and e-mail/SMS delivery, in Prometheus' text format at
  `/metrics` for whoever holds METRICS_TOKEN.
- `task_timing`: Celery signals recording how long each task waited in its queue and ran.
- `sentry`: error reports, turned on by SENTRY_DSN in settings.
"""
