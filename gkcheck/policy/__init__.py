"""What happens to findings after the engine: the settings a team or office chooses.

config.py reads gkcheck.yaml / [tool.gkcheck] (rules disabled or re-levelled, fail_on, ...),
waivers.py and baseline.py mark known findings, verdict.py settles each report's verdict and
the exit code from the same function.
"""

from gkcheck.policy.verdict import (
    DEFAULT_FAIL_ON,
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_PASS,
    FAIL_ON,
    Policy,
    Run,
    counted,
    exit_code,
    exit_code_of_summary,
    settle,
    verdict,
    warnings,
)

__all__ = ["DEFAULT_FAIL_ON", "EXIT_ERROR", "EXIT_FAIL", "EXIT_PASS", "FAIL_ON", "Policy", "Run", "counted",
           "exit_code", "exit_code_of_summary", "settle", "verdict", "warnings"]
