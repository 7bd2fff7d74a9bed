"""Progress: a bar redrawn in place on a terminal, plain lines at each tenth otherwise."""
import io

from harness.conform.progress import Progress, eta_text


def test_on_a_terminal_the_bar_is_redrawn_with_counts_and_an_eta():
    stream = io.StringIO()
    progress = Progress(stream, terminal=True)
    progress.start(4)
    for status in ("pass", "pass", "fail", "pass"):
        progress.done(status)
    progress.finish()
    text = stream.getvalue()
    assert text.startswith("\r[") and text.endswith("\n")
    last = text.rstrip("\n").split("\r")[-1]
    assert last.startswith("[" + "#" * 30 + "]")
    assert "4/4" in last and "fail 1 pass 3" in last and "ETA 0s" in last
    assert "\n" not in text.rstrip("\n")  # one line, redrawn


def test_elsewhere_one_plain_line_per_tenth():
    stream = io.StringIO()
    progress = Progress(stream, terminal=False)
    progress.start(100)
    for _ in range(100):
        progress.done("pass")
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("progress:  10/100") and lines[-1].startswith("progress: 100/100")
    assert "\r" not in stream.getvalue()


def test_eta_text():
    assert eta_text(4.4) == "4s" and eta_text(75) == "1m15s"
