"""Read the city's page into sections and passages.

The page is plain text: headings are short lines standing alone, routines are
numbered steps, changes are bullet lists, contacts are "E-post: ..." lines, and the
form is a link line ending in "(pdf)". Passages keep the page's own sentences so an
answer can quote them word for word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

SOURCE_PAGE = Path(__file__).resolve().parent.parent / "domain" / "source_page.txt"

_STEP = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET = re.compile(r"^[•\-*]\s+(.*)$")
_CONTACT = re.compile(r"^[A-ZÅÄÖa-zåäö-]+:\s+\S+$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")
_MAX_HEADING_LENGTH = 90


class Kind(Enum):
    SENTENCE = "sentence"
    LEAD_IN = "lead_in"  # a sentence introducing the steps that follow
    STEP = "step"
    LIST = "list"  # a bullet list with the sentence that introduces it, shown whole
    CONTACT = "contact"
    LINK = "link"


@dataclass(frozen=True)
class Passage:
    """One sentence, step, bullet, contact or link of the page, in page order."""

    index: int
    section: str
    kind: Kind
    text: str
    group: int  # passages of one paragraph or list share a group


@dataclass(frozen=True)
class Section:
    heading: str
    passages: tuple[Passage, ...]


def load_sections(path: Path = SOURCE_PAGE) -> list[Section]:
    return parse_sections(path.read_text(encoding="utf-8"))


def parse_sections(page_text: str) -> list[Section]:
    """Split the page into headed sections of passages; sections without any
    passage (navigation such as "Läs mer ...") are left out."""
    builder = _SectionBuilder()
    for group, lines in enumerate(_paragraphs(page_text)):
        if _is_heading(lines):
            builder.start_section(lines[0])
        else:
            builder.add_paragraph(lines, group)
    return builder.sections()


def _paragraphs(page_text: str) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw_line in page_text.splitlines():
        line = raw_line.strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _is_heading(lines: list[str]) -> bool:
    if len(lines) != 1:
        return False
    line = lines[0]
    return (
        len(line) <= _MAX_HEADING_LENGTH
        and not line.endswith((".", ":", "!", "?", "(pdf)"))
        and ":" not in line
        and not _STEP.match(line)
        and not _BULLET.match(line)
    )


class _SectionBuilder:
    def __init__(self) -> None:
        self._sections: list[tuple[str, list[Passage]]] = []
        self._count = 0

    def start_section(self, heading: str) -> None:
        self._sections.append((heading, []))

    def add_paragraph(self, lines: list[str], group: int) -> None:
        if not self._sections:
            self.start_section("")
        for kind, text in _paragraph_passages(lines):
            self._add(kind, text, group)

    def _add(self, kind: Kind, text: str, group: int) -> None:
        heading, passages = self._sections[-1]
        previous = passages[-1] if passages else None
        if kind is Kind.LIST and previous is not None and previous.kind is Kind.LEAD_IN:
            # A bullet list is short items that mean something only together with
            # the sentence announcing them: one passage.
            passages[-1] = Passage(previous.index, heading, Kind.LIST, f"{previous.text}\n{text}", previous.group)
            return
        if kind is Kind.STEP and previous is not None and previous.kind in (Kind.LEAD_IN, Kind.STEP):
            group = previous.group  # the steps continue the paragraph that introduced them
        passages.append(Passage(self._count, heading, kind, text, group))
        self._count += 1

    def sections(self) -> list[Section]:
        return [Section(heading, tuple(passages)) for heading, passages in self._sections if passages]


def _paragraph_passages(lines: list[str]) -> list[tuple[Kind, str]]:
    if all(_STEP.match(line) for line in lines):
        return [(Kind.STEP, line) for line in lines]
    if all(_BULLET.match(line) for line in lines):
        items = "\n".join(f"• {_BULLET.match(line).group(1)}" for line in lines)  # type: ignore[union-attr]
        return [(Kind.LIST, items)]
    if len(lines) == 1 and lines[0].endswith("(pdf)"):
        return [(Kind.LINK, lines[0])]
    if _CONTACT.match(lines[-1]):
        # "Stockholms trygghetsjour" above "E-post: ..." names whose address it is.
        return [(Kind.CONTACT, "\n".join(lines))]
    sentences = _SENTENCE_END.split(" ".join(lines))
    passages = [(Kind.SENTENCE, sentence) for sentence in sentences]
    last_kind, last_text = passages[-1]
    if not last_text.endswith((".", "!", "?")):
        passages[-1] = (Kind.LEAD_IN, last_text)
    return passages
