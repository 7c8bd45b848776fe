# recruitscan: the scoring service with a model trained from data/ at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RECRUITSCAN_MODEL_DIR=/app/models \
    RECRUITSCAN_DATA_DIR=/app/var

WORKDIR /app

# Dependencies in their own layer: rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps))" \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY README.md ./
COPY service ./service
COPY training ./training
COPY data ./data
RUN pip install --no-deps . \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin recruitscan \
 && recruitscan train --model-dir /app/models \
 && mkdir -p /app/var \
 && chown -R recruitscan:recruitscan /app/models /app/var

USER recruitscan
# The SQLite store (review queue, keys, webhook outbox); mount a volume to keep it, or set
# RECRUITSCAN_DATABASE_URL to a PostgreSQL server.
VOLUME ["/app/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["recruitscan", "serve", "--host", "0.0.0.0", "--port", "8000", "--model-dir", "/app/models"]
