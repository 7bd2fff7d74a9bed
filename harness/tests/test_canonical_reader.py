"""The C runner fed a corrupt canonical form (atx-case/1): never a signal, never a hang;
what is invalid is its internal error (status 125, one line naming the file), and a
mutation that happens to stay valid simply runs. The mutations are made by the test,
from a real case's canonical form, and run on the ASan/UBSan build of the runner, so
that a read past a buffer is caught even when it does not crash."""
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.tests.support import CASES, REPO
from oracle import canonical, casefile

SANITIZED = os.path.join(REPO, "build", "asan", "atx-case-runner")
INVALID = 125  # harness/runner/canonical.h, CANONICAL_INVALID
# A case with objects, methods, callable objects with __eq__, values and keywords, but
# no step that ends the process by a signal: any signal here is the reader's fault.
BASE_CASE = "unregister/bound-method-equal"
STRANGE = [None, True, -1, 2 ** 40, "", [None], {"kind": "value"}]


@pytest.fixture(scope="module")
def runner():
    subprocess.run(["make", "-s", "-C", REPO, "runner", "VARIANT=asan"], check=True,
                   stdout=subprocess.DEVNULL)
    return SANITIZED


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    case = casefile.load(os.path.join(CASES, BASE_CASE + ".yaml"), CASES)
    return canonical.canonical(case)


def run(runner, path):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:abort_on_error=0")
    done = subprocess.run([runner, "--profile", "3.11", str(path)], capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=20, env=env)
    return done.returncode, done.stdout.decode("utf-8", "replace") + \
        done.stderr.decode("utf-8", "replace")


def check(runner, path):
    """The runner either runs it or rejects it as invalid; a signal or a sanitizer
    report fails, with what it printed."""
    status, output = run(runner, path)
    assert status >= 0, "%s: killed by signal %d\n%s" % (path, -status, output)
    assert "Sanitizer" not in output and "runtime error:" not in output, output
    if status == INVALID:
        lines = output.splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            "%s: not a valid atx-case/1 file: " % path), output
    return status


def mutations(node, path=()):
    """(where, a copy of the whole form with the value at where replaced), for every
    value of the form and every strange replacement, one at a time."""
    def replaced(root, where, value):
        copy = json.loads(json.dumps(root))
        target = copy
        for key in where[:-1]:
            target = target[key]
        target[where[-1]] = value
        return copy
    places = []
    pending = [(node, ())]
    while pending:
        current, where = pending.pop()
        if where:
            places.append(where)
        if isinstance(current, dict):
            pending += [(value, where + (key,)) for key, value in current.items()]
        elif isinstance(current, list):
            pending += [(value, where + (i,)) for i, value in enumerate(current)]
    for where in places:
        for value in STRANGE:
            yield where, replaced(node, where, value)


def test_the_base_form_runs(runner, form, tmp_path):
    path = tmp_path / "base.case.json"
    path.write_text(json.dumps(form))
    assert check(runner, path) == 0


def test_every_value_replaced_by_every_strange_one(runner, form, tmp_path):
    paths = []
    for n, (_, mutant) in enumerate(mutations(form)):
        paths.append(tmp_path / ("mutant%d.case.json" % n))
        paths[-1].write_text(json.dumps(mutant))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        statuses = list(pool.map(lambda path: check(runner, path), paths))
    # both outcomes happen: the test can tell them apart
    assert INVALID in statuses and any(status != INVALID for status in statuses)


def test_keys_missing_or_extra(runner, form, tmp_path):
    path = tmp_path / "keys.case.json"
    objects = [form, form["main"][0], form["handlers"][0], form["objects"][0]]
    for obj in objects:
        for key in list(obj):
            value = obj.pop(key)
            path.write_text(json.dumps(form))
            assert check(runner, path) == INVALID, key
            obj[key] = value
        obj["unexpected"] = 1
        path.write_text(json.dumps(form))
        assert check(runner, path) == INVALID
        del obj["unexpected"]


@pytest.mark.parametrize("content", [
    b"", b"{", b"[]", b"null", b"\x00\x01\x02", b"\xff\xfe{}", b'{"format": "atx-case/2"}',
    b"[" * 100000 + b"]" * 100000, b'{"a": ' * 100000 + b"1" + b"}" * 100000,
    b'{"format": "atx-case/1", "format": "atx-case/1"}', b'{"format": "atx-\\u0000"}',
], ids=["empty", "open", "list", "null", "binary", "bom", "format-2", "deep-lists",
        "deep-objects", "duplicate-key", "nul"])
def test_not_a_form_at_all(runner, tmp_path, content):
    path = tmp_path / "bad.case.json"
    path.write_bytes(content)
    assert check(runner, path) == INVALID


def test_each_truncation_of_the_form(runner, form, tmp_path):
    text = json.dumps(form).encode()
    path = tmp_path / "cut.case.json"
    for end in range(0, len(text), max(1, len(text) // 60)):
        path.write_bytes(text[:end])
        assert check(runner, path) == INVALID


def test_deep_children_and_values(runner, form, tmp_path):
    step = form["main"][0]
    for depth in (17, 200):
        nested = json.loads(json.dumps(step))
        for _ in range(depth):
            outer = json.loads(json.dumps(step))
            outer["op"], outer["child"] = "fork", [nested]
            nested = outer
        form_copy = dict(form, main=[nested])
        path = tmp_path / ("deep%d.case.json" % depth)
        path.write_text(json.dumps(form_copy))
        assert check(runner, path) == INVALID
    value = []
    for _ in range(33):
        value = [value]
    path = tmp_path / "deep-value.case.json"
    path.write_text(json.dumps(dict(form, main=[dict(step, args=[value])])))
    assert check(runner, path) == INVALID


@pytest.mark.parametrize("special", ["missing", "folder", "/dev/zero", "fifo", "huge"])
def test_files_that_are_not_forms(runner, tmp_path, special):
    path = tmp_path / "special.case.json"
    if special == "folder":
        path.mkdir()
    elif special == "/dev/zero":
        path.symlink_to("/dev/zero")
    elif special == "fifo":
        os.mkfifo(str(path))
    elif special == "huge":
        with open(str(path), "wb") as stream:
            stream.truncate(65 << 20)
    assert check(runner, path) == INVALID
