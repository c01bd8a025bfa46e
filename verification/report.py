"""The theory-versus-experiment report: one row per prediction, written as Markdown and HTML.

A row (:class:`Check`) states a prediction of the paper with its source, the theory value, the
measured value, the tolerance with its critical margins (the margins at which the verdict would
hold or fail, :class:`verification.statistics.CriticalMargin`), the verdict (exactly one of
:data:`VERDICTS`) and the command that reproduces it.  :func:`write_report` writes ``report.md``
and a self-contained ``report.html`` (figures embedded) from the finished tasks
(:class:`TaskOutput`), so an interrupted run still leaves the report of what finished.
"""

from __future__ import annotations

import base64
import html
import importlib.metadata
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from verification.runtime.durable_write import write_durably
from verification.runtime.provenance import UNKNOWN, code_commit, host_info, utc_now
from verification.statistics.decisions import CriticalMargin, holm_adjust

__all__ = ["VERDICTS", "Check", "TaskOutput", "adjust", "write_report", "report_rows"]

VERDICTS = ("holds", "fails", "inconclusive")


@dataclass(frozen=True)
class Check:
    """One row of the report: a prediction of the paper against a measurement."""

    prediction: str
    source: str
    theory: str
    measured: str
    tolerance: str
    verdict: str
    command: str
    #: the test's p-values and decision (:meth:`verification.statistics.Verdict.to_dict`); None for
    #: an exact (deterministic) comparison
    statistics: dict | None = None
    #: why the row is inconclusive whatever its p-values (e.g. the budget has not converged)
    forced_inconclusive: str | None = None
    #: the claim's stable id (:class:`verification.verdicts.Claim`)
    claim_id: str | None = None
    #: what the row is evidence of (:data:`verification.figures.registry.EVIDENCE`)
    evidence: str = "experiment"
    #: the margins at which the verdict would hold or fail (:meth:`CriticalMargin.to_dict`), for a
    #: row whose claim has a margin; computed before the Holm adjustment
    critical_margin: dict | None = None

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    @property
    def test_text(self) -> str:
        """The report's "test (margin)" column: the tolerance, then the critical margins if any."""
        if not self.critical_margin:
            return self.tolerance
        return f"{self.tolerance}; {CriticalMargin.from_dict(self.critical_margin).text()}"

    @property
    def p_text(self) -> str:
        """``raw / adjusted`` p-value of a statistical row (empty for an exact one)."""
        s = self.statistics
        if not s:
            return "exact"
        return f"{s['p_raw']:.2g} / {s['p_adjusted']:.2g}"


def adjust(checks: list[Check]) -> list[Check]:
    """Holm-adjust the p-values of the statistical rows together and re-decide their verdicts.

    Each statistical row enters with ``p_raw = min(p(claim false), p(claim true))``; after Holm's
    step-down adjustment across all of them (:func:`verification.statistics.holm_adjust`) a row
    holds or fails only if its adjusted p is at most its ``alpha``, otherwise it is inconclusive.
    Exact rows are unchanged.
    """
    idx = [i for i, c in enumerate(checks) if c.statistics]
    if not idx:
        return list(checks)
    stats = [checks[i].statistics for i in idx]
    adjusted, verdicts = holm_adjust(
        [s["p_hold"] for s in stats],
        [s["p_fail"] for s in stats],
        [s["alpha"] for s in stats],
        forced_inconclusive=[bool(checks[i].forced_inconclusive) for i in idx],
    )
    out = list(checks)
    for i, s, pa, verdict in zip(idx, stats, adjusted, verdicts):
        out[i] = replace(
            checks[i], statistics={**s, "p_adjusted": float(pa), "verdict": verdict}, verdict=verdict
        )
    return out


@dataclass
class TaskOutput:
    """What a task produced: files written and report rows."""

    title: str
    figures: list[Path] = field(default_factory=list)
    data_files: list[Path] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    caption: str = ""
    #: the data came from the result cache in this run (``seconds`` is then mostly loading)
    cached: bool = False
    #: how the cached data were made (:meth:`ResultCache.record`), when known
    record: dict | None = None
    #: tables shown in the task's section: (title, header, rows)
    tables: list[tuple[str, list[str], list[list]]] = field(default_factory=list)
    #: the conditions the task ran under (:attr:`verification.figures.registry.Figure.conditions`)
    conditions: str = ""
    #: the assumption arm the task is, if any (:attr:`verification.figures.registry.Figure.arm`)
    arm: str | None = None


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds:,.0f} s ({seconds / 60:.0f} min)"


