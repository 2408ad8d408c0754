# DéClics web, worker and beat image (docker-compose.yml). Python 3.11, runs as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=declics.settings \
    STATIC_ROOT=/app/staticfiles

RUN groupadd --system --gid 1000 declics \
 && useradd --system --uid 1000 --gid declics --home-dir /app --no-create-home --shell /usr/sbin/nologin declics

WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall them. pyproject.toml
# declares `packages = []`, so this installs the pinned dependencies only; the project's own
# packages are not installed: they run from the source copied into /app below.
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

COPY . .

# Static files are collected at build time, with the production storage (WhiteNoise's compressed
# manifest). The key is a throwaway that exists only for this command; the real one comes from the
# environment at run time. The source stays owned by root (read-only for the app); only var/
# (Celery beat's schedule, private media) is writable.
RUN SECRET_KEY=collectstatic-at-build-time-only DEBUG=false python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /app/var/media \
 && chown -R declics:declics /app/var

USER declics

EXPOSE 8000

CMD ["gunicorn", "declics.wsgi", "--config", "docker/gunicorn.conf.py"]
