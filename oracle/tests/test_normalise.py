"""Normalisation removes addresses and frame lines, and nothing else."""
from oracle.normalise import normalise

TRACE = """\
Exception ignored in atexit callback: <function boom at 0x7f9842771000>
Traceback (most recent call last):
  File "/tmp/p.py", line 7, in boom
    raise ValueError("boom")
    ^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/x.py", line 3, in <module>
    f()
ValueError: boom
"""


def test_normalise_replaces_addresses_and_drops_frames():
    assert normalise(TRACE) == (
        "Exception ignored in atexit callback: <function boom at 0xADDR>\n"
        "Traceback (most recent call last):\n"
        "ValueError: boom\n")


def test_normalise_keeps_indented_output_outside_tracebacks():
    text = "    indented line\nplain\n"
    assert normalise(text) == text


def test_normalise_keeps_messages_and_order_exactly():
    assert normalise("b\na\nValueError: x y\n") == "b\na\nValueError: x y\n"
    assert normalise("ValueError: x\n") != normalise("ValueError: y\n")
