"""Writing a file whole or not at all: every report, expectation file and cache entry."""

import os
import threading


def atomic_write(path: str, text: str) -> None:
    """Writes text to a temporary name beside path and renames it over path, so a reader
    sees the old file or the new one, never a part. The temporary name is unique to the
    process and thread, so concurrent writers of one path do not collide."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = "%s.%d.%d.tmp" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(tmp, path)
