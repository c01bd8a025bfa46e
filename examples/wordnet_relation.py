"""Rebuild the WordNet piece of the relation catalogue from Debian's ``wordnet-base``.

The catalogue's ``wordnet-cheese`` relation (``effective_theory.statics.relation_catalogue``) is
the transitive closure of WordNet's noun hypernym relation on the subtree below one synset: the
synsets whose chain of hypernym (``@``) pointers reaches the root.  This script reads
``/usr/share/wordnet/data.noun`` (WordNet 3.0), collects that subtree and writes the small JSON
file the package ships, ``effective_theory/data/wordnet_cheese.json``: the synsets (offset and
first lemma, the root first, then in order of offset) and the direct hypernym pointers between
them.  The catalogue closes them transitively.

Get the database with ``apt-get install wordnet-base`` (Debian/Ubuntu).

Run::

    python examples/wordnet_relation.py                 # rewrite the shipped file
    python examples/wordnet_relation.py --check         # exit 1 when the shipped file differs
    python examples/wordnet_relation.py --root 02120997 --out feline.json   # another subtree
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

DATA_NOUN = "/usr/share/wordnet/data.noun"
#: the synset 'cheese' (a solid food prepared from the pressed curd of milk)
ROOT = "07850329"
SHIPPED = Path(__file__).resolve().parents[1] / "effective_theory" / "data" / "wordnet_cheese.json"


def read_hypernyms(path=DATA_NOUN) -> tuple[dict, dict]:
    """Parse ``data.noun``: ``(lemmas, hypernyms)``, the first lemma of every synset and the list
    of direct hypernym (``@``) targets of every synset, by 8-digit offset.

    Each data line is ``offset lex_filenum ss_type w_cnt word lex_id ... p_cnt [ptr_symbol offset
    pos source/target] ... | gloss``; lines starting with a space are the licence header.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"WordNet noun database not found at {path}; install it with 'apt-get install wordnet-base'"
        )
    lemmas, hypernyms = {}, {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            fields = line.split(" | ", 1)[0].split()
            offset, w_cnt = fields[0], int(fields[3], 16)
            lemmas[offset] = fields[4]
            k = 4 + 2 * w_cnt
            pointers = fields[k + 1 : k + 1 + 4 * int(fields[k])]
            hypernyms[offset] = [
                pointers[j + 1]
                for j in range(0, len(pointers), 4)
                if pointers[j] == "@" and pointers[j + 2] == "n"
            ]
    return lemmas, hypernyms


def wordnet_piece(root=ROOT, path=DATA_NOUN) -> dict:
    """The subtree below ``root`` as the JSON object the catalogue reads
    (:func:`effective_theory.statics.relation_catalogue.read_wordnet_piece`)."""
    lemmas, hypernyms = read_hypernyms(path)
    if root not in lemmas:
        raise ValueError(f"no noun synset {root} in {path}")
    hyponyms: dict[str, list[str]] = {}
    for child, parents in hypernyms.items():
        for p in parents:
            hyponyms.setdefault(p, []).append(child)
    below, stack = {root}, [root]
    while stack:
        for child in hyponyms.get(stack.pop(), []):
            if child not in below:
                below.add(child)
                stack.append(child)
    order = [root] + sorted(below - {root})
    index = {s: i for i, s in enumerate(order)}
    pairs = sorted([index[s], index[p]] for s in order for p in hypernyms[s] if p in index)
    return {
        "source": "WordNet 3.0 noun database (data.noun of Debian's wordnet-base)",
        "relation": "direct hypernym pointers (@) inside the subtree; the catalogue closes them transitively",
        "root": root,
        "synsets": [{"offset": s, "lemma": lemmas[s]} for s in order],
        "hypernyms": pairs,
    }


def dumps(piece: dict) -> str:
    """The file's text: one synset and one pointer per line, so that a diff reads."""
    lines = ["{"]
    for key in ("source", "relation", "root"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(piece[key])},")
    synsets = ",\n".join(f"    {json.dumps(s, sort_keys=True)}" for s in piece["synsets"])
    pairs = ",\n".join(f"    {json.dumps(p)}" for p in piece["hypernyms"])
    lines += [f'  "synsets": [\n{synsets}\n  ],', f'  "hypernyms": [\n{pairs}\n  ]', "}"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=DATA_NOUN, help=f"path of data.noun (default {DATA_NOUN})")
    p.add_argument("--root", default=ROOT, help=f"offset of the subtree's root synset (default {ROOT})")
    p.add_argument("--out", default=str(SHIPPED), help="file to write (default: the shipped piece)")
    p.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = p.parse_args(argv)
    try:
        text = dumps(wordnet_piece(args.root, args.data))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        same = Path(args.out).is_file() and Path(args.out).read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs from ' + args.data}")
        return 0 if same else 1
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count('offset')} synsets)")
    return 0


if __name__ == "__main__":
    # any stdout encoding: a character it cannot encode is written as its escape
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main())
