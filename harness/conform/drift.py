"""The version views of a run: the case x version matrix and the behaviour drift table.

Drift groups, per case, the oracle versions whose observed behaviour (normalised
output, exit status and events) is identical, so a reader sees what changed where. An
unstable oracle (its runs differed, --repeat) has no one behaviour: it is left out of the
groups and listed on its own. An oracle-crash is what that version did, and is grouped.
"""

from collections import OrderedDict
from typing import Dict, List

from harness.conform.suite import NOT_APPLICABLE, SKIP, UNSTABLE, CaseReport


def _version_key(version: str):
    return tuple(int(part) for part in version.split("."))


def versions_of(reports: List[CaseReport]) -> List[str]:
    found = {r.oracle_version for report in reports for r in report.results if r.oracle_version}
    return sorted(found, key=_version_key)


def drift(reports: List[CaseReport]) -> Dict[str, List[List[str]]]:
    """case id -> groups of versions that behaved identically (in version order)."""
    table: Dict[str, List[List[str]]] = OrderedDict()
    for report in reports:
        groups: Dict[str, List[str]] = OrderedDict()
        observed = [r for r in report.results
                    if r.status not in (SKIP, NOT_APPLICABLE, UNSTABLE) and r.oracle_transcript]
        for result in sorted(observed, key=lambda r: _version_key(r.oracle_version)):
            groups.setdefault(result.oracle_transcript, []).append(result.oracle_version)
        if groups:
            table[report.id] = list(groups.values())
    return table


def unstable(reports: List[CaseReport]) -> Dict[str, List[str]]:
    """case id -> the versions whose oracle was unstable on it (in version order)."""
    table: Dict[str, List[str]] = OrderedDict()
    for report in reports:
        found = sorted({r.oracle_version for r in report.results if r.status == UNSTABLE},
                       key=_version_key)
        if found:
            table[report.id] = found
    return table


def span(versions: List[str], every: List[str]) -> str:
    """'3.6-3.9, 3.13' for the versions, runs taken in the order of every version seen."""
    runs: List[List[str]] = []
    for version in every:
        if version in versions:
            if runs and every.index(version) == every.index(runs[-1][-1]) + 1:
                runs[-1].append(version)
            else:
                runs.append([version])
    return ", ".join(run[0] if len(run) == 1 else "%s-%s" % (run[0], run[-1]) for run in runs)


def as_markdown(reports: List[CaseReport]) -> str:
    every = versions_of(reports)
    lines = ["# Behaviour drift", "",
             "Each row: the groups of CPython versions whose observed behaviour is identical.",
             "Cases that behave the same everywhere are counted, not listed.", "",
             "| case | groups |", "|---|---|"]
    table = drift(reports)
    same = 0
    for case_id, groups in table.items():
        if len(groups) == 1:
            same += 1
            continue
        lines.append("| `%s` | %s |" % (case_id, " / ".join(span(g, every) for g in groups)))
    lines += ["", "%d cases differ between versions; %d behave the same on all they ran on."
              % (len(table) - same, same)]
    shaky = unstable(reports)
    if shaky:
        lines += ["", "Unstable (the oracle's runs differed, so no behaviour is recorded): "
                  + "; ".join("`%s` on %s" % (case_id, span(versions, every))
                              for case_id, versions in shaky.items())]
    lines += ["", "# Matrix", "",
              "| case | " + " | ".join(every) + " |", "|---|" + "---|" * len(every)]
    for report in reports:
        cells = {r.oracle_version: r.status for r in report.results}
        if report.error:
            lines.append("| `%s` | malformed: %s |" % (report.id, report.error))
            continue
        lines.append("| `%s` | " % report.id + " | ".join(cells.get(v, "") for v in every) + " |")
    return "\n".join(lines) + "\n"
