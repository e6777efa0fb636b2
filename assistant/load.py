"""Load briefings (.txt, .md, .html, .pdf) into `SourceDocument`s with metadata.

Markdown/text front matter (YAML between `---` lines) is how a user gives metadata: title,
publisher, date, url, language. Without it: title from the first heading or line (else the file
name), date from a `YYYY-MM-DD` file-name prefix, language from a stopword count.
Offsets refer to `SourceDocument.text`: the decoded file for .txt/.md, the extracted text otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
METADATA_KEYS = ("title", "publisher", "date", "url", "language")

_ID_STOPWORDS = frozenset(
    "yang dan di ke dari untuk dengan pada ini itu adalah dalam tidak akan juga sudah telah atau "
    "oleh karena sebagai bahwa tersebut masih bisa dapat kita mereka per sebanyak hingga saat".split()
)
_EN_STOPWORDS = frozenset(
    "the and of to in for with on this that is are was were be by as from at it not will has have "
    "had or which their its an a".split()
)
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


class UnreadableDocument(Exception):
    """A file that cannot be loaded; `reason` says why in words a user can act on."""

    def __init__(self, path: str | Path, reason: str):
        self.path = Path(path)
        # a file name that is not UTF-8 holds surrogate escapes; shown with replacement characters
        self.source = display_path(self.path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class CorpusNotFound(FileNotFoundError):
    """The corpus folder does not exist or is not a folder."""


def display_path(path: Path) -> str:
    """The path relative to the current directory when it lies below it, else absolute."""
    absolute = Path(path).absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def detect_language(text: str) -> str:
    """'id' or 'en' by counting common stopwords (ties go to Indonesian, the corpus language)."""
    words = re.findall(r"[a-z]+", text.lower())
    indonesian = sum(w in _ID_STOPWORDS for w in words)
    english = sum(w in _EN_STOPWORDS for w in words)
    return "en" if english > indonesian else "id"


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise UnreadableDocument(path, "empty file: there is no text to index")
    if b"\x00" in data:
        raise UnreadableDocument(path, "binary content (NUL bytes): not a text document")
    try:
        return data.decode("utf-8-sig")  # utf-8, with or without a byte-order mark
    except UnicodeDecodeError as error:
        raise UnreadableDocument(
            path,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at position {error.start}); "
            "save the file as UTF-8 and add it again",
        ) from None


MAX_METADATA_FIELDS = 30
MAX_METADATA_CHARS = 1000  # per value: metadata is copied into every chunk of the document


def _clean_metadata(raw: dict[str, Any]) -> dict[str, Any]:
    """Chroma-safe metadata: str/int/float/bool values only, dates as ISO strings, no None; the known
    fields first, at most `MAX_METADATA_FIELDS` fields, each value cut to `MAX_METADATA_CHARS` characters."""
    clean: dict[str, Any] = {}
    ordered = sorted(raw.items(), key=lambda item: item[0] not in METADATA_KEYS)
    for key, value in ordered[:MAX_METADATA_FIELDS]:
        if value is None:
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10] if key == "date" else value.isoformat()
        elif isinstance(value, (list, tuple)):
            value = ", ".join(str(v)[:MAX_METADATA_CHARS] for v in value[:MAX_METADATA_FIELDS])
        elif not isinstance(value, (str, int, float, bool)):
            value = str(value)[:MAX_METADATA_CHARS]
        if isinstance(value, str):
            value = value[:MAX_METADATA_CHARS].strip()
            if not value:
                continue
        clean[str(key)] = value
    return clean


_RULE_LINE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")  # a Markdown thematic break: ---, ***, ___


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line and not _RULE_LINE.match(line):
            return line.lstrip("#").strip()[:200] or None
    return None


def _fill_defaults(path: Path, metadata: dict[str, Any], body: str) -> dict[str, Any]:
    metadata = dict(metadata)
    if not metadata.get("title"):
        metadata["title"] = _first_line_title(body) or path.stem
    if not metadata.get("date"):
        match = _DATE_PREFIX.match(path.name)
        if match:
            try:
                metadata["date"] = dt.date(*map(int, match.groups())).isoformat()
            except ValueError:
                pass
    if not metadata.get("language"):
        metadata["language"] = detect_language(body)
    return _clean_metadata(metadata)


_YAML_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]+", re.MULTILINE)  # aliases can expand exponentially
_FIELD_LINE = re.compile(r"^[A-Za-z_][\w-]{0,40}\s*:(\s|$)")  # "title: ...", as front matter starts


def _looks_like_fields(block: str) -> bool:
    first = next((line for line in block.splitlines() if line.strip() and not line.startswith("#")), "")
    return bool(_FIELD_LINE.match(first))


def _load_text(path: Path, text: str) -> tuple[str, int, dict[str, Any]]:
    """(text, body start, front matter). A `---` first line opens front matter only when `key: value`
    fields follow; otherwise it is a Markdown thematic break and the whole file is the document."""
    import frontmatter

    handler = frontmatter.detect_format(text, frontmatter.handlers)
    if handler is None:
        return text, 0, {}
    try:
        front, content = handler.split(text)
    except ValueError:  # only an opening delimiter
        if isinstance(handler, frontmatter.YAMLHandler) and not _looks_like_fields(text.split("\n", 1)[-1]):
            return text, 0, {}
        delimiter = handler.START_DELIMITER
        raise UnreadableDocument(
            path, f"front matter is not closed: the first line '{delimiter}' opens it, but no later line is "
            f"'{delimiter}'; add a '{delimiter}' line after the metadata fields"
        ) from None
    if _YAML_ANCHOR.search(front) and _looks_like_fields(front):
        raise UnreadableDocument(path, "front matter uses YAML anchors (&name); write each field's value out")
    try:
        raw = handler.load(front)
    except Exception as error:
        if not _looks_like_fields(front):
            return text, 0, {}
        problem = str(error).splitlines()[0][:120]
        raise UnreadableDocument(path, f"front matter cannot be read as YAML fields ({problem})") from None
    if not front.strip():
        raw = {}  # an empty block: the delimiter twice
    elif not isinstance(raw, dict) or not _looks_like_fields(front):
        return text, 0, {}  # text between two thematic breaks, not metadata
    body_start = len(text) - len(content)
    if text.startswith("\r\n", body_start):
        body_start += 2
    elif text.startswith("\n", body_start):
        body_start += 1
    return text, body_start, raw


_BLOCK_TAGS = (
    "p div section article header footer aside main nav h1 h2 h3 h4 h5 h6 li ul ol table tr "
    "blockquote pre figure figcaption dl dt dd hr"
).split()


MAX_HTML_DEPTH = 3000  # bs4's html.parser takes time quadratic in nesting depth (8,000 levels: 4 s)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _nesting_depth(html: str) -> int:
    """The deepest element nesting, counted from the tags as written (cheap, linear)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in _VOID_TAGS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


