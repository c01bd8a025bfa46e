"""Write the verdict tables into docs/results.md and their counts into README.md.

The quick tier's come from one report of ``geneft reproduce --quick`` (its ``report.json``), kept
in the repository as ``docs/img/report-quick.json`` with the commit, date and machine that
produced it (``docs/img/report-quick.provenance``); the full tier's from the report that
``geneft reproduce --full --archive-only`` makes from the archive without training
(``docs/img/report-full-archive.json`` and ``.provenance``).  Run from the repository root after
a new run::

    geneft reproduce --quick --out geneft-results
    cp geneft-results/report.json docs/img/report-quick.json   # and update the provenance line
    geneft reproduce --full --archive-only --out full-archive   # exits 1 while tiers are missing
    cp full-archive/report.json docs/img/report-full-archive.json   # and its provenance line
    python docs/gen_results.py

``tests/test_docs.py`` fails when the page or the README differ from what this script writes.
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "img" / "report-quick.json"
PROVENANCE = ROOT / "docs" / "img" / "report-quick.provenance"
BEGIN, END = "<!-- quick-report:begin -->", "<!-- quick-report:end -->"
SUMMARY_BEGIN, SUMMARY_END = "<!-- quick-summary:begin -->", "<!-- quick-summary:end -->"
FULL_REPORT = ROOT / "docs" / "img" / "report-full-archive.json"
FULL_PROVENANCE = ROOT / "docs" / "img" / "report-full-archive.provenance"
FULL_BEGIN, FULL_END = "<!-- full-archive-report:begin -->", "<!-- full-archive-report:end -->"
FULL_SUMMARY_BEGIN = "<!-- full-archive-summary:begin -->"
FULL_SUMMARY_END = "<!-- full-archive-summary:end -->"

#: how the counts name each kind of evidence (the report's own words)
EVIDENCE = {
    "experiment": "trained networks",
    "computation": "the paper's approximations against exact computation",
    "derivation": "derivation identities checked by Monte Carlo",
}


def counts(rows) -> str:
    """``"13 holds, 12 fails, 18 inconclusive"`` of ``rows``."""
    verdicts = ("holds", "fails", "inconclusive")
    return ", ".join(f"{sum(r['verdict'] == v for r in rows)} {v}" for v in verdicts)


def summary(report: dict, provenance: pathlib.Path = PROVENANCE) -> str:
    """One paragraph: the verdict counts, all and by kind of evidence, and where they come from;
    for a report with tasks not rebuilt (``--archive-only``), which tasks its rows cover and which
    are missing."""
    rows = report["rows"]
    stat = sum(r["statistical"] for r in rows)
    kinds = "; ".join(
        f"{words}: {counts([r for r in rows if r['evidence'] == kind])}" for kind, words in EVIDENCE.items()
    )
    text = f"Verdicts: {counts(rows)} ({len(rows)} rows, {stat} of them statistical; {kinds}).  "
    missing = sorted(report.get("missing") or {})
    if missing:
        tasks = list(dict.fromkeys(r["task"] for r in rows))
        text += (
            f"The rows of {len(tasks)} tasks ({', '.join(tasks)}), Holm-adjusted among themselves; "
            f"not in the archive yet, so absent: {', '.join(missing)}.  "
        )
    return text + provenance.read_text().strip()


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(report: dict) -> str:
    """The quick report's rows as a Markdown table (the report's columns but the command)."""
    head = ["claim", "prediction", "source", "theory", "measured", "test (margin)", "p raw / Holm", "verdict"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in report["rows"]:
        cells = [
            f"`{r['claim_id']}`",
            r["prediction"],
            r["source"],
            r["theory"],
            r["measured"],
            r["test"],
            r["p"],
            f"**{r['verdict']}**",
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _replace(text: str, begin: str, end: str, body: str) -> str:
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"markers {begin} ... {end} not found")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text)


def rendered() -> dict[pathlib.Path, str]:
    """The text docs/results.md and README.md should have."""
    quick = json.loads(REPORT.read_text())
    full = json.loads(FULL_REPORT.read_text())
    full_summary = summary(full, FULL_PROVENANCE)
    results, readme = ROOT / "docs" / "results.md", ROOT / "README.md"
    text = _replace(results.read_text(), BEGIN, END, summary(quick) + "\n\n" + table(quick))
    text = _replace(text, FULL_BEGIN, FULL_END, full_summary + "\n\n" + table(full))
    readme_text = _replace(readme.read_text(), SUMMARY_BEGIN, SUMMARY_END, summary(quick))
    return {
        results: text,
        readme: _replace(readme_text, FULL_SUMMARY_BEGIN, FULL_SUMMARY_END, full_summary),
    }


def main() -> int:
    for path, text in rendered().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
