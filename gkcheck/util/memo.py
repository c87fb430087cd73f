"""A least-recently-used cache for functions of report text (cell texts, labels).

functools.lru_cache bounds the number of entries, not their size: a batch of reports whose
cells hold megabytes of text would keep that text in every worker. Labels and cell texts of
real tables are a few dozen characters, and the same few hundred recur in every report; what
is longer is computed each time and never kept, so a cache holds at most maxsize × LONGEST
characters of report text whatever the reports.
"""

from __future__ import annotations

from functools import lru_cache, update_wrapper

LONGEST = 256  # characters of a text argument that may be kept


def text_cache(maxsize: int, texts: tuple[int, ...] = (0,)):
    """lru_cache(maxsize) for a function whose arguments at the positions `texts` are report
    text (str or None); the other arguments must be hashable and of bounded size."""

    def wrap(fn):
        cached = lru_cache(maxsize=maxsize)(fn)
        if texts == (0,) and fn.__code__.co_argcount == 1:  # most: as little added per call as can be
            def call(text):
                return fn(text) if text and len(text) > LONGEST else cached(text)
        else:
            def call(*args):
                for i in texts:
                    if i < len(args) and args[i] and len(args[i]) > LONGEST:
                        return fn(*args)
                return cached(*args)
        update_wrapper(call, fn)
        call.cache_info, call.cache_clear = cached.cache_info, cached.cache_clear
        return call

    return wrap
