# The start of every generated oracle program: runs unchanged on CPython 2.7 and 3.6-3.14.
# Printing rules (cases/README.md, "What a program prints") are implemented here and,
# identically, by the C case runner (harness/runner/pyvalue.c).
from __future__ import print_function

import atexit
import sys

# reimport_atexit rebinds the name atexit; instance: first names this module. And
# reload_atexit's reload: 2.7's builtin, importlib's on 3.x.
_first_atexit = atexit
try:
    _reload = reload
except NameError:
    from importlib import reload as _reload

# Structured events go to their own descriptor (argv[1]): never through atexit,
# stdout or stderr, so they cannot change what is tested. It is reopened by path,
# unbuffered and appending (Jython cannot os.write a raw descriptor); where there
# is no /dev/fd (Pyodide), os.write on the descriptor itself.
# A multiprocessing child started by spawn or forkserver imports this program as
# __mp_main__: it has no event descriptor, and its streams are made unbuffered, as
# the oracle runs every program (python -u is not passed on to such children).
if __name__ == "__mp_main__":
    import io
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True,
                                  errors="backslashreplace")
_EVENTS_FD = int(sys.argv[1]) if len(sys.argv) > 1 and __name__ == "__main__" else -1
_INTEGERS = (int, type(10 ** 30))
try:
    _EVENTS = open("/dev/fd/%d" % _EVENTS_FD, "ab", 0) if _EVENTS_FD >= 0 else None
except (IOError, OSError):
    _EVENTS = None


def _event(text):
    line = text + "\n"
    if not isinstance(line, bytes):  # 3.x; 2.7's text is a byte string already
        line = line.encode("utf-8")
    if _EVENTS is not None:
        _EVENTS.write(line)
    elif _EVENTS_FD >= 0:
        import os
        os.write(_EVENTS_FD, line)


# The kinds of callable _name tells apart, taken from objects of those kinds: importing
# types (and os, which steps import where they use it) would make every program slower.
class _Kinds(object):
    def method(self):
        pass


_METHOD = type(_Kinds().method)
_FUNCTIONS = (type(_event), type(len), type)


_CONTROLS = [chr(code) for code in list(range(32)) + [127]]


def _quote(text):
    """Text in the canonical form: one line, whatever it holds (ASCII controls as \\xNN)."""
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    for control in _CONTROLS:
        if control in text:
            text = text.replace(control, "\\x%02x" % ord(control))
    return "'" + text + "'"


# Loops, not comprehensions: a comprehension is a frame of its own up to 3.11, and the
# C runner counts the frames these helpers take against the recursion limit
# (harness/runner/pystack.c): _call_text 1, _fmt 1 a level of list, _quote 1.
def _fmt(value):
    if value is None or value is True or value is False or isinstance(value, _INTEGERS):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        items = []
        for item in value:
            items.append(_fmt(item))
        return "[" + ", ".join(items) + "]"
    return _name(value)


def _name(obj):
    if isinstance(obj, _METHOD):
        return _name(obj.__self__) + "." + obj.__func__.__name__
    name = getattr(obj, "_atx_name", None)
    if name is not None:
        return name
    if isinstance(obj, _FUNCTIONS):
        return obj.__name__
    return _fmt(obj)


def _call_text(name, args, kwargs):
    parts = []
    for arg in args:
        parts.append(_fmt(arg))
    for key in sorted(kwargs):
        parts.append(key + "=" + _fmt(kwargs[key]))
    return name + "(" + ", ".join(parts) + ")"


_CALLS = {}


def _count_call(key):
    """How many times the body named key has been called, this call included (on_call)."""
    _CALLS[key] = _CALLS.get(key, 0) + 1
    return _CALLS[key]


def _exception_text(error):
    try:
        text = str(error)
    except Exception:  # a case's exception class whose __str__ raises
        text = "<exception str() failed>"
    return type(error).__name__ + (": " + text if text else "")


def _caught(error):
    print("caught " + _exception_text(error))


def _unraisable_hook(unraisable):
    """on_unraisable: sys.unraisablehook, one line for what it is given."""
    culprit = unraisable.object
    print("unraisable: " + _exception_text(unraisable.exc_value) + " | "
          + str(unraisable.err_msg) + " | " + ("None" if culprit is None else _name(culprit)))


def _excepthook(kind, error, traceback):
    """on_uncaught: sys.excepthook, one line for an exception escaping main."""
    print("uncaught: " + _exception_text(error))


def _returned(result, func):
    print("register returned " + _name(result)
          + (" (same object)" if result is func else " (another object)"))


def _signal_name(number):
    """How reports name a signal (the C runner's signal_name). signal is imported here
    only: importing it costs more than all the rest of a program."""
    import signal
    for name in ("SIGABRT", "SIGHUP", "SIGINT", "SIGKILL", "SIGSEGV", "SIGTERM", "SIGUSR1"):
        if getattr(signal, name) == number:
            return name
    return "signal " + str(number)


def _ended(what, code):
    """How a child ended, as its parent sees it: code is the exit status, or -N
    when signal N killed it (multiprocessing's exitcode)."""
    if code < 0:
        print(what + " killed by " + _signal_name(-code))
    else:
        print(what + " exit " + str(code))


def _child_status(status):
    """How a forked child ended, from os.waitpid's status."""
    import os
    if os.WIFSIGNALED(status):
        _ended("child", -os.WTERMSIG(status))
    else:
        _ended("child", os.WEXITSTATUS(status))


def _run_process(start, target):
    """A multiprocessing child running target, started by the start method (None:
    the version's default), joined at once."""
    import multiprocessing
    context = multiprocessing if start is None else multiprocessing.get_context(start)
    process = context.Process(target=target)
    process.start()
    process.join()
    _ended("process", process.exitcode)


if hasattr(atexit, "_ncallbacks"):
    _event("start " + str(atexit._ncallbacks()))
else:
    _event("start " + str(len(getattr(atexit, "_exithandlers", []))))