def _timing(o: TaskOutput) -> str:
    """How long a task took, and for data loaded from the cache how long the run that stored them took."""
    text = f"{o.seconds:.1f} s"
    if not o.cached:
        return text
    text += " in this run, its data loaded from the cache"
    rec = o.record
    if not rec or "seconds" not in rec:
        return text + " (stored without a timing record)"
    when = rec.get("stored_at", "time unknown")
    text += f"; the run that stored them ({when}) took {_duration(rec['seconds'])}"
    if rec.get("loaded"):
        text += (
            f", computing {rec.get('computed', 0)} cache entries and loading {rec['loaded']} that "
            "earlier (interrupted) runs had stored"
        )
    return text


def _anchor(name: str) -> str:
    return f"task-{name}"


def _md_table(header, rows) -> list[str]:
    out = ["| " + " | ".join(_md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_escape(x) for x in row) + " |" for row in rows]
    return out


def _html_table(header, rows, cls="") -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><tr>{head}</tr>{body}</table>'


#: the columns of the report's table
_HEAD = ["prediction", "source", "theory", "measured", "test (margin)", "p raw / Holm", "verdict", "command"]
#: the columns of a section's own rows (the section names the task and its command)
_SECTION_HEAD = ["prediction", "theory", "measured", "test (margin)", "p raw / Holm", "verdict"]

_STYLE = (
    "body{font-family:sans-serif;max-width:1150px;margin:auto;padding:0 1em} "
    "table{border-collapse:collapse}\n"
    "td,th{border:1px solid #ccc;padding:4px;font-size:13px;vertical-align:top} th{background:#eee}\n"
    ".holds{background:#cfc} .fails{background:#fcc} .inconclusive{background:#ffc} img{max-width:100%}\n"
    "figcaption{font-size:13px;color:#333} .meta{color:#555;font-size:13px} a{color:#124}\n"
    ".nw{white-space:nowrap} dt{font-weight:bold;margin-top:.5em} dd{margin-left:1.5em}"
)

#: the anchors of the report's parts other than the tasks' sections
_ALL_ROWS, _GLOSSARY = "all-rows", "glossary"

#: the statistical terms of the rows, explained (term, explanation), in the order a reader meets them
GLOSSARY = (
    (
        "holds / fails / inconclusive",
        "A row holds when the data show the prediction true within its tolerance, and fails when they "
        "show it false, each at the one-sided level 0.05 after the Holm adjustment.  Otherwise it is "
        "inconclusive: the data are compatible with the prediction being true and with it being false, "
        "so an inconclusive row is no evidence against the paper, only too little data (or a forced "
        "verdict, such as a budget that has not converged).",
    ),
    (
        "exact",
        "A row decided by a deterministic computation (no sampling): it has no p-value, and its "
        "verdict follows from the numbers and the tolerance alone.",
    ),
    (
        "one-sided test",
        "A test of a bound (a quantity at most, or at least, a value): p(claim false) is the p-value of "
        "the test whose null hypothesis is that the bound is broken, p(claim true) that of the test whose "
        "null is that it holds.  A row's raw p is the smaller of the two; which one it is decides "
        "between holds and fails.",
    ),
    (
        "TOST",
        "Two one-sided tests: a claim that a quantity equals its prediction within a margin ± m holds "
        "when both one-sided tests (above -m, below +m) reject, i.e. when the 90% confidence interval "
        "lies inside ± m; it fails when the interval lies wholly outside.",
    ),
    (
        "Holm adjustment",
        "Holm's step-down correction for testing many rows at once: the raw p-values of all the "
        "statistical rows are adjusted together, so that the chance of even one wrong holds-or-fails "
        "verdict in the whole report is at most 0.05.  The column 'p raw / Holm' shows both.",
    ),
    (
        "critical margin",
        "The margins (tolerances, slacks) at which the row's verdict would change: 'holds for margins "
        ">= a, fails below b' (from the unadjusted 90% interval, before Holm).  It says how much the "
        "verdict depends on the margin chosen; 'margin set after the data' marks a margin the paper "
        "does not state.",
    ),
    (
        "detectable deviation",
        "For an inconclusive row: the smallest deviation beyond the margin (or bound) that the "
        "experiment would detect with 80% power at its level.  Deviations smaller than this are not "
        "ruled out by the data.",
    ),
    (
        "at T/4 (budget check)",
        "The quantity is estimated again from the same runs at a quarter of the training budget T.  "
        "When that estimate lies outside the 90% interval at T, the runs are still changing (late "
        "grokking may move them), and the row is inconclusive: 'budget not converged'.",
    ),
)


