"""docs/relations.md: every number it quotes is the one the code computes or uses."""

from pathlib import Path

import networkx as nx

import effective_theory as et
from effective_theory.statics.relation_catalogue import CATALOGUE, read_wordnet_piece
from verification.figures.relation_study import MAX_FRACTION, StudySettings

DOC = (Path(__file__).resolve().parents[1] / "docs" / "relations.md").read_text(encoding="utf-8")
WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def test_the_karate_numbers_are_computed():
    st = et.relation_statics("karate")
    G = nx.karate_club_graph()
    assert f"({G.number_of_nodes()} members, {G.number_of_edges()} friendships)" in DOC
    assert f"st.n, st.pairs, st.aut  # {st.n}, {st.pairs} (each friendship both ways), '{st.aut}'" in DOC
    assert f"b = log2(34!/{st.aut}) = {st.bits:.2f} bits" in DOC
    assert f"st.p_c  # Eq. (4): {st.p_c:.4f} of the 34^2 pairs" in DOC
    assert f"# {st.p_star:.4f} related; Eq. (5)'s bound reaches accuracy 0.9 at {st.p_ub:.4f}" in DOC
    key = et.config_relation("effective_theory/data/karate.edgelist") == et.config_relation("karate")
    assert f'et.config_relation("karate")  # {key}' in DOC


def test_the_wordnet_and_catalogue_facts_are_the_code_s():
    wn = et.relation_statics("wordnet-cheese")
    assert f"right for {100 * (1 - wn.p_star):.1f} % of the WordNet piece's pairs" in DOC
    assert f"on the {len(read_wordnet_piece()['synsets'])} synsets below *cheese*" in DOC
    mods = sorted(int(k[3:]) for k, e in CATALOGUE.items() if k.startswith("mod") and e.family != "paper")
    assert f"`mod<k>` for `k = {', '.join(map(str, mods))}`" in DOC
    for name in ("classes-5-10-15", "classes-2-4-8-16", "bipartite-10-20", "bipartite-5-25", "grid-5x6"):
        assert name in CATALOGUE
    assert f"at least {et.MIN_RELATION_N} elements, at most {et.MAX_RELATION_N}" in DOC


def test_the_study_defaults_are_the_code_s():
    s = StudySettings()
    assert "3000 steps" in DOC and s.steps == 3000
    assert f"starting from {WORDS[s.initial_points]} fractions spread over `[4/n^2, {MAX_FRACTION:g}]`" in DOC
    assert f"{WORDS[s.seeds]} seeds each, until the interval is narrower than {s.precision:g} decades" in DOC
    assert f"{WORDS[s.max_rounds]} rounds or {s.max_runs} runs" in DOC


def test_the_universality_studies_are_the_registry_s():
    from verification.figures import universality_statics as us
    from verification.figures.registry import FIGURES
    from verification.verdicts import MARGINS

    for key, module in (
        ("univ-statics", us.__name__),
        ("univ-dynamics", "verification.figures.universality_dynamics"),
    ):
        fig = FIGURES[key]
        assert fig.module == module
        assert f"geneft figure {fig.number} --quick --out results/" in DOC
        assert f"`{module.replace('.', '/')}.py`" in DOC
    assert "geneft figure u1 --full --out results/" in DOC
    assert "within a factor 1.5" in DOC and round(10**us.SCATTER_MAX, 12) == 1.5
    assert "within half a decade" in DOC and MARGINS["same_ratio"] == 0.5
