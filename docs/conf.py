"""Sphinx configuration for the geneft docs (build: sphinx-build -W -b html docs docs/_build)."""

import os
import sys

from docutils import nodes

sys.path.insert(0, os.path.abspath(".."))

project = "geneft"
author = "geneft developers"
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_mock_imports = []
exclude_patterns = ["_build"]
html_theme = "alabaster"

# Every module docstring defines the paper as ``.. [1]`` (its References section) and the function
# and class docstrings of that module cite it as ``[1]_`` without repeating the References section.
# numpydoc renames the citations of each docstring that defines them to ``R<hash of its name>-1``,
# so a bare ``[1]_`` in a function would dangle.  This hook (run after numpydoc's) points it at the
# module's renamed citation; a reference that the module does not define is left alone and still
# warns.


def _cite_module_references(app, what, name, obj, options, lines):
    import hashlib
    import re
    import sys

    from numpydoc.numpydoc import HASH_LEN

    if what == "module":
        return
    text = "\n".join(lines)
    module_name = getattr(obj, "__module__", None)
    if module_name not in sys.modules:  # a property or attribute: its module is a prefix of its name
        module_name = name
        while module_name and module_name not in sys.modules:
            module_name = module_name.rpartition(".")[0]
    module = sys.modules.get(module_name)
    module_doc = getattr(module, "__doc__", None) or ""
    prefix = "R" + hashlib.sha256(module_name.encode("utf8")).hexdigest()[:HASH_LEN]

    def defines(label, doc):
        return re.search(rf"^\s*\.\. \[{re.escape(label)}\]", doc, re.MULTILINE) is not None

    def repl(match):
        label = match.group(1)
        if defines(label, text):
            return match.group(0)  # the docstring defines it (numpydoc renamed it already)
        if defines(label, module_doc):
            return f"[{prefix}-{label}]_"
        return match.group(0)

    for i, line in enumerate(lines):
        lines[i] = re.sub(r"\[(\d+)\]_", repl, line)


def _relabel_module_citations(app, doctree):
    """Show ``[1]``, not numpydoc's mangled ``[R<hash>-1]`` (numpydoc's own relabelling misses MyST pages)."""
    import re

    from sphinx.addnodes import pending_xref

    mangled = re.compile(r"^\[?R[0-9a-f]+-(\w+)\]?$")
    for node in doctree.findall(pending_xref):
        if node.get("refdomain") != "citation" or not node.children:
            continue
        match = mangled.match(node.astext())
        if match:
            node.children = [nodes.inline("", f"[{match.group(1)}]")]
    for label in doctree.findall(nodes.label):
        match = mangled.match(label.astext())
        if match and isinstance(label.parent, nodes.citation):
            label.children = [nodes.Text(match.group(1))]


def setup(app):
    from sphinx.transforms import SphinxTransform

    class DocstringSectionNames(SphinxTransform):
        """Docstring headings (the "References" of a module docstring) are not cross-reference labels.

        MyST marks every section name explicit, so the "References" section of each module
        docstring would become a global label and clash across the API pages.  Sections that come
        from a docstring keep their ids, but their names become implicit, as in a reST page.
        """

        # before SphinxDomains (850), which registers the explicit names as labels
        default_priority = 840

        def apply(self):
            for section in self.document.findall(nodes.section):
                if "docstring of" not in (section.source or ""):
                    continue
                for name in section["names"]:
                    if self.document.nametypes.get(name):
                        self.document.nametypes[name] = False

    app.connect("autodoc-process-docstring", _cite_module_references, priority=600)
    app.connect("doctree-read", _relabel_module_citations)
    app.add_transform(DocstringSectionNames)
