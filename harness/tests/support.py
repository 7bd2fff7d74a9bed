"""Shared paths and helpers of the harness tests."""
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(REPO, "cases")
MALFORMED = os.path.join(REPO, "harness", "tests", "malformed")
RUNNER = os.environ.get("ATX_RUNNER", os.path.join(REPO, "build", "release", "atx-case-runner"))


def conform(*args, cwd=None):
    """Runs ./atx-conform with args; returns the completed process (text output)."""
    return subprocess.run([sys.executable, os.path.join(REPO, "atx-conform")] + list(args),
                          cwd=cwd or REPO, capture_output=True, text=True, check=False)


def lossy_target(folder):
    """A "Python" that loses one handler's output ("c ran" becomes "C RAN"): Debian's
    CPython behind a filter, as a --target command. Returns its path."""
    wrapper = folder / "lossy"
    wrapper.write_text('#!/bin/sh\n'
                       'if [ "$1" = -c ]; then exec /usr/bin/python3 "$@"; fi\n'
                       'sed "s/c ran/C RAN/" "$1" > "$1.lossy.py"; program="$1.lossy.py"\n'
                       'shift; exec /usr/bin/python3 -I -S -u "$program" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


# Faults planted in a copy of the reference (test_planted_fault.py, test_atx_lib.py): each a
# textual mutation (file, text, replacement) and the case that catches it.
FAULTS = {
    # Handlers run first registered first (FIFO) instead of LIFO (clause run.lifo).
    "fifo-order": ("ref/src/run.c",
                   "        atx__entry *e = atx__take_slot(r, i, NULL);\n        if (e == NULL)\n"
                   "            continue;\n        call_entry(r, e, last);",
                   "        atx__entry *e = atx__take_slot(r, r->used - 1 - i, NULL);\n"
                   "        if (e == NULL)\n            continue;\n        call_entry(r, e, last);",
                   "run/lifo"),
    # unregister() compares by identity only, as the seed document wrongly claims.
    "unregister-by-identity": ("ref/src/unregister.c",
                               "atx_callable_equal(entry, func, raised)",
                               "(entry == func ? ATX_EQUAL : ATX_NOT_EQUAL)",
                               "unregister/bound-method-equal"),
    # The process layer runs the handlers on os._exit (exit instead of _exit).
    "handlers-run-on-os-exit": ("ref/src/process.c",
                                "    _exit(status);\n}",
                                "    exit(status);\n}",
                                "exit/os-exit-in-main"),
}


def copy_with_fault(tree, parts, fault=None):
    """Copies parts of the repository (folders or files, e.g. "ref", "Makefile") into the
    folder tree, then plants FAULTS[fault] in the copy; the real tree is never touched."""
    for part in parts:
        source, copy = os.path.join(REPO, part), tree / part
        if os.path.isdir(source):
            shutil.copytree(source, str(copy))
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, str(copy))
    if fault is not None:
        path, old, new, _ = FAULTS[fault]
        text = (tree / path).read_text()
        assert text.count(old) == 1, "the planted fault no longer applies to %s" % path
        (tree / path).write_text(text.replace(old, new))
    return tree


def build_library(tmp_path, name, fault=None):
    """tmp_path/lib<name>.a, compiled with cc from a copy of ref/src (with fault planted)."""
    tree = copy_with_fault(tmp_path / name, ("ref/src", "ref/include"), fault)
    objects = []
    for source in sorted((tree / "ref" / "src").glob("*.c")):
        objects.append(str(source.with_suffix(".o")))
        subprocess.run(["cc", "-std=c11", "-O2", "-D_XOPEN_SOURCE=700",
                        "-I", str(tree / "ref" / "include"), "-c", str(source),
                        "-o", objects[-1]], check=True)
    library = tmp_path / ("lib%s.a" % name)
    subprocess.run(["ar", "rcs", str(library)] + objects, check=True)
    return library


def build_runner(tmp_path, library):
    """The case runner linked with library, built under tmp_path/build; its path."""
    subprocess.run(["make", "-s", "-j", str(os.cpu_count() or 1), "-C", REPO, "runner",
                    "ATX_LIB=%s" % library, "BUILD_ROOT=%s" % (tmp_path / "build")],
                   check=True, stdout=subprocess.DEVNULL)
    return str(tmp_path / "build" / "release" / "atx-case-runner")
