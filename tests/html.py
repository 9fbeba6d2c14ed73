"""Reading rendered pages as a person would: their visible text, a table row's cells."""

from __future__ import annotations

import re


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def cells(row_html: str) -> list[str]:
    """The text of each cell of one table row."""
    found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]
