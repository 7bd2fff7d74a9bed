"""The HTML report (reports/index.html): one self-contained page, no scripts, no external URLs.

It shows the run, the case x target matrix, the behaviour drift table, every unexpected result
in detail (diff, generated program, repro commands), the oracle's findings (an unstable oracle
with both of its differing transcripts and the diff between them, an oracle killed by a signal
the case does not send, with its transcript and the known bug's link) and the malformed cases.
Every text that comes from a case, a run or a file is escaped.
"""

import datetime
import html
import re
from collections import OrderedDict
from typing import Any, Dict, List, Tuple

from harness.conform import drift
from harness.conform.controls import visible
from harness.conform.suite import (ORACLE_CRASH, ORACLE_STATUSES, STATUSES, UNSTABLE, CaseReport,
                                   Result, counts, is_unexpected, unexpected_count)

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 2em 3em; color: #1d232a; }
h1 { margin: .8em 0 .2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccd; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f6f7f9; border: 1px solid #dde; padding: .6em; overflow-x: auto;
      white-space: pre; margin: .3em 0 1em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #dde; padding: 2px 8px; text-align: left; }
th { background: #eef0f4; }
#matrix { font-size: 12.5px; }
#matrix thead th { position: sticky; top: 0; z-index: 1; }
#matrix tbody th { background: #fafbfc; font-weight: normal; white-space: nowrap; }
#matrix td.status { text-align: center; white-space: nowrap; }
#matrix a { color: inherit; font-weight: bold; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dt { font-weight: bold; } dd { margin: 0; white-space: pre-line; }
summary { cursor: pointer; color: #0550ae; }
.counts span { display: inline-block; margin: 0 .4em .3em 0; padding: 1px 8px;
               border-radius: 3px; }
.st-pass { background: #d4f4dd; } .st-fail { background: #f9c9c9; }
.st-skip { background: #eceff2; color: #667; } .st-na { background: #f4f5f7; color: #889; }
.st-xfail { background: #fbefc4; } .st-xpass { background: #ffd3a8; }
.st-error { background: #e3c4f0; } .st-none { background: #fff; }
.st-unstable { background: #d6e4ff; } .st-oraclecrash { background: #c9ced6; }
.diff .add { color: #116329; background: #e6ffec; display: block; }
.diff .del { color: #a40e26; background: #ffebe9; display: block; }
.diff .hunk { color: #0550ae; display: block; } .diff .head { color: #57606a; display: block; }
.failure { border-left: 4px solid #d33; padding-left: 1em; margin-top: 1.5em; }
.failure:target { background: #fffbe6; }
.oracle { border-left: 4px solid #57606a; padding-left: 1em; margin-top: 1.5em; }
.oracle:target { background: #fffbe6; }
.muted { color: #667; }
"""


def _e(value: Any) -> str:
    return html.escape(visible(str(value)), quote=True)


def status_class(status: str) -> str:
    """The CSS class of a status: st-pass, st-fail, ..., st-na for n/a."""
    return "st-" + re.sub(r"[^a-z]", "", status.lower())


def _targets(reports: List[CaseReport]) -> List[str]:
    """Every target name, in the order results first name them."""
    seen: Dict[str, None] = OrderedDict()
    for report in reports:
        for result in report.results:
            seen.setdefault(result.target, None)
    return list(seen)


def _header(reports: List[CaseReport], run_info: Dict[str, Any]) -> str:
    oracles = OrderedDict((o.get("name", "?"), None) for o in run_info.get("oracles", []))
    total = counts(reports)
    fail_on_unstable = bool(run_info.get("fail_on_unstable"))
    selection = [(key, ", ".join(map(str, value)) if isinstance(value, list) else value)
                 for key, value in run_info.get("selection", {}).items() if value]
    generated = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    rows = [("generated", generated),
            ("oracles", ", ".join(oracles) or "none"),
            ("targets", ", ".join(_targets(reports)) or "none"),
            ("runner", run_info.get("runner", "")),
            ("oracle runs", "%s per case%s" % (run_info.get("repeat", 1), (
                "; unstable is unexpected (--fail-on-unstable)" if fail_on_unstable else ""))),
            ("selection", "; ".join("%s: %s" % item for item in selection) or "all cases")]
    badges = "".join('<span class="%s">%d %s</span>' % (status_class(s), total[s], _e(s))
                     for s in STATUSES)
    verdict = unexpected_count(reports, fail_on_unstable)
    return ("<h1>atx-conform report</h1>\n<dl>%s</dl>\n"
            '<p class="counts"><span>%d cases</span>%s</p>\n<p><b>%s</b></p>\n' % (
                "".join("<dt>%s</dt><dd>%s</dd>" % (_e(k), _e(v)) for k, v in rows),
                len(reports), badges,
                "%d unexpected (fail, xpass, error, unknown oracle-crash, malformed%s)" % (
                    verdict, ", unstable" if fail_on_unstable else "") if verdict
                else "nothing unexpected"))


def _matrix(reports: List[CaseReport], targets: List[str], anchors: Dict[int, str]) -> str:
    """One row per case, one column per target; an unexpected result links to its detail."""
    head = "<tr><th>case</th>%s</tr>" % "".join("<th>%s</th>" % _e(t) for t in targets)
    rows = []
    malformed = 0
    for report in reports:
        if report.error:
            malformed += 1
            cells = ('<td class="status st-error" colspan="%d"><a href="#malformed-%d">'
                     'malformed</a></td>' % (max(1, len(targets)), malformed))
        else:
            cells = "".join(_cell([r for r in report.results if r.target == target], anchors)
                            for target in targets)
        rows.append("<tr><th><code>%s</code></th>%s</tr>" % (_e(report.id), cells))
    return '<table id="matrix">\n<thead>%s</thead>\n<tbody>\n%s\n</tbody></table>\n' % (
        head, "\n".join(rows))


def _cell(results: List[Result], anchors: Dict[int, str]) -> str:
    if not results:
        return '<td class="status st-none"></td>'
    texts = []
    for result in results:
        text = _e(result.status)
        if id(result) in anchors:
            text = '<a href="#%s">%s</a>' % (anchors[id(result)], text)
        texts.append('<span title="%s">%s</span>' % (_e(result.reason or result.oracle), text))
    return '<td class="status %s">%s</td>' % (status_class(results[0].status), " ".join(texts))


def _drift(reports: List[CaseReport]) -> str:
    """The cases whose behaviour differs between versions, as in drift.as_markdown."""
    every = drift.versions_of(reports)
    table = drift.drift(reports)
    differing = [(case_id, groups) for case_id, groups in table.items() if len(groups) > 1]
    text = ("<p>Each row: the groups of CPython versions whose observed behaviour is identical "
            "(versions seen: %s). %d cases differ between versions; %d behave the same on all "
            "they ran on.</p>\n" % (_e(", ".join(every) or "none"), len(differing),
                                    len(table) - len(differing)))
    shaky = drift.unstable(reports)
    if shaky:
        text += "<p>Unstable (no behaviour recorded): %s</p>\n" % "; ".join(
            "<code>%s</code> on %s" % (_e(case_id), _e(drift.span(versions, every)))
            for case_id, versions in shaky.items())
    if not differing:
        return text
    rows = "".join("<tr><td><code>%s</code></td><td>%s</td></tr>\n" % (
        _e(case_id), " / ".join(_e(drift.span(group, every)) for group in groups))
        for case_id, groups in differing)
    return text + '<table id="drift"><tr><th>case</th><th>groups</th></tr>\n%s</table>\n' % rows


def _diff(diff: str) -> str:
    """The unified diff, a span per line classed by its first characters."""
    lines = []
    for line in diff.rstrip("\n").split("\n"):
        kind = ("head" if line.startswith(("---", "+++")) else "hunk" if line.startswith("@@")
                else "add" if line.startswith("+") else "del" if line.startswith("-") else "")
        lines.append('<span class="%s">%s</span>' % (kind, _e(line)) if kind else _e(line) + "\n")
    return '<pre class="diff">%s</pre>' % "".join(lines)


def _program(path: str) -> str:
    """The generated program's text, or why it cannot be shown."""
    if not path:
        return '<p class="muted">no program was recorded</p>'
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return "<details><summary>show</summary><pre>%s</pre></details>" % _e(stream.read())
    except OSError as error:
        return '<p class="muted">program unreadable: %s</p>' % _e(error)


def _what_was_seen(result: Result) -> str:
    """The diff and, for the oracle's findings, what the oracle's runs did."""
    if result.status == UNSTABLE:
        return ("<h4>diff (run 1 &rarr; run %d of the oracle)</h4>\n%s\n"
                "<h4>run 1</h4>\n<pre class=\"run\">%s</pre>\n"
                "<h4>run %d</h4>\n<pre class=\"run\">%s</pre>\n" % (
                    result.unstable_run, _diff(result.diff), _e(result.oracle_transcript),
                    result.unstable_run, _e(result.unstable_transcript)))
    if result.status == ORACLE_CRASH:
        return ("<h4>what the oracle did (not compared)</h4>\n<pre class=\"run\">%s</pre>\n"
                % _e(result.oracle_transcript))
    return "<h4>diff (oracle &rarr; target)</h4>\n%s\n" % (
        _diff(result.diff) if result.diff else '<p class="muted">no diff</p>')


def _failure(n: int, report: CaseReport, result: Result, clauses: Dict[str, str],
             anchor: str = "fail", kind: str = "failure") -> str:
    case_clauses = report.case.clauses if report.case is not None else []
    rows = [("target", result.target), ("oracle", result.oracle), ("reason", result.reason),
            ("target status", result.target_status or "-"),
            ("oracle status", result.oracle_status or "-"),
            ("clauses", "\n".join("%s: %s" % (c, clauses[c]) if c in clauses else c
                                   for c in case_clauses) or "-")]
    if result.known:
        rows.insert(3, ("known bug", result.known))
    if result.oracle_runs > 1:
        rows.insert(3, ("oracle runs", str(result.oracle_runs)))
    return ('<section class="%s" id="%s-%d">\n<h3>%s <code>%s</code> on %s</h3>\n'
            "<dl>%s</dl>\n%s"
            "<h4>repro</h4>\n<pre class=\"cmd\">%s\n%s</pre>\n"
            "<h4>program <code>%s</code></h4>\n%s\n</section>\n" % (
                kind, anchor, n, _e(result.status.upper()), _e(report.id), _e(result.target),
                "".join("<dt>%s</dt><dd>%s</dd>" % (_e(k), _e(v)) for k, v in rows),
                _what_was_seen(result),
                _e("# target\n" + result.target_command), _e("# oracle\n" + result.oracle_command),
                _e(result.program), _program(result.program)))


def as_html(reports: List[CaseReport], run_info: Dict[str, Any], clauses: Dict[str, str]) -> str:
    """The whole page. Unexpected results (suite.is_unexpected) are anchored fail-1, fail-2,
    ... in case then result order; the oracle's other findings (unstable, a known CPython
    bug) oracle-1, ...; malformed cases malformed-1, ... in case order."""
    fail_on_unstable = bool(run_info.get("fail_on_unstable"))
    unexpected: List[Tuple[CaseReport, Result]] = [
        (report, result) for report in reports for result in report.results
        if is_unexpected(result, fail_on_unstable)]
    findings: List[Tuple[CaseReport, Result]] = [
        (report, result) for report in reports for result in report.results
        if result.status in ORACLE_STATUSES and not is_unexpected(result, fail_on_unstable)]
    anchors = {id(result): "fail-%d" % n for n, (_, result) in enumerate(unexpected, 1)}
    anchors.update((id(result), "oracle-%d" % n) for n, (_, result) in enumerate(findings, 1))
    malformed = [report for report in reports if report.error]
    parts = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
             "<title>atx-conform report</title>\n<style>%s</style>\n</head>\n<body>\n" % STYLE,
             _header(reports, run_info),
             "<h2>Cases &times; targets</h2>\n", _matrix(reports, _targets(reports), anchors),
             "<h2>Behaviour drift</h2>\n", _drift(reports),
             "<h2>Unexpected results (%d)</h2>\n" % len(unexpected)]
    parts += [_failure(n, report, result, clauses)
              for n, (report, result) in enumerate(unexpected, 1)]
    if not unexpected:
        parts.append("<p>none</p>\n")
    parts.append("<h2>The oracle checked: unstable and known CPython bugs (%d)</h2>\n"
                 % len(findings))
    parts += [_failure(n, report, result, clauses, "oracle", "oracle")
              for n, (report, result) in enumerate(findings, 1)]
    if not findings:
        parts.append("<p>none</p>\n")
    parts.append("<h2>Malformed cases (%d)</h2>\n" % len(malformed))
    parts.append("<ul>\n%s</ul>\n" % "".join(
        '<li id="malformed-%d"><code>%s</code>: %s</li>\n' % (n, _e(r.id), _e(r.error))
        for n, r in enumerate(malformed, 1)) if malformed else "<p>none</p>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)