def write_report(
    out: Path,
    outputs: dict[str, TaskOutput],
    *,
    scale: str,
    pending: list[str],
    seed: int | None = None,
    missing: dict[str, str] | None = None,
) -> None:
    """Write ``report.md``, a self-contained ``report.html`` and ``report.json`` for the finished tasks.

    Both documents open with a summary in words (verdict counts, by kind of evidence, and the rows
    that fail with the conditions they ran under), the provenance of the run (:func:`provenance`)
    and a table of contents; then one section per task with its rows, figures with captions,
    tables (Table II), data files, notes and time; then all the rows in one table, each linked to
    its section, and a glossary of the statistical terms (:data:`GLOSSARY`).  ``report.json`` holds
    the same rows as data (:func:`report_rows`) and the provenance, for the tables generated from a
    report (``docs/gen_results.py``).  ``missing`` names the tasks that could not be rebuilt from
    the archive without training (``--archive-only``), each with the reason; they are listed
    under the contents and in ``report.json``, and have no rows.
    """
    names = [name for name, o in outputs.items() for _ in o.checks]
    checks = list(zip(names, adjust([c for o in outputs.values() for c in o.checks])))
    doc = _Document(
        outputs,
        checks,
        summary=_summary(outputs, checks, scale)
        + (
            f" Not rebuilt, not being in the archive: {', '.join(missing)} (listed under the contents)."
            if missing
            else ""
        ),
        findings=_findings(outputs, checks),
        provenance=provenance(scale, seed),
        pending=list(pending),
        missing=dict(missing or {}),
    )
    write_durably(out / "report.md", "\n".join(_markdown(out, doc)) + "\n")
    write_durably(out / "report.html", _html(out, doc))
    record = {
        "scale": scale,
        "pending": list(pending),
        "missing": dict(missing or {}),
        "provenance": doc.provenance,
        "rows": report_rows(checks),
    }
    write_durably(out / "report.json", json.dumps(record, indent=1, allow_nan=False) + "\n")


@dataclass(frozen=True)
class _Document:
    """What both formats of the report show."""

    outputs: dict
    checks: list
    summary: str
    findings: list
    provenance: dict
    pending: list
    missing: dict

    def rows_of(self, name: str) -> list:
        return [c for n, c in self.checks if n == name]


def provenance(scale: str, seed: int | None) -> dict:
    """Where the report comes from: geneft's version, the code commit, the UTC date, the host (CPU,
    cores, GPU), the torch and numpy versions, the seed and the tier."""
    host = host_info()
    try:
        version = importlib.metadata.version("geneft")
    except importlib.metadata.PackageNotFoundError:
        version = UNKNOWN
    return {
        "geneft": version,
        "commit": code_commit(),
        "date": utc_now(),
        "cpu": host["cpu"],
        "cores": host["cores"],
        "gpu": host["gpu"],
        "torch": host["torch"],
        "numpy": host["numpy"],
        "seed": seed,
        "tier": scale,
    }


def _provenance_text(p: dict) -> str:
    commit = p["commit"][:12] if p["commit"] != UNKNOWN else UNKNOWN
    gpu = f", GPU {p['gpu']}" if p.get("gpu") else ""
    seed = "" if p["seed"] is None else f", seed {p['seed']}"
    return (
        f"Made by geneft {p['geneft']} at commit {commit} on {p['date']}, on {p['cpu']} "
        f"({p['cores']} cores{gpu}) with torch {p['torch']} and numpy {p['numpy']}; tier {p['tier']}{seed}."
    )


