"""The challenges: one folder each (challenge.toml, prompt.md, starter.py, solution.py, checks.py, mutants/)."""
