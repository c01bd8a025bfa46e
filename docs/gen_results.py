"""Write the quick tier's verdict table into docs/results.md and its counts into README.md.

Both come from one report of ``geneft reproduce --quick`` (its ``report.json``), kept in the
repository as ``docs/img/report-quick.json`` with the commit, date and machine that produced it
(``docs/img/report-quick.provenance``).  Run from the repository root after a new quick run::

    geneft reproduce --quick --out geneft-results
    cp geneft-results/report.json docs/img/report-quick.json   # and update the provenance line
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


def summary(report: dict) -> str:
    """One paragraph: the verdict counts, all and by kind of evidence, and where they come from."""
    rows = report["rows"]
    stat = sum(r["statistical"] for r in rows)
    kinds = "; ".join(
        f"{words}: {counts([r for r in rows if r['evidence'] == kind])}" for kind, words in EVIDENCE.items()
    )
    return (
        f"Verdicts: {counts(rows)} ({len(rows)} rows, {stat} of them statistical; {kinds}).  "
        f"{PROVENANCE.read_text().strip()}"
    )


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
    report = json.loads(REPORT.read_text())
    results, readme = ROOT / "docs" / "results.md", ROOT / "README.md"
    return {
        results: _replace(results.read_text(), BEGIN, END, summary(report) + "\n\n" + table(report)),
        readme: _replace(readme.read_text(), SUMMARY_BEGIN, SUMMARY_END, summary(report)),
    }


def main() -> int:
    for path, text in rendered().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
