"""Speedrun mode: categories of splits that fire themselves (each split is a set of hidden
checks that passes), timed in real time with LiveSplit's comparisons.

- ``categories``: the categories, as data (``challenges/_speedrun/*.toml``);
- ``bundle``: one grading per save, the category's checks in split order;
- ``timing``: the run's clock (monotonic within a process, wall time across restarts);
- ``compare``: PB, golds, sum of best, best possible time, possible time save, colours;
- ``lss``: LiveSplit's ``.lss`` splits format;
- ``mode``: a run from start to finish or reset, over the store and the workspace.
"""
