"""The pre-commit hook, run for real: a temporary git repository with reports uses a snapshot of
this working tree as its hook source (a snapshot, so uncommitted work is what gets tested)."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT, SEED

HOOKS = ROOT / ".pre-commit-hooks.yaml"
IGNORE = shutil.ignore_patterns(".git", ".venv*", "__pycache__", ".hypothesis", ".pytest_cache", "build", "dist",
                                "*.egg-info", ".benchmarks", "*.tmp")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args, cwd):
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], cwd=cwd,
                          env=env, check=True, capture_output=True, text=True).stdout.strip()


def test_hook_manifest():
    hooks = yaml.safe_load(HOOKS.read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "gkcheck")
    assert hook["entry"] == "gkcheck check" and hook["language"] == "python"
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def picked(path):
        return bool(files.search(path)) and not exclude.search(path)

    for path in ("reports/2016.txt", "reports/2019.html", "reports/2020.htm", "reports/2021.yaml", "r.json",
                 "reports/2022.docx", "reports/2023.pdf"):
        assert picked(path), path
    for path in (".pre-commit-config.yaml", "gkcheck.yaml", ".gkcheck-baseline.json", ".github/workflows/ci.yml",
                 "report.doc", "notes.md"):
        assert not picked(path), path


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_runs_the_hook(tmp_path):
    source = tmp_path / "hook-source"
    shutil.copytree(ROOT, source, ignore=IGNORE)
    git("init", "-q", cwd=source)
    git("add", "-A", cwd=source)
    git("commit", "-q", "-m", "snapshot", cwd=source)
    rev = git("rev-parse", "HEAD", cwd=source)

    repo = tmp_path / "reports-repo"
    (repo / "reports").mkdir(parents=True)
    shutil.copy(SEED, repo / "reports" / "2016.txt")
    (repo / "README.md").write_text("不是年报\n", "utf-8")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [
        {"repo": str(source), "rev": rev, "hooks": [{"id": "gkcheck", "files": "^reports/"}]}]}), "utf-8")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "reports", cwd=repo)

    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("GKCHECK_NO_CACHE", None)

    def pre_commit():
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    proc = pre_commit()
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "gkcheck" in out and "Failed" in out
    assert "content.2007.application" in out and "reports/2016.txt" in out

    # the configuration at the repository root applies to the hook too
    (repo / "gkcheck.yaml").write_text("fail_on: never\n", "utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "config", cwd=repo)
    proc = pre_commit()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
