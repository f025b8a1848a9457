"""gunicorn configuration for the newsroom (``gunicorn -c deploy/gunicorn.conf.py``).

Everything a machine may need to change is an environment variable (set in
/etc/newsroom/newsroom.env, read by the systemd unit); the defaults suit one
app server behind nginx on the same machine.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"

# nginx connects here (deploy/nginx/newsroom.conf, upstream "newsroom_app").
# A unix socket under /run/newsroom (systemd's RuntimeDirectory) needs no free
# port; GUNICORN_BIND=127.0.0.1:8000 works as well.
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "unix:/run/newsroom/gunicorn.sock").split(",")
]

# Sync workers, two per core plus one: each request holds its worker for its
# whole length, and nginx buffers slow clients (uploads and downloads), so
# workers only wait on the database, never on a reader's connection.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is killed and logged (the largest
# hero image upload, 15 MB with its renditions, takes a few seconds).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On restart, a worker finishes the requests it has for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# nginx keeps no idle connections to us; a short keep-alive is enough.
keepalive = 5
# A worker is replaced after this many requests (plus jitter, so that they
# do not all restart together): bounds any slow growth of memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Import the app once in the master: faster worker start, less memory.
preload_app = True

# One log format for everything: JSON lines (newsroom.gunicorn_logging);
# the access line carries the request id the app returned.
logger_class = "newsroom.gunicorn_logging.JsonLogger"
accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn 27 opens a control socket at $XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl by default: a second instance on the machine (a
# second site, a blue/green restart) would fight over that one path. Nothing
# here uses it; GUNICORN_CONTROL_SOCKET=/run/newsroom/gunicorn.ctl turns it
# on at a path of this instance's own.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# nginx sets X-Forwarded-Proto and X-Forwarded-For (overwriting what the
# client sent); Django reads them (SECURE_PROXY_SSL_HEADER,
# NEWSROOM_TRUSTED_PROXY_COUNT). Connections come only from nginx on this
# machine, through the socket or loopback.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

proc_name = "newsroom"