def report_rows(checks) -> list[dict]:
    """The report's rows as JSON-ready dicts (task, claim id, evidence, the columns, the verdict)."""
    return [
        {
            "task": name,
            "claim_id": c.claim_id,
            "evidence": c.evidence,
            "prediction": c.prediction,
            "source": c.source,
            "theory": c.theory,
            "measured": c.measured,
            "test": c.test_text,
            "critical_margin": c.critical_margin,
            "p": c.p_text,
            "statistical": bool(c.statistics),
            "verdict": c.verdict,
            "command": c.command,
        }
        for name, c in checks
    ]


def _summary(outputs: dict[str, TaskOutput], checks, scale: str) -> str:
    """The report's opening line: scale, verdict counts, time, and how the p-values are adjusted."""
    n_stat = sum(1 for _, c in checks if c.statistics)
    counts = {v: sum(c.verdict == v for _, c in checks) for v in VERDICTS}
    total = sum(o.seconds for o in outputs.values())
    cached = [o for o in outputs.values() if o.cached]
    timing = f"Time: {total:.1f} s"
    if cached:
        timed = [o.record["seconds"] for o in cached if o.record and "seconds" in o.record]
        timing += f" in this run, {len(cached)} of {len(outputs)} tasks loaded from the cache" + (
            f" (the runs that stored {len(timed)} of them took {_duration(sum(timed))})" if timed else ""
        )
    return (
        f"Scale: `{scale}`. Verdicts: {counts['holds']} holds, {counts['fails']} fails, "
        f"{counts['inconclusive']} inconclusive{_by_evidence(checks)}. {timing}. "
        f"The p-values of the {n_stat} statistical rows are Holm-adjusted together (one-sided level "
        "0.05 each); a verdict holds or fails only when its adjusted p is at most 0.05."
    )


#: how the summary names each kind of evidence
_EVIDENCE_WORDS = {
    "experiment": "trained networks",
    "computation": "the paper's approximations against exact computation",
    "derivation": "derivation identities checked by Monte Carlo, no evidence about networks",
}


def _by_evidence(checks) -> str:
    """The verdict counts of each kind of evidence, as ``" (trained networks: 5 holds, ...)"``."""
    kinds = [k for k in _EVIDENCE_WORDS if any(c.evidence == k for _, c in checks)]
    if len(kinds) < 2:
        return ""
    parts = []
    for k in kinds:
        rows = [c for _, c in checks if c.evidence == k]
        counts = ", ".join(f"{sum(c.verdict == v for c in rows)} {v}" for v in VERDICTS)
        parts.append(f"{_EVIDENCE_WORDS[k]}: {counts}")
    return " (" + "; ".join(parts) + ")"


def _setting(o: TaskOutput, evidence: str) -> str:
    """Under which conditions a task's rows were measured, in words: the paper's stated setting, an
    assumption arm, a measurement of the toolkit's own, or (with no conditions) the kind of evidence."""
    if o.arm:
        return f"under an assumption of the toolkit's (the {o.arm} arm), not the paper's stated setting"
    if o.conditions.startswith("Not a figure of the paper"):
        return "in a measurement of the toolkit's own, not a figure of the paper"
    if o.conditions:
        return "under the paper's stated setting (the toolkit's choices only where the paper is silent)"
    return f"evidence: {_EVIDENCE_WORDS.get(evidence, evidence)}"


def _findings(outputs: dict[str, TaskOutput], checks) -> list[str]:
    """The headline findings: per task, the rows that fail and the conditions they ran under; then
    how many rows are inconclusive."""
    out = []
    for name, o in outputs.items():
        failing = [c for n, c in checks if n == name and c.verdict == "fails"]
        if not failing:
            continue
        n = len(failing)
        words = f"{n} row{'s' if n > 1 else ''} fail{'' if n > 1 else 's'}"
        predictions = "; ".join(c.prediction for c in failing)
        out.append(f"{o.title}: {words}, {_setting(o, failing[0].evidence)}: {predictions}.")
    if not out:
        out.append("No row fails.")
    n_inc = sum(c.verdict == "inconclusive" for _, c in checks)
    if n_inc:
        out.append(
            f"{n_inc} row{'s are' if n_inc > 1 else ' is'} inconclusive: the data neither confirm nor rule "
            "out the prediction at this sample size (see the glossary), which is no evidence against it."
        )
    return out


