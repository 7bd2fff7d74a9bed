"""Finding the case files of a cases folder, and what in it can never be run.

A case is a file cases/AREA/.../NAME.yaml. What would otherwise be skipped without a
word is a problem to report instead: a folder or file that is a symlink (a case's id is
its own path, so a link would run a case twice or run what lies outside the folder), a
case file at the root (it has no area), a file named .yml, a folder that cannot be read.
Names starting with "." are ignored, as most tools do. Files are not opened here:
yamlnodes.read_text decides whether each is a regular file it can read.
"""

import os
from typing import List, Tuple

from oracle.yamlnodes import CaseError, visible

ROOT_FILES = ("clauses.yaml",)  # the catalogue, read by casefile.load_clauses


def discover(cases_root: str) -> Tuple[List[str], List[CaseError]]:
    """(every case file's path, sorted; every problem found, each naming its path)."""
    found: List[str] = []
    problems: List[CaseError] = []
    pending = [cases_root]
    while pending:
        folder = pending.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as error:
            problems.append(CaseError(visible(folder), 1, "cannot read the folder: %s"
                                      % error.strerror))
            continue
        at_root = folder == cases_root
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            shown = visible(path)
            if os.path.isdir(path):
                if os.path.islink(path):
                    problems.append(CaseError(shown, 1, "a symlinked folder: its cases are not "
                                                        "run (a case's id is its own path)"))
                else:
                    pending.append(path)
            elif name.endswith(".yml"):
                problems.append(CaseError(shown, 1, "a case file's name ends in .yaml"))
            elif name.endswith(".yaml") and at_root and name not in ROOT_FILES:
                problems.append(CaseError(shown, 1, "a case file belongs in an area folder "
                                                    "(CASES/AREA/NAME.yaml)"))
            elif name.endswith(".yaml") and not at_root:
                found.append(path)
    return sorted(found), problems
