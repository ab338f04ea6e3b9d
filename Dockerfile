# Production image of Guichet RPE: gunicorn by default; the same image runs the migrations,
# the Celery worker and beat (see docker-compose.yml and docs/production.md).

# --- Front-end assets and reference data (npm), needed at build and run time ---------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the locked versions, no install scripts: the packages are plain files.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- Application ------------------------------------------------------------------------
FROM python:3.12-slim-bookworm

# WeasyPrint's system libraries (PDF documents) and a font with French glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

ENV PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_NO_CACHE=1 \
    PATH=/app/.venv/bin:$PATH

WORKDIR /app

# Dependencies first, in their own layer: rebuilt only when the lock file changes.
# --no-dev: the dev group (test tools, embedded PostgreSQL and Redis) stays out of production.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY --from=assets /app/node_modules ./node_modules
COPY . .

# Static files collected (hashed and compressed for WhiteNoise) at build time. Settings
# require these variables; nothing connects to the database or Redis here.
RUN DJANGO_ENV=production \
    DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789 \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Runs as an unprivileged user, owner only of the media directory (a volume in production).
RUN groupadd --system guichet \
    && useradd --system --gid guichet --home-dir /app --no-create-home --shell /usr/sbin/nologin guichet \
    && mkdir -p /app/var/media \
    && chown -R guichet:guichet /app/var
USER guichet

ENV DJANGO_ENV=production
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