def _counts(checks) -> str:
    counts = [f"{sum(c.verdict == v for c in checks)} {v}" for v in VERDICTS]
    return ", ".join(x for x in counts if not x.startswith("0 ")) or "no rows"


def _contents(doc: _Document) -> list[tuple[str, str, str]]:
    """The table of contents: (anchor, title, the section's verdict counts) per task, then the table
    of all rows and the glossary."""
    items = [(_anchor(name), o.title, _counts(doc.rows_of(name))) for name, o in doc.outputs.items()]
    return items + [
        (_ALL_ROWS, "All rows in one table", f"{len(doc.checks)} rows"),
        (_GLOSSARY, "Glossary of the statistical terms", ""),
    ]


def _section_row(c: Check) -> list[str]:
    return [c.prediction, c.theory, c.measured, c.test_text, c.p_text, c.verdict]


def _commands(rows) -> list[str]:
    return list(dict.fromkeys(c.command for c in rows))


def _md_section(out: Path, name: str, o: TaskOutput, rows) -> list[str]:
    """One task's section of ``report.md``: its rows, then its figures, tables, notes and files."""
    md = ["", f'<a id="{_anchor(name)}"></a>', "", f"## {o.title}", "", f"Task `{name}`, {_timing(o)}."]
    if o.caption:
        md += ["", o.caption]
    if rows:
        md += ["", *_md_table(_SECTION_HEAD, [[*_section_row(c)[:-1], f"**{c.verdict}**"] for c in rows])]
        md += ["", "Reproduce: " + ", ".join(f"`{cmd}`" for cmd in _commands(rows))]
    md += [""] + [f"![{o.caption or p.name}]({p.relative_to(out)})" for p in o.figures] if o.figures else []
    for title, header, rows_ in o.tables:
        md += ["", f"**{title}**", "", *_md_table(header, rows_)]
    md += [""] if o.notes or o.data_files else []
    md += [f"- {note}" for note in o.notes]
    md += [f"- data: [{p.name}]({p.relative_to(out)})" for p in o.data_files]
    return md


#: the heading of the tasks that an archive-only run could not rebuild
_MISSING_HEAD = (
    "Not in the archive, so not rebuilt (nothing trains with --archive-only; without it these tasks "
    "train what the archive lacks):"
)


def _markdown(out: Path, doc: _Document) -> list[str]:
    """The lines of ``report.md``."""
    md = ["# GenEFT: theory versus experiment", "", "## Summary", "", doc.summary, "", "Findings:", ""]
    md += [f"- {f}" for f in doc.findings]
    md += ["", _provenance_text(doc.provenance), "", "## Contents", ""]
    md += [f"- [{title}](#{a})" + (f" ({n})" if n else "") for a, title, n in _contents(doc)]
    if doc.pending:
        md += ["", f"Not finished in this run: {', '.join(doc.pending)}."]
    if doc.missing:
        md += ["", _MISSING_HEAD, ""] + [f"- `{name}`: {why}" for name, why in doc.missing.items()]
    for name, o in doc.outputs.items():
        md += _md_section(out, name, o, doc.rows_of(name))
    md += ["", f'<a id="{_ALL_ROWS}"></a>', "", "## All rows in one table", ""]
    md += _md_table(
        _HEAD,
        [
            [
                f"{c.prediction} ([{name}](#{_anchor(name)}))",
                c.source,
                c.theory,
                c.measured,
                c.test_text,
                c.p_text,
                f"**{c.verdict}**",
                f"`{c.command}`",
            ]
            for name, c in doc.checks
        ],
    )
    md += ["", f'<a id="{_GLOSSARY}"></a>', "", "## Glossary of the statistical terms", ""]
    md += [f"- **{term}**: {text}" for term, text in GLOSSARY]
    return md


def _img(p: Path, caption: str) -> str:
    """A PNG embedded in the page, with its caption."""
    b64 = base64.b64encode(p.read_bytes()).decode()
    text = html.escape(caption) + (" " if caption else "") + f"(<code>{html.escape(p.name)}</code>)"
    return (
        f'<figure><img alt="{html.escape(caption or p.name)}" src="data:image/png;base64,{b64}"/>'
        f"<figcaption>{text}</figcaption></figure>"
    )


