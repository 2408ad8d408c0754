"""Gunicorn settings for the web container (docker-compose.yml) and the benchmark (bench/run.py).

Read by `gunicorn declics.wsgi --config docker/gunicorn.conf.py`. Command-line flags win over
these values. Only gunicorn reads the variables below; Django's own are in declics/settings.py.

- WEB_CONCURRENCY: worker processes (gunicorn's own variable name; default 2).
- GUNICORN_THREADS: threads per worker (gthread worker; default 4). Each thread keeps its own
  persistent database connection (CONN_MAX_AGE), so workers x threads x web containers must stay
  below PostgreSQL's max_connections.
- GUNICORN_BIND: address to listen on (default 0.0.0.0:8000, reachable only inside the compose
  network; the proxy is what publishes a host port).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files on a tmpfs: a slow container disk cannot make the arbiter kill workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket (gunicorn 25+): it would go to $HOME/.gunicorn, which the app user cannot
# write in the image, and two gunicorns on one machine (benchmarks) would fight over it.
control_socket_disable = True
# Port 8000 is reachable only from the proxy on the private network: trust its X-Forwarded-* headers.
forwarded_allow_ips = "*"

# The proxy writes one JSON access line per request; gunicorn only logs its own events, also as JSON.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "declics.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    },
    # gunicorn merges this over its own defaults, whose root logger names a handler we replace.
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
