"""Running a process: merged output, events on their own descriptor, status, timeout."""
import errno
import os
import time

from oracle.execute import run

PY = "/usr/bin/python3"


def test_run_merges_stdout_and_stderr_in_order():
    code = "import sys; print('out1', flush=True); sys.stderr.write('err\\n'); print('out2')"
    outcome = run([PY, "-u", "-c", code], events_arg=False)
    assert outcome.output == "out1\nerr\nout2\n"
    assert outcome.status_text() == "exit 0"


def test_run_passes_an_events_descriptor_separate_from_output():
    code = "import os, sys; os.write(int(sys.argv[1]), b'event\\n'); print('printed')"
    outcome = run([PY, "-c", code])
    assert outcome.events == "event\n"
    assert outcome.output == "printed\n"


def test_run_reports_exit_codes_and_signals():
    assert run([PY, "-c", "import sys; sys.exit(3)"], events_arg=False).status_text() == "exit 3"
    killed = run([PY, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGINT)"],
                 events_arg=False)
    assert killed.status_text() == "killed by SIGINT"


def test_run_kills_the_whole_process_group_on_timeout(tmp_path):
    marker = tmp_path / "child.pid"
    code = ("import os, subprocess, sys, time; "
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            "open(%r, 'w').write(str(p.pid)); time.sleep(60)" % str(marker))
    started = time.monotonic()
    outcome = run([PY, "-c", code], timeout=2.0, events_arg=False)
    assert outcome.timed_out and outcome.status_text() == "timed out"
    assert time.monotonic() - started < 10
    child = int(marker.read_text())
    time.sleep(0.2)
    try:
        os.kill(child, 0)
        with open("/proc/%d/stat" % child) as stat:
            assert stat.read().split()[2] == "Z", "the grandchild survived the timeout"
    except ProcessLookupError:
        pass


def test_run_caps_huge_output():
    outcome = run([PY, "-c", "import sys; sys.stdout.write('x' * (3 << 20))"], events_arg=False)
    assert outcome.truncated and len(outcome.output) == 1 << 20
    assert outcome.status_text() == "exit 0"


def test_run_times_out_a_process_that_closes_its_output_and_lives_on():
    code = "import os, time; os.close(1); os.close(2); time.sleep(60)"
    started = time.monotonic()
    outcome = run([PY, "-c", code], timeout=1.5, events_arg=False)
    assert outcome.timed_out and outcome.status_text() == "timed out"
    assert time.monotonic() - started < 10


def test_run_works_where_there_are_no_pidfds(monkeypatch):
    def refused(pid):
        raise OSError(errno.ENOSYS, "pidfd_open")
    monkeypatch.setattr(os, "pidfd_open", refused)
    assert run([PY, "-c", "import sys; sys.exit(4)"], events_arg=False).status_text() == "exit 4"
    lingering = run([PY, "-c", "import os, time; os.close(1); os.close(2); time.sleep(60)"],
                    timeout=1.5, events_arg=False)
    assert lingering.timed_out