def _command_html(command: str) -> str:
    """A command as HTML code whose lines break only between words, never inside a ``--flag``."""
    words = " ".join(f'<span class="nw">{html.escape(w)}</span>' for w in command.split())
    return f"<code>{words}</code>"


def _html_row(first: str, c: Check, cells, *, command: bool) -> str:
    """One table row: ``first`` (HTML), the escaped ``cells``, the verdict and maybe the command."""
    return (
        f"<tr>{first}"
        + "".join(f"<td>{html.escape(str(x))}</td>" for x in cells)
        + f'<td class="{c.verdict}">{c.verdict}</td>'
        + (f"<td>{_command_html(c.command)}</td>" if command else "")
        + "</tr>"
    )


def _html_section(out: Path, name: str, o: TaskOutput, rows) -> str:
    """One task's section of ``report.html``: its rows, then its figures, tables and notes."""
    rows_html = ""
    if rows:
        body = "".join(
            _html_row(f"<td>{html.escape(c.prediction)}</td>", c, _section_row(c)[1:-1], command=False)
            for c in rows
        )
        head = "".join(f"<th>{h}</th>" for h in _SECTION_HEAD)
        rows_html = (
            f'<table class="rows"><tr>{head}</tr>{body}</table><p class=meta>Reproduce: '
            + ", ".join(_command_html(cmd) for cmd in _commands(rows))
            + "</p>"
        )
    return (
        f'<h2 id="{_anchor(name)}">{html.escape(o.title)}</h2>'
        + f"<p class=meta>Task <code>{html.escape(name)}</code>, {html.escape(_timing(o))}"
        + "".join(
            f', data: <a href="{html.escape(str(p.relative_to(out)))}">{html.escape(p.name)}</a>'
            for p in o.data_files
        )
        + "</p>"
        + rows_html
        + "".join(_img(p, o.caption) for p in o.figures if p.exists())
        + "".join(
            f"<p><b>{html.escape(title)}</b></p>" + _html_table(header, rows_, "data")
            for title, header, rows_ in o.tables
        )
        + "".join(f"<p>{html.escape(n)}</p>" for n in o.notes)
    )


def _html(out: Path, doc: _Document) -> str:
    """The self-contained ``report.html`` (figures embedded)."""
    rows = "".join(
        _html_row(
            f'<td><a href="#{_anchor(name)}">{html.escape(c.prediction)}</a></td>',
            c,
            (c.source, c.theory, c.measured, c.test_text, c.p_text),
            command=True,
        )
        for name, c in doc.checks
    )
    sections = "".join(_html_section(out, name, o, doc.rows_of(name)) for name, o in doc.outputs.items())
    pending_html = (
        f"<p>Not finished in this run: {html.escape(', '.join(doc.pending))}.</p>" if doc.pending else ""
    )
    if doc.missing:
        items = "".join(
            f"<li><code>{html.escape(name)}</code>: {html.escape(why)}</li>"
            for name, why in doc.missing.items()
        )
        pending_html += f"<p>{html.escape(_MISSING_HEAD)}</p><ul>{items}</ul>"
    findings = "".join(f"<li>{html.escape(f)}</li>" for f in doc.findings)
    contents = "".join(
        f'<li><a href="#{a}">{html.escape(title)}</a>' + (f" ({html.escape(n)})" if n else "") + "</li>"
        for a, title, n in _contents(doc)
    )
    glossary = "".join(f"<dt>{html.escape(t)}</dt><dd>{html.escape(x)}</dd>" for t, x in GLOSSARY)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>GenEFT report</title><style>
{_STYLE}
</style></head><body>
<h1>GenEFT: theory versus experiment</h1>
<h2 id="summary">Summary</h2><p>{html.escape(doc.summary).replace("`", "")}</p>
<p>Findings:</p><ul>{findings}</ul>
<p class=meta>{html.escape(_provenance_text(doc.provenance))}</p>
<h2 id="contents">Contents</h2><ul>{contents}</ul>{pending_html}
{sections}
<h2 id="{_ALL_ROWS}">All rows in one table</h2>
<table><tr>{"".join(f"<th>{h}</th>" for h in _HEAD)}</tr>{rows}</table>
<h2 id="{_GLOSSARY}">Glossary of the statistical terms</h2><dl>{glossary}</dl>
</body></html>"""
