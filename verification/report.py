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
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

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

_STYLE = (
    "body{font-family:sans-serif;max-width:1150px;margin:auto;padding:0 1em} "
    "table{border-collapse:collapse}\n"
    "td,th{border:1px solid #ccc;padding:4px;font-size:13px;vertical-align:top} th{background:#eee}\n"
    ".holds{background:#cfc} .fails{background:#fcc} .inconclusive{background:#ffc} img{max-width:100%}\n"
    "figcaption{font-size:13px;color:#333} .meta{color:#555;font-size:13px} a{color:#124}"
)


def write_report(out: Path, outputs: dict[str, TaskOutput], *, scale: str, pending: list[str]) -> None:
    """Write ``report.md``, a self-contained ``report.html`` and ``report.json`` for the finished tasks.

    The table has one row per prediction, each linked to the section of its task; each section
    shows the task's figures with captions, its tables (Table II), links to its data files, its
    notes and how long it took.  ``report.json`` holds the same rows as data (:func:`report_rows`),
    for the tables generated from a report (``docs/gen_results.py``).
    """
    names = [name for name, o in outputs.items() for _ in o.checks]
    checks = list(zip(names, adjust([c for o in outputs.values() for c in o.checks])))
    summary = _summary(outputs, checks, scale)
    (out / "report.md").write_text("\n".join(_markdown(out, outputs, checks, summary, pending)) + "\n")
    (out / "report.html").write_text(_html(out, outputs, checks, summary, pending))
    record = {"scale": scale, "pending": list(pending), "rows": report_rows(checks)}
    (out / "report.json").write_text(json.dumps(record, indent=1, allow_nan=False) + "\n")


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


def _markdown(out: Path, outputs: dict[str, TaskOutput], checks, summary: str, pending) -> list[str]:
    """The lines of ``report.md``."""
    md = ["# GenEFT: theory versus experiment", "", summary, ""]
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
            for name, c in checks
        ],
    )
    if pending:
        md += ["", f"Not finished in this run: {', '.join(pending)}."]
    for name, o in outputs.items():
        md += ["", f'<a id="{_anchor(name)}"></a>', "", f"## {o.title}", "", f"Task `{name}`, {_timing(o)}."]
        if o.caption:
            md += ["", o.caption]
        for title, header, rows in o.tables:
            md += ["", f"**{title}**", "", *_md_table(header, rows)]
        md += [""] if o.notes or o.figures or o.data_files else []
        md += [f"- {note}" for note in o.notes]
        md += [f"![{o.caption or p.name}]({p.relative_to(out)})" for p in o.figures]
        md += [f"- data: [{p.name}]({p.relative_to(out)})" for p in o.data_files]
    return md


def _img(p: Path, caption: str) -> str:
    """A PNG embedded in the page, with its caption."""
    b64 = base64.b64encode(p.read_bytes()).decode()
    text = html.escape(caption) + (" " if caption else "") + f"(<code>{html.escape(p.name)}</code>)"
    return (
        f'<figure><img alt="{html.escape(caption or p.name)}" src="data:image/png;base64,{b64}"/>'
        f"<figcaption>{text}</figcaption></figure>"
    )


def _html_section(out: Path, name: str, o: TaskOutput) -> str:
    """One task's section of ``report.html``."""
    return (
        f'<h2 id="{_anchor(name)}">{html.escape(o.title)}</h2>'
        + f"<p class=meta>Task <code>{html.escape(name)}</code>, {html.escape(_timing(o))}"
        + "".join(
            f', data: <a href="{html.escape(str(p.relative_to(out)))}">{html.escape(p.name)}</a>'
            for p in o.data_files
        )
        + "</p>"
        + "".join(
            f"<p><b>{html.escape(title)}</b></p>" + _html_table(header, rows_, "data")
            for title, header, rows_ in o.tables
        )
        + "".join(_img(p, o.caption) for p in o.figures if p.exists())
        + "".join(f"<p>{html.escape(n)}</p>" for n in o.notes)
    )


def _html(out: Path, outputs: dict[str, TaskOutput], checks, summary: str, pending) -> str:
    """The self-contained ``report.html`` (figures embedded)."""
    rows = "".join(
        "<tr>"
        + f'<td><a href="#{_anchor(name)}">{html.escape(c.prediction)}</a></td>'
        + "".join(
            f"<td>{html.escape(str(x))}</td>" for x in (c.source, c.theory, c.measured, c.test_text, c.p_text)
        )
        + f'<td class="{c.verdict}">{c.verdict}</td><td><code>{html.escape(c.command)}</code></td></tr>'
        for name, c in checks
    )
    sections = "".join(_html_section(out, name, o) for name, o in outputs.items())
    pending_html = f"<p>Not finished in this run: {html.escape(', '.join(pending))}.</p>" if pending else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>GenEFT report</title><style>
{_STYLE}
</style></head><body>
<h1>GenEFT: theory versus experiment</h1><p>{html.escape(summary).replace("`", "")}</p>
<table><tr>{"".join(f"<th>{h}</th>" for h in _HEAD)}</tr>{rows}</table>{pending_html}{sections}
</body></html>"""
