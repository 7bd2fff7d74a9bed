"""The loop can fail: a reference built with a planted fault makes atx-conform exit non-zero
with a readable diff. Each fault is a textual mutation of a copy of ref/src; the real tree
is never touched."""
import os
import shutil
import subprocess

import pytest

from harness.tests.support import REPO, conform

FAULTS = {
    # Handlers run first registered first (FIFO) instead of LIFO (clause run.lifo).
    "fifo-order": ("ref/src/registry.c",
                   "        entry *e = take_slot(r, i, NULL);\n        if (e == NULL)\n"
                   "            continue;\n        call_entry(r, e, last);",
                   "        entry *e = take_slot(r, r->used - 1 - i, NULL);\n        if (e == NULL)\n"
                   "            continue;\n        call_entry(r, e, last);",
                   "run/lifo"),
    # unregister() compares by identity only, as the seed document wrongly claims.
    "unregister-by-identity": ("ref/src/registry.c",
                               "eq = atx_callable_equal(e->callable, callable, &raised);",
                               "eq = e->callable == callable ? ATX_EQUAL : ATX_NOT_EQUAL;",
                               "unregister/bound-method-equal"),
    # The process layer runs the handlers on os._exit (exit instead of _exit).
    "handlers-run-on-os-exit": ("ref/src/process.c",
                                "    _exit(status);\n}",
                                "    exit(status);\n}",
                                "exit/os-exit-in-main"),
}


def build_faulty(tmp_path, path, old, new):
    tree = tmp_path / "tree"
    for part in ("ref", "harness/runner"):
        shutil.copytree(os.path.join(REPO, part), str(tree / part))
    shutil.copy(os.path.join(REPO, "Makefile"), str(tree / "Makefile"))
    source = tree / path
    text = source.read_text()
    assert text.count(old) == 1, "the planted fault no longer applies to %s" % path
    source.write_text(text.replace(old, new))
    subprocess.run(["make", "-s", "-C", str(tree), "runner"], check=True,
                   stdout=subprocess.DEVNULL)
    return str(tree / "build" / "release" / "atx-case-runner")


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_planted_fault_is_caught(fault, tmp_path):
    path, old, new, case_id = FAULTS[fault]
    runner = build_faulty(tmp_path, path, old, new)
    done = conform("--runner", runner, "--report-dir", str(tmp_path / "reports"), case_id)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL %s on reference-" % case_id in done.stdout
    assert "\n--- cpython-" in done.stdout and "\n+++ reference-" in done.stdout
    assert "repro: " in done.stdout
