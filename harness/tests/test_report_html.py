"""The HTML report, as headless Chromium renders it: matrix, drift, failure details, escaping."""
import shutil
import subprocess
from html.parser import HTMLParser
from typing import Dict, List, Optional

import pytest

from harness.conform import reports
from harness.conform.suite import CaseReport, Result
from oracle.casemodel import Case

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
HOSTILE = "<script>document.body.setAttribute('data-injected', '1')</script> & <b>bold</b>"


class Node:
    def __init__(self, tag: str, attrs: Dict[str, str], parent: Optional["Node"]) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: List["Node"] = []
        self.parts: List[str] = []  # text and children's text, in order

    def text(self) -> str:
        return "".join(part if isinstance(part, str) else part.text() for part in self.parts)

    def find_all(self, tag: Optional[str] = None, **attrs: str) -> List["Node"]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                    value in child.attrs.get(key.rstrip("_"), "").split()
                    if key == "class_" else child.attrs.get(key) == value
                    for key, value in attrs.items()):
                found.append(child)
            found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: Optional[str] = None, **attrs: str) -> "Node":
        found = self.find_all(tag, **attrs)
        assert found, "no <%s %s> in the rendered page" % (tag, attrs)
        return found[0]


class TreeBuilder(HTMLParser):
    """The dumped DOM as a tree of Nodes (Chromium's serialisation closes every element)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {key: value or "" for key, value in attrs}, self.current)
        self.current.children.append(node)
        self.current.parts.append(node)  # type: ignore
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def case(case_id: str) -> Case:
    return Case(path="/c/%s.yaml" % case_id, id=case_id, description="d", clauses=["run.lifo"],
                tags=[], min_version=None, max_version=None, exit_path="normal", objects={},
                handlers={}, main=())


def sample(program: str) -> List[CaseReport]:
    def result(target, status, **fields):
        return Result(target, "cpython-" + target[-4:], status,
                      oracle_version=target[-4:], **fields)
    diff = "--- cpython-3.11\n+++ reference-3.11\n@@ -1,2 +1,2 @@\n-x\n+y\n %s\n" % HOSTILE
    return [
        CaseReport("run/ok", "/c/run/ok.yaml", case("run/ok"), results=[
            result("reference-3.11", "pass", oracle_transcript="a"),
            result("reference-3.14", "pass", oracle_transcript="b")]),
        CaseReport("run/bad", "/c/run/bad.yaml", case("run/bad"), results=[
            result("reference-3.11", "fail", reason="output differs", diff=diff,
                   target_status="exit 1", oracle_status="exit 0", program=program,
                   target_command="atx-case-runner --profile 3.11 'run/bad.yaml'",
                   oracle_command="python3.11 -I -S -u 'prog.py' 3", oracle_transcript="c"),
            result("reference-3.14", "error", reason="timed out after 30s",
                   program=program + ".missing")]),
        CaseReport("run/na", "/c/run/na.yaml", case("run/na"), results=[
            result("reference-3.11", "skip", reason="not for 3.11"),
            result("reference-3.14", "n/a", reason="pyodide cannot end a process")]),
        CaseReport("run/broken", "/c/run/broken.yaml", None, "/c/run/broken.yaml:3: bad <key>"),
    ]


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Node:
    """index.html written by write_reports, rendered by Chromium, its DOM parsed."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is missing: run `make deps` (Debian package chromium)")
    folder = tmp_path_factory.mktemp("report")
    program = folder / "prog.py"
    program.write_text("import atexit\natexit.register(print, 'bye <now>')\n")
    reports.write_reports(str(folder), sample(str(program)),
                          {"runner": "/r/<i>runner</i>", "oracles": [
                              {"name": "cpython-3.11", "version": "3.11.2"}]},
                          {"run.lifo": "handlers run last in, first out"})
    rendered = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--user-data-dir=%s" % (folder / "profile"), "--dump-dom",
         "file://%s" % (folder / "index.html")],
        capture_output=True, text=True, timeout=120, check=False)
    assert rendered.returncode == 0 and "</html>" in rendered.stdout, rendered.stderr[-2000:]
    builder = TreeBuilder()
    builder.feed(rendered.stdout)
    return builder.root


def statuses(row: Node) -> List[str]:
    return [cell.text().strip() for cell in row.find_all("td")]


def test_matrix_has_a_row_per_case_and_a_column_per_target(page):
    matrix = page.find("table", id="matrix")
    assert [th.text() for th in matrix.find("thead").find_all("th")] == [
        "case", "reference-3.11", "reference-3.14"]
    rows = matrix.find("tbody").find_all("tr")
    assert [row.find("th").text() for row in rows] == ["run/ok", "run/bad", "run/na", "run/broken"]
    ok, bad, na, broken = rows
    assert statuses(ok) == ["pass", "pass"] and statuses(bad) == ["fail", "error"]
    assert statuses(na) == ["skip", "n/a"] and statuses(broken) == ["malformed"]
    assert [cell.attrs["class"].split()[-1] for cell in bad.find_all("td") + na.find_all("td")] \
        == ["st-fail", "st-error", "st-skip", "st-na"]
    assert [a.attrs["href"] for a in bad.find_all("a")] == ["#fail-1", "#fail-2"]
    assert broken.find("td").attrs["colspan"] == "2"
    assert page.find(id="malformed-1").text() == "run/broken: /c/run/broken.yaml:3: bad <key>"


def test_failure_detail_has_diff_program_and_repro(page):
    detail = page.find("section", id="fail-1")
    text = detail.text()
    for expected in ("FAIL run/bad on reference-3.11", "output differs", "exit 1", "exit 0",
                     "run.lifo: handlers run last in, first out",
                     "atx-case-runner --profile 3.11 'run/bad.yaml'",
                     "python3.11 -I -S -u 'prog.py' 3", "atexit.register(print, 'bye <now>')"):
        assert expected in text
    diff = detail.find("pre", class_="diff")
    assert [s.text() for s in diff.find_all("span", class_="del")] == ["-x"]
    assert [s.text() for s in diff.find_all("span", class_="add")] == ["+y"]
    assert "program unreadable" in page.find("section", id="fail-2").text()


def test_user_text_is_escaped_not_rendered(page):
    assert HOSTILE in page.find("section", id="fail-1").find("pre", class_="diff").text()
    assert page.find_all("script") == [] and page.find_all("i") == []
    assert "bold" not in [b.text() for b in page.find_all("b")]
    assert "data-injected" not in page.find("body").attrs
    assert "/r/<i>runner</i>" in page.find("dl").text()


def test_drift_table_lists_cases_that_differ_between_versions(page):
    rows = page.find("table", id="drift").find_all("tr")[1:]
    assert [[td.text() for td in row.find_all("td")] for row in rows] == [
        ["run/ok", "3.11 / 3.14"]]
