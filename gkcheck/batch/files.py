"""Which files a batch audits."""

from __future__ import annotations

import os

SUPPORTED = (".txt", ".htm", ".html", ".yaml", ".yml", ".json", ".pdf", ".docx")


def discover(paths) -> tuple[list[str], int]:
    """Files to audit, in a stable order, and how many were skipped in directories.

    A named file is always audited (an unsupported one becomes an error entry); inside a
    directory only supported extensions count, and hidden files and directories are skipped.
    """
    files, seen, skipped = [], set(), 0
    for path in paths:
        if not os.path.isdir(path):
            found = [path]
        else:
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    if os.path.splitext(name)[1].lower() in SUPPORTED:
                        found.append(os.path.join(root, name))
                    else:
                        skipped += 1
        for f in found:
            if f not in seen:
                seen.add(f)
                files.append(f)
    return files, skipped
