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

The seed-robustness table of docs/findings.md comes from ``docs/img/seed-robustness-full.json``,
which ``python docs/gen_results.py --seed-robustness`` remakes from the archive alone (every
full-tier result archived at both experiment seeds, its rows Holm-adjusted among themselves as
``verification/tests/test_seed_robustness.py`` compares them) before writing the pages.

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
SEED_ROBUSTNESS = ROOT / "docs" / "img" / "seed-robustness-full.json"
SEEDS_BEGIN, SEEDS_END = "<!-- seed-robustness:begin -->", "<!-- seed-robustness:end -->"
#: the experiment seeds whose full tiers are compared
SEEDS = (0, 1)

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


def seed_robustness_data(seeds=SEEDS) -> dict:
    """Every result that trains, at each of ``seeds``, rebuilt from the archive (training nothing).

    A result is compared when its full tier is archived at every seed; its rows are Holm-adjusted
    among themselves at each seed (``geneft reproduce --full --only KEY --seed S``), the family
    the seed-robustness test uses.  The others are listed under ``"missing"`` with the seed whose
    runs the archive lacks.
    """
    import tempfile
    import time

    from verification.archive.layer import DEFAULT_ARCHIVE, ArchiveLayer, MissingFromArchive
    from verification.figures.registry import FIGURES
    from verification.reproduce import evaluate_tier
    from verification.runtime.context import RunContext
    from verification.runtime.provenance import code_commit, host_info, utc_now
    from verification.runtime.result_cache import ResultCache

    start = time.perf_counter()
    results, missing = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        cache = ResultCache(pathlib.Path(tmp), layer=ArchiveLayer(DEFAULT_ARCHIVE, missing="error"))
        for key, fig in FIGURES.items():
            if not fig.trains:
                continue
            checks = {}
            for s in sorted(seeds, reverse=True):  # a later seed is the one more often missing
                try:
                    checks[s] = evaluate_tier("full", seed=s, run=RunContext(cache=cache), figures={key: fig})
                except MissingFromArchive:
                    missing[key] = s
                    break
            if key in missing:
                continue
            results[key] = [
                {
                    "claim_id": claim_id,
                    "seeds": {
                        str(s): {
                            "measured": checks[s][claim_id].measured,
                            "p": checks[s][claim_id].p_text,
                            "verdict": checks[s][claim_id].verdict,
                        }
                        for s in seeds
                    },
                }
                for claim_id in checks[seeds[0]]
            ]
    host = host_info()
    return {
        "seeds": list(seeds),
        "results": results,
        "missing": missing,
        "provenance": {
            "commit": code_commit(),
            "date": utc_now(),
            "host": host,
            "seconds": round(time.perf_counter() - start),
        },
    }


def flips(data: dict) -> list[str]:
    """The rows whose verdict is holds at one seed and fails at another."""
    return [
        row["claim_id"]
        for rows in data["results"].values()
        for row in rows
        if {"holds", "fails"} <= {v["verdict"] for v in row["seeds"].values()}
    ]


def seed_table(data: dict) -> str:
    """The seed-robustness comparison as a paragraph and a Markdown table."""
    seeds = data["seeds"]
    rows = [row for key in data["results"] for row in data["results"][key]]
    prov = data["provenance"]
    host = prov["host"]
    flipped = flips(data)
    moved = [
        row
        for row in rows
        if len({v["verdict"] for v in row["seeds"].values()}) > 1 and row["claim_id"] not in flipped
    ]
    if not rows:
        verdicts = "No result is archived at both seeds yet."
    elif flipped:
        verdicts = f"**{len(flipped)} row(s) flip between holds and fails**: {', '.join(flipped)}."
    elif moved:
        verdicts = (
            f"No row flips between holds and fails; {len(moved)} move between a decision and inconclusive."
        )
    else:
        verdicts = "No row flips between holds and fails; every row has the same verdict at both seeds."
    text = (
        f"The full tiers archived at experiment seeds {' and '.join(str(s) for s in seeds)} "
        f"({', '.join(f'`{k}`' for k in data['results']) or 'none yet'}): "
        f"{len(rows)} rows, each result's rows Holm-adjusted among themselves at each seed.  {verdicts}  "
    )
    if data["missing"]:
        text += (
            "Not compared yet (a seed whose full tier the archive lacks): "
            + ", ".join(f"`{k}` (seed {s})" for k, s in data["missing"].items())
            + ".  "
        )
    text += (
        f"Generated by `python docs/gen_results.py --seed-robustness` at commit {prov['commit'][:7]} "
        f"({prov['date'][:10]}) on a {host['cores']}-core {host['cpu']}, PyTorch {host['torch']}, "
        f"from the archive alone: {prov['seconds']} s."
    )
    head = ["claim"] + [h for s in seeds for h in (f"seed {s}: measured", "p raw / Holm", "verdict")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [f"`{row['claim_id']}`"]
        for s in seeds:
            v = row["seeds"][str(s)]
            cells += [v["measured"], v["p"], f"**{v['verdict']}**"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return text + "\n\n" + "\n".join(lines) if rows else text


def _replace(text: str, begin: str, end: str, body: str) -> str:
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"markers {begin} ... {end} not found")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text)


def rendered() -> dict[pathlib.Path, str]:
    """The text docs/findings.md (its seed-robustness table), docs/results.md and README.md should
    have."""
    quick = json.loads(REPORT.read_text())
    full = json.loads(FULL_REPORT.read_text())
    full_summary = summary(full, FULL_PROVENANCE)
    results, readme = ROOT / "docs" / "results.md", ROOT / "README.md"
    text = _replace(results.read_text(), BEGIN, END, summary(quick) + "\n\n" + table(quick))
    text = _replace(text, FULL_BEGIN, FULL_END, full_summary + "\n\n" + table(full))
    readme_text = _replace(readme.read_text(), SUMMARY_BEGIN, SUMMARY_END, summary(quick))
    findings = ROOT / "docs" / "findings.md"
    seeds = json.loads(SEED_ROBUSTNESS.read_text())
    return {
        findings: _replace(findings.read_text(), SEEDS_BEGIN, SEEDS_END, seed_table(seeds)),
        results: text,
        readme: _replace(readme_text, FULL_SUMMARY_BEGIN, FULL_SUMMARY_END, full_summary),
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in ([], ["--seed-robustness"]):
        print("usage: python docs/gen_results.py [--seed-robustness]", file=sys.stderr)
        return 2
    if argv:
        data = seed_robustness_data()
        SEED_ROBUSTNESS.write_text(json.dumps(data, indent=1) + "\n")
        print(f"wrote {SEED_ROBUSTNESS.relative_to(ROOT)}")
    for path, text in rendered().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
