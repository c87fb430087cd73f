import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "reports"
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "reports" / "000_e4dc1900c1ebf750.txt"

# Rule validation results are cached per user; tests must validate for real.
os.environ.setdefault("GKCHECK_NO_CACHE", "1")
# The run record's time: two runs a second apart must still give the same bytes.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture(scope="session")
def ruleset():
    from gkcheck.ruleset import load_ruleset

    return load_ruleset()


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    """A working directory with one report under reports/."""
    (tmp_path / "reports").mkdir()
    shutil.copy(SEED, tmp_path / "reports" / "2016.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path
