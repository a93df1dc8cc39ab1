# Samordna: one image for web (gunicorn), worker and beat (Celery). See docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH"

# The README's system packages minus chromium: WeasyPrint's Pango/HarfBuzz and fonts,
# LibreOffice without its GUI (the worker's PDF copy of a DOCX/XLSX/ODT handling),
# poppler-utils (PDF checks), and the PostgreSQL client for scripts/backup.sh and restore.sh.
# PostgreSQL and Redis themselves run as their own services in docker-compose.yml.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      libreoffice-writer-nogui libreoffice-calc-nogui \
      poppler-utils postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev \
 && python -m compileall -q config board minutes finance interventions \
 && groupadd --system samordna && useradd --system --gid samordna --home /app samordna \
 && mkdir -p /app/media /app/staticfiles /app/var/seal \
 && chown -R samordna:samordna /app/media /app/staticfiles /app/var

USER samordna
ENV DJANGO_ENV=production \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
