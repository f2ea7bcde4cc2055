# Covenant's production image: one image for web (gunicorn), worker and beat (Celery).
#
#   docker build -t covenant .
#   docker-compose up -d          # see docker-compose.yml for the whole shape
#
# The image never holds a secret: SECRET_KEY, DATABASE_URL and REDIS_URL come
# from the environment at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The code runs from /app (settings find templates/ and static/ next to
    # config/), so /app comes first on the import path.
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings \
    MEDIA_ROOT=/app/media \
    XDG_RUNTIME_DIR=/tmp

# WeasyPrint (QBR PDFs) renders through Pango and HarfBuzz; DejaVu gives it a
# font with wide Unicode coverage so PDFs look the same on every host.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, in their own layer: rebuilding after a code change
# reuses it. The list is read from pyproject.toml so there is one source.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Install the project itself (its packages are already importable from /app;
# this records it in pip's metadata and checks that the build works).
RUN pip install --no-deps . && rm -rf build *.egg-info

# Static files are collected at build time and served by WhiteNoise. The
# settings need a key and a database URL to load; these build-only values
# never reach a running container (nothing connects to the database here).
RUN SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgres://build@127.0.0.1:5432/build \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; it owns only the media folder (a volume).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin covenant \
    && mkdir -p /app/media \
    && chown covenant:covenant /app/media
USER covenant

EXPOSE 8000
# WEB_CONCURRENCY (read by gunicorn) sets the number of worker processes.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--timeout", "120"]
