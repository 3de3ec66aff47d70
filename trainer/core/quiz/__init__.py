"""Chain-rule self-tests: generated problems, safe formula grading, asking and rating.

- ``graph``: a problem's expression graph (data, grad, the worked chain rule per node).
- ``families``: the generators, one family per card skill, seeded and reproducible.
- ``formulas``: formula cards, the safe parser (``ast`` against a whitelist, never ``eval``)
  and the equivalence check (floating point at random points, then sympy, imported lazily).
- ``session``: one problem being answered, graded node by node, and the rating it earns.

Nothing here imports sympy, Textual or rich at import time.
"""
