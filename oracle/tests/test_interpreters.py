"""Discovery identifies interpreters by running them, wherever they are."""
import os

from oracle import interpreters


def test_identify_runs_the_interpreter():
    found = interpreters.identify("/usr/bin/python3")
    assert found is not None and found.implementation == "CPython" and found.version[0] == 3


def test_identify_rejects_what_is_not_python(tmp_path):
    assert interpreters.identify("/bin/true") is None
    assert interpreters.identify(str(tmp_path / "absent")) is None


def test_discover_reads_pyenv_root_from_the_environment(tmp_path, monkeypatch):
    fake = tmp_path / "versions" / "9.9.9" / "bin"
    fake.mkdir(parents=True)
    os.symlink("/usr/bin/python3", str(fake / "python"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    assert str(fake / "python") in interpreters.candidates()


def test_discover_keeps_one_interpreter_per_version():
    found = interpreters.discover()
    keys = [(i.implementation, i.short_version) for i in found]
    assert len(keys) == len(set(keys)) and keys


def test_isolation_flags_per_major_version():
    assert interpreters.Interpreter("p", "CPython", (2, 7, 18)).isolation_flags() == ["-E", "-S", "-u"]
    assert interpreters.Interpreter("p", "CPython", (3, 11, 2)).isolation_flags() == ["-I", "-S", "-u"]
