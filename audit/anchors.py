"""Anchors of the audit trail, kept outside the database.

An anchor is the id and hash of the newest entry at one moment. Written down elsewhere (a
file in AUDIT_ANCHOR_DIR, the log, each backup), it lets a later check notice a trail that
was emptied, shortened or rewritten with fresh hashes, which the chain alone cannot show.

One line per anchor, appended to `audit-anchors.txt`:

    2026-12-14T00:15:00+07:00 anchor 1234:<64 hex digits> entries=1234

Any line holding `anchor ID:HASH` is read (verify_audit prints "Anchor: ID:HASH"), so an
anchor copied by hand or from a log reads the same.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

ANCHOR_FILE_NAME = "audit-anchors.txt"
_ANCHOR = re.compile(
    r"(?:^(?P<at>\d{4}-\d\d-\d\dT\S+)\s+)?\banchor:?\s+(?P<id>\d+):(?P<hash>[0-9a-f]{64})\b"
    r"(?:\s+entries=(?P<entries>\d+))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Anchor:
    entry_id: int
    entry_hash: str
    at: datetime.datetime | None = None
    entries: int | None = None
    # Where it was read: "file:line".
    source: str = ""

    def line(self) -> str:
        at = timezone.localtime(self.at or timezone.now()).isoformat(timespec="seconds")
        entries = f" entries={self.entries}" if self.entries is not None else ""
        return f"{at} anchor {self.entry_id}:{self.entry_hash}{entries}"

    def describe(self) -> str:
        when = f" of {timezone.localtime(self.at):%Y-%m-%d %H:%M}" if self.at else ""
        where = f" ({self.source})" if self.source else ""
        return f"the anchor{when}{where}, entry {self.entry_id}"


@dataclass(frozen=True)
class AnchorFile:
    anchors: list[Anchor]
    # Lines that hold no anchor, as "file:line" (a line cut short by a crash, or edited).
    unreadable: list[str]


def anchor_folder() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def anchor_file_path(folder: Path | None = None) -> Path:
    return (folder or anchor_folder()) / ANCHOR_FILE_NAME


def parse_anchor(text: str, *, source: str = "") -> Anchor | None:
    match = _ANCHOR.search(text.strip())
    if match is None:
        return None
    at = None
    if match["at"]:
        try:
            at = datetime.datetime.fromisoformat(match["at"])
        except ValueError:
            at = None
        if at is not None and timezone.is_naive(at):
            at = None
    entries = int(match["entries"]) if match["entries"] else None
    return Anchor(int(match["id"]), match["hash"].lower(), at, entries, source)


def read_anchor_file(path: Path) -> AnchorFile:
    """The anchors of one file (none if it does not exist yet)."""
    anchors, unreadable = [], []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return AnchorFile([], [])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        anchor = parse_anchor(line, source=f"{path}:{number}")
        if anchor is None:
            unreadable.append(f"{path}:{number}")
        else:
            anchors.append(anchor)
    return AnchorFile(anchors, unreadable)


def newest_anchor(anchors: list[Anchor]) -> Anchor | None:
    """The anchor of the newest entry: entry ids only grow, so it is the most demanding."""
    return max(anchors, key=lambda a: a.entry_id, default=None)


def append_anchor(anchor: Anchor, folder: Path | None = None) -> Path:
    """Append `anchor` as one line and make sure it reached the disk."""
    path = anchor_file_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(anchor.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return path
