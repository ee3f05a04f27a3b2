"""LKE framework data files: parse and validate them into frozen dataclasses.

A framework (e.g. ``evaluations/frameworks/lke-2021.json``) is the single source of truth for
one version of the LKE worksheet: its tree, weights, questions, answer values, scoring items and
predicate thresholds. Nothing of it is hard-coded in Python. Pure Python, no Django.

Data format ``zi-lke-framework/1`` (JSON object; every weight/value is a decimal *string*,
e.g. ``"0.5"``, so no binary float ever enters the arithmetic):

- header: ``format``, ``slug``, ``title``, ``regulation``, ``evaluation_year_note``,
  ``version``, ``source``, optional ``notes`` (list of str), ``total_weight``.
- ``excel``: ``{"sheet": "Jawaban", "columns": {"unit_answer": "K", "unit_note": "L",
  "unit_evidence": "M", "tpi_answer": "N", "tpi_note": "Q"}}``; a question adds its
  ``excel_row``.
- ``scoring``: ``{"unanswered_item_value": "0"}``.
- ``rules``: ``[{"code", "basis": "confirmed" | "project", "note"}]``: the arithmetic rules in
  words, so a user can see which ones the regulation states and which the project decided.
- ``areas``: ``[{"code": "MP", "pokja": 1, "name", "weight": "8"}]`` (weight = all parts).
- ``components``: ``[{"code", "numbering", "name", "weight", "parts": [part]}]``; a part is
  ``{"code", "numbering", "name", "weight"}`` plus EITHER ``"areas": [{"area": "MP",
  "weight": "4", "sub_areas": [sub-area]}]`` OR ``"items": [hasil item]``.
- sub-area: ``{"code": "MP.P.i", "numbering", "name", "weight"}`` plus EITHER ``"children":
  [sub-area]`` (their weights add up to the parent's) OR ``"questions": [question]`` with
  optional ``"items"``. Without ``items`` every choice/index question is one scored item.
  Explicit items: ``{"kind": "question", "question": 121}`` or ``{"kind": "ratio", "label",
  "numerator": {"add": [102], "subtract": [103]}, "denominator": {"add": [102]},
  "lever": 103, "if_denominator_zero": {"numerator_zero": "1", "numerator_nonzero": "0",
  "rule": "zero-denominator", "why"}}``. The ``lever`` is the numerator count an action plan
  moves (used to rank gains). A count used by no item must say ``"information_only": true``.
- question: ``{"number", "text", "kriteria", "type": "choice" | "count" | "index", "scheme"
  (the master's answer type name, e.g. "ABCD", "Jumlah", "0-4"), "excel_row"}`` plus, for
  choice, ``"options": [{"key", "label", "value"}]`` and, for index, ``"range": ["0", "4"]``
  (value = (index - min) / (max - min)).
- hasil item: ``{"code": "ipak", "name", "weight": "17.5", "question": question}``.
- ``predicates``: ``[{"code": "WBK", "name", "source", "requires_held"?, "criteria":
  [{"code", "label", "of": "total" | "component" | "part" | "hasil_item" | "each_area",
  "ref"?, "min"? | "min_percent"?}]}]``.

All node codes (components, parts, areas, sub-areas, hasil items) share one namespace and must
be unique; question numbers and excel rows are unique.

The package: ``nodes`` (the spec's frozen dataclasses and the format's constants), ``fields``
(reading one typed field of a data node), ``parser`` (validating a whole framework dict into a
spec) and ``files`` (reading a framework file, the frameworks shipped with the app).
"""

# The package's names are those its modules list in their ``__all__``.
from evaluations.framework_spec import files, nodes, parser
from evaluations.framework_spec.files import *  # noqa: F403
from evaluations.framework_spec.nodes import *  # noqa: F403
from evaluations.framework_spec.parser import *  # noqa: F403

__all__ = [*files.__all__, *nodes.__all__, *parser.__all__]
