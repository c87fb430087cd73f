"""The JSON document written a report at a time, byte for byte what json_format.render gives.

With an indent of 2, a value nested `level` deep is its own text with every line break
followed by 2×level more spaces, so an entry written on its own at depth 2 is exactly its
text inside "reports". Audit adds two top-level fields to the contract: "pairs" (the
cross-year pairs made) and "interrupted".
"""

from __future__ import annotations

from gkcheck.output.json_format import dumps, indented_utf8
from gkcheck.output.stream import writable


def piece(entry: dict, **_options) -> bytes:
    return indented_utf8(entry, 2)


class Writer:
    def __init__(self, out, **_options):
        self.out = writable(out)
        self.count = 0

    def begin(self) -> None:
        from gkcheck.engine import document

        head = dumps({"tool": document([])["tool"]})
        self.out.write(head[:-2] + ',\n  "reports": [')

    def add(self, text: str | bytes) -> None:
        self.out.write("\n" if self.count == 0 else ",\n")
        self.out.write(text)
        self.count += 1

    def end(self, tally, pairs: list[dict], interrupted: bool, extras: dict | None = None) -> None:
        # extras: the policy's run-wide fields (fail_on; fixed, unused_waivers, expired_waivers
        # when a baseline or waivers are in use), as `check` writes them
        tail = dumps({"summary": tally.summary(), "pairs": pairs, "interrupted": interrupted, **(extras or {})})
        self.out.write(("\n  ]" if self.count else "]") + "," + tail[1:] + "\n")
