"""Figures 3, 5, 7 and 8 on any relation: settings read every form of a relation, the Table I
names keep the settings and claims they had, and each figure's rows are the claims it lists."""

import numpy as np
import pytest

from effective_theory.statics.relation_input import relation_content_key, relation_matrix
from verification.cli import _read_relations, main
from verification.figures.figure3 import Figure3Settings, claims, evaluate, figure3_data, panel_n
from verification.figures.figure5 import Figure5Settings
from verification.figures.figure5 import claims as claims5
from verification.figures.figure7 import Figure7Settings, goldilocks_data
from verification.figures.figure8 import Figure8Settings
from verification.figures.figure8 import claims as claims8
from verification.figures.phase_diagram import PhasePlane
from verification.figures.registry import FIGURES

#: an equivalence with classes {0, 1}, {2, 3, 4}, {5}: a class of Table I, so it has exact bounds
EQ6 = np.array([[a == b for b in (0, 0, 1, 1, 1, 2)] for a in (0, 0, 1, 1, 1, 2)])


def test_table_names_keep_their_settings_and_claims():
    s = Figure3Settings()
    assert s.relations == ("mod3", "greater")
    ids = [c.id for c in claims({"relations": ["mod3"], "n": 30})]
    assert ids == [
        "fig3.bias-advantage.mod3",
        "fig3.below-exact-bound.mod3",
        "fig3.below-eq5.mod3",
        "fig3.rise-near-b.mod3",
    ]
    assert Figure5Settings().relations == ("mod3", "greater", "bipartite")
    assert [c.id for c in claims8({"relations": ["mod3"]})] == ["fig8.slope.mod3"]
    # the registry's tiers hold no relation of Figure 7: its cache keys do not change
    assert "relation" not in FIGURES["fig7"].settings("quick")
    assert FIGURES["fig7"].settings("quick", relation="karate")["relation"] == "karate"


def test_settings_read_every_form_of_a_relation(tmp_path):
    path = tmp_path / "eq6.txt"
    path.write_text("\n".join(" ".join(str(int(x)) for x in row) for row in EQ6) + "\n")
    key = relation_content_key(EQ6)
    s = Figure3Settings(relations=["karate", str(path), EQ6[::-1, ::-1]])
    assert s.relations[:2] == ("karate", "eq6=" + key)
    assert s.relations[2].startswith("matrix:6:")
    assert [panel_n(r, s.n) for r in s.relations] == [34, 6, 6]
    ids = [c.id for c in claims({"relations": list(s.relations), "n": 30})]
    assert "fig3.below-exact-bound.eq6" in ids and "fig3.below-eq5.karate" in ids
    assert "fig3.below-exact-bound.karate" not in ids and not any("bias-advantage" in i for i in ids)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Figure3Settings(relations=["karate", "karate"]), "distinct names"),
        (lambda: Figure3Settings(relations=[np.zeros((4, 4))]), "relations is empty"),
        (lambda: Figure3Settings(relations=["no-such"]), "relations: 'no-such' is no relation"),
        (lambda: Figure5Settings(relations=["divides"], n=2), "at least 3"),
        (lambda: Figure8Settings(relations=["mod3", "mod 3"]), "distinct names"),
        (lambda: Figure7Settings(relation=np.ones((5, 5))), "relation relates every pair"),
    ],
)
def test_bad_relations_are_refused_by_the_settings(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_figure3_rows_are_its_claims_on_a_relation_of_its_own():
    s = Figure3Settings(relations=[EQ6, "tree-parent"], fractions=[0.3, 0.6], seeds=2, steps=30, n=7)
    data = figure3_data(s)
    panels = data["relations"]
    assert [p["n"] for p in panels] == [6, 7]
    assert panels[0]["exact_f_ub"] is not None and panels[1]["exact_f_ub"] is None
    rows = [words for words, _ in evaluate(data)]
    assert rows == [c.text for c in claims({"relations": list(s.relations), "n": 7})]


def test_phase_diagrams_train_a_relation_at_its_size():
    plane = PhasePlane(["karate"], "log_eta_enc", "eta_enc", [-3.0], [-2.0], seeds=1)
    (cfg,) = plane.configs("karate", -3.0, -2.0)
    assert cfg.n == 34 and cfg.relation == relation_content_key(relation_matrix("karate"))
    s = Figure5Settings(relations=[EQ6, "mod3"])
    label = [c.id for c in claims5({"relations": list(s.relations)})]
    assert label[0].startswith("fig5.slope.relation-") and "fig5.same-ratio" in label


def test_figure7_learns_another_relation():
    data = goldilocks_data(Figure7Settings(depths=[0, 1], seeds=2, steps=20, relation="florentine"))
    assert (data["relation"], data["n"]) == ("florentine", 15)
    assert len(data["test_acc"]) == 2


def test_cli_reads_files_into_content_keys(tmp_path, capsys):
    path = tmp_path / "club.edgelist"
    path.write_text("0 1\n1 2\n2 3\n3 0\n")
    overrides = {"relations": ["mod3", str(path)], "steps": 10}
    _read_relations(overrides)
    assert overrides["relations"][0] == "mod3"
    assert overrides["relations"][1] == "club=" + relation_content_key(relation_matrix(str(path)))
    empty = tmp_path / "loop.edgelist"
    empty.write_text("0 0\n")
    assert main(["figure", "3", "--relations", f"mod3,{empty}", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"geneft: error: --relations {empty} has n = 1 elements")
    assert main(["figure", "7", "--relation", "nothing", "--out", str(tmp_path)]) == 2
    assert "--relation: 'nothing' is no relation" in capsys.readouterr().err
