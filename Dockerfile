# Production image: the app under gunicorn, the Celery worker and Celery beat all run from it
# (docker-compose.yml picks the command). Static files are collected at build and served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, read from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
# The S3 extra too: case documents go to the MinIO/S3 bucket when DOCUMENTS_S3_BUCKET is set.
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['s3']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable, so the code (and templates/, static/ next to it) is used from /app where settings expect it.
RUN pip install --no-deps -e .

# A throwaway key for this step only: settings refuse to load with DEBUG off and no SECRET_KEY, and
# collectstatic needs neither a database nor the real key. The key is not in any later layer or the
# runtime environment.
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-not-a-secret ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --no-input

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home dps \
    && mkdir -p /app/private-media \
    && chown dps:dps /app/private-media
USER dps

EXPOSE 8000
# misconduct/gunicorn.py binds 0.0.0.0:8000 and keeps addresses and user agents out of every log line.
CMD ["gunicorn", "--config", "python:misconduct.gunicorn", "misconduct.wsgi:application"]
