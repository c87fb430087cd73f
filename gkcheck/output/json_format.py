"""JSON for programs: the contract documented in docs/output.md."""

from __future__ import annotations

import json


def render(doc: dict, **_options) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
