# ZI Tracker: one image for the web server, the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=zi_tracker.settings

# WeasyPrint needs Pango; fonts for the PDF report; gettext for translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      fonts-dejavu-core gettext curl \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 zi
WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt -e . 

COPY --chown=zi:zi . .
# Static files are collected at build time with a throwaway key; runtime needs the real one.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && mkdir -p /data/media /data/var /data/anchors && chown -R zi:zi /data /app/staticfiles

USER zi
ENV ZI_VAR_DIR=/data/var DJANGO_MEDIA_ROOT=/data/media ZI_AUDIT_ANCHOR_DIR=/data/anchors
EXPOSE 8000
CMD ["gunicorn", "zi_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
