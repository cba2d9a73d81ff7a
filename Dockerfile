# kzqa: the chat server with its index built in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

# The CPU build of torch first: otherwise sentence-transformers would pull a CUDA build of several GB.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "${TORCH_INDEX_URL}" "torch==2.13.0" \
    && useradd --create-home --uid 10001 kzqa
WORKDIR /app

# Dependencies before code, so that editing the code does not reinstall them.
COPY pyproject.toml README.md ./
COPY src/kzqa/__init__.py src/kzqa/__init__.py
RUN pip install . && pip uninstall -y kzqa

COPY src ./src
RUN pip install --no-deps .
COPY web ./web
COPY corpus ./corpus
RUN mkdir embeddings && kzqa index --quiet && chown -R kzqa:kzqa /app

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["kzqa", "serve", "--host", "0.0.0.0", "--port", "8000"]