_BLOCK_TAG = re.compile(r"<(?=/?(?:%s)\b)" % "|".join(_BLOCK_TAGS), re.IGNORECASE)


def _load_html(path: Path, html: str) -> tuple[str, dict[str, Any]]:
    from bs4 import BeautifulSoup

    depth = _nesting_depth(html)
    if depth > MAX_HTML_DEPTH:
        raise UnreadableDocument(path, f"HTML nested {depth} elements deep (the limit is {MAX_HTML_DEPTH}): "
                                 "not a briefing page")
    # Paragraph breaks at block tags, put into the source before parsing: inserting them into the parsed tree
    # costs time proportional to the nesting depth per tag (a page of 50,000 nested divs took minutes).
    soup = BeautifulSoup(_BLOCK_TAG.sub("\n\n<", html), "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()

    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content"):
                return str(tag["content"])
        return None

    canonical = soup.find("link", rel="canonical")
    metadata = {
        "title": (soup.title.get_text(strip=True) if soup.title else None) or meta("og:title", "title"),
        "publisher": meta("og:site_name", "publisher", "author"),
        "date": (meta("article:published_time", "date", "pubdate") or "")[:10] or None,
        "url": (canonical.get("href") if canonical else None) or meta("og:url"),
        "language": (soup.html.get("lang", "")[:2].lower() if soup.html else "") or None,
    }
    if soup.title:
        soup.title.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    raw_text = soup.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw_text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not text:
        raise UnreadableDocument(path, "HTML page has no visible text")
    return text, metadata


def _read_limited(path: Path, max_mb: float | None) -> bytes:
    """The file's bytes; a file over `max_mb` megabytes is refused before it is read."""
    try:
        size = path.stat().st_size
        if max_mb is not None and size > max_mb * 1_000_000:
            raise UnreadableDocument(
                path, f"file is {size / 1_000_000:.1f} MB, over the {max_mb:g} MB limit (ASSISTANT_MAX_FILE_MB); "
                "split it or raise the limit"
            )
        return path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(path, f"cannot be read ({error.strerror or error})") from None


def load_document(path: str | Path, max_mb: float | None = None) -> "SourceDocument":
    """Load one file (refused when over `max_mb` megabytes); raises `UnreadableDocument` with a clear
    reason when it cannot be used."""
    from assistant.schema import SourceDocument

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    data = _read_limited(path, max_mb)
    if suffix == ".pdf":
        if not data.strip():
            raise UnreadableDocument(path, "empty file: there is no text to index")
        from assistant.load_pdf import load_pdf

        text, raw = load_pdf(path)
        body_start = 0
    elif suffix in (".html", ".htm"):
        text, raw = _load_html(path, _decode(path, data))
        body_start = 0
    else:
        text, body_start, raw = _load_text(path, _decode(path, data))
    body = text[body_start:]
    if not body.strip():
        raise UnreadableDocument(path, "no text after the front matter")
    metadata = _fill_defaults(path, {k: v for k, v in raw.items()}, body)
    return SourceDocument(source=display_path(path), text=text, body_start=body_start, metadata=metadata)


def _link_problem(link: Path, root: Path) -> str | None:
    """Why a symbolic link below the corpus is not followed, or None when it stays inside the corpus."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return f"dangling symbolic link (its target {os.readlink(link)} does not exist); not followed"
    except (RuntimeError, OSError):  # RuntimeError: a loop, on Python < 3.13
        return "symbolic link loop; not followed"
    if target != root and root not in target.parents:
        return f"symbolic link to {target}, outside the corpus folder; not followed"
    return None


def scan_corpus(folder: str | Path) -> tuple[list[Path], list[UnreadableDocument]]:
    """(the regular files below `folder` to load, sorted; symbolic links that are not followed, with
    the reason). Hidden files and folders are left out; links are followed only inside the corpus.
    Raises `CorpusNotFound`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusNotFound(f"corpus folder {folder} does not exist (set --corpus or ASSISTANT_CORPUS)")
    root = folder.resolve()
    files, refused = [], []
    for directory, subfolders, names in os.walk(folder):  # never descends into a linked folder
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in subfolders + names:
            path = Path(directory) / name
            if name.startswith("."):
                continue
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                refused.append(UnreadableDocument(path, "the file name is not valid UTF-8; rename it"))
                continue
            if path.is_symlink():
                problem = _link_problem(path, root)
                if problem:
                    refused.append(UnreadableDocument(path, problem))
                    continue
                if path.is_dir():  # a folder inside the corpus: its files are found where they are
                    continue
            if name in names and path.is_file():
                files.append(path)
    return sorted(files), sorted(refused, key=lambda error: error.source)


def corpus_files(folder: str | Path) -> list[Path]:
    """Every file below `folder` that `load_corpus` loads (see `scan_corpus`), sorted."""
    return scan_corpus(folder)[0]


def load_corpus(folder: str | Path, max_mb: float | None = None) -> tuple[list["SourceDocument"], list[UnreadableDocument]]:
    """Load every file below `folder`; unreadable ones, files over `max_mb` megabytes and refused
    links are returned as errors, the rest still load."""
    paths, errors = scan_corpus(folder)
    documents = []
    for path in paths:
        try:
            documents.append(load_document(path, max_mb))
        except UnreadableDocument as error:
            errors.append(error)
    return documents, errors
