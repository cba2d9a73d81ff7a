# kzqa: the chat server with its index built in.
#
# Any Python 3.11 image on Debian will do as the base: python:3.11-slim where a registry is reachable,
# or a local Debian bookworm image (scripts/container-base.sh makes one) with
#   --build-arg BASE_IMAGE=localhost/kzqa-base:bookworm
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# A venv works on both bases: Debian's own python3 refuses pip installs outside one.
RUN python3 -m venv /opt/venv \
    && useradd --create-home --uid 10001 kzqa
WORKDIR /app

# Dependencies before code, so that editing the code does not reinstall them: pyproject.toml and an empty
# stub of the package (and of the README it names) are enough to resolve and install them.
# A network that intercepts TLS can hand pip its CA as the build secret "pip_ca"; elsewhere it is absent.
COPY pyproject.toml ./
RUN --mount=type=secret,id=pip_ca \
    if [ -s /run/secrets/pip_ca ]; then export PIP_CERT=/run/secrets/pip_ca; fi \
    && mkdir -p src/kzqa && touch src/kzqa/__init__.py README.md \
    && pip install "setuptools>=68" "wheel>=0.40" . \
    && pip uninstall -y kzqa \
    && rm -rf src README.md build

# The code: built without network (setuptools is already in the venv), so a rebuild needs no registry.
COPY README.md ./
COPY src ./src
RUN pip install --no-deps --no-build-isolation . \
    && rm -rf build src/*.egg-info
COPY web ./web
COPY corpus ./corpus
# The index is built into the image; the server writes only its conversation database (data/).
RUN kzqa index --quiet \
    && mkdir data \
    && chown -R kzqa:kzqa embeddings data

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["kzqa", "serve", "--host", "0.0.0.0", "--port", "8000"]
