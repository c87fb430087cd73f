"""Batch audit: every report below some directories, in parallel, for the supervising office.

files.py finds the inputs, pairing.py pairs an agency's consecutive years, pool.py runs the two
phases (read all, then check each with its previous year), workers.py keeps the worker processes
(a time limit per input, a dead worker replaced), worker.py is what each worker process does,
spool.py the files they share, json_stream.py the JSON document written a report at a time.
"""

from gkcheck.batch.files import SUPPORTED, discover
from gkcheck.batch.pairing import agency_key, pair
from gkcheck.batch.pool import Batch, Outcome, Sink, default_jobs, run
from gkcheck.batch.worker import STREAMING

__all__ = ["STREAMING", "SUPPORTED", "Batch", "Outcome", "Sink", "agency_key", "default_jobs", "discover", "pair", "run"]
