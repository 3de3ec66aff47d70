"""Are the quiz's numeric answers right? Finite differences through each node's ``expr``.

For every numeric family and level, generates ``--seeds`` problems (seeds 0..N-1) as
``gradrill quiz generate FAMILY --seed N --level L --json`` prints them (the same code: the
problem's ``to_dict()`` through JSON), and checks every node's ``grad`` against a central
finite difference of the output computed only from the JSON: each node's value is
recomputed from its ``expr`` (a Python expression over its children's names, using
``math``), the node under test nudged by ±h. This checker shares no code with the quiz.
It also runs the real CLI for a few seeds per family and level and checks that its output
is the same JSON.

Prints, per family and level: problems, nodes checked, disagreements, and the median time
per problem to generate and to check.

    python benchmarks/quiz.py [--seeds 1000] [--cli 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

H = 1e-6
TOL = 1e-4  # relative (to max(1, |grad|)): central differences are good to ~1e-8 here


def compile_nodes(nodes: list[dict]) -> list[tuple[str, object, float]]:
    return [(n["name"], compile(n["expr"], n["name"], "eval") if n["expr"] else None, n["data"]) for n in nodes]


def forward(program, output: str, pinned: str | None = None, value: float = 0.0) -> float:
    env: dict[str, object] = {"math": math, "max": max}
    for name, code, data in program:
        if name == pinned:
            env[name] = value
        elif code is None:
            env[name] = data
        else:
            env[name] = eval(code, {"__builtins__": {}}, env)  # noqa: S307 - the quiz's own expressions
    return env[output]


def check_problem(data: dict) -> list[str]:
    """Every node whose grad disagrees with the finite difference (empty when all agree)."""
    program = compile_nodes(data["nodes"])
    output = data["output"]
    values = {}
    env: dict[str, object] = {"math": math, "max": max}
    for name, code, d in program:
        env[name] = d if code is None else eval(code, {"__builtins__": {}}, env)  # noqa: S307
        values[name] = env[name]
    bad = []
    for n in data["nodes"]:
        if abs(values[n["name"]] - n["data"]) > 1e-9 * max(1.0, abs(n["data"])):
            bad.append(f"{n['name']}: data {n['data']} but expr gives {values[n['name']]}")
            continue
        v = values[n["name"]]
        up = forward(program, output, n["name"], v + H)
        down = forward(program, output, n["name"], v - H)
        fd = (up - down) / (2 * H)
        if abs(fd - n["grad"]) > TOL * max(1.0, abs(n["grad"])):
            bad.append(f"{n['name']}: grad {n['grad']} but finite difference {fd}")
    return bad


def numeric_levels():
    from gradrill.core.quiz.families import FAMILIES

    for fam in FAMILIES.values():
        if fam.kind == "numeric":
            for level in range(1, fam.max_level + 1):
                yield fam, level


def run(seeds: int, cli: int) -> dict:
    rows = []
    for fam, level in numeric_levels():
        gen_times, check_times, nodes, failures = [], [], 0, []
        for seed in range(seeds):
            t0 = time.perf_counter()
            data = json.loads(json.dumps(fam.generate(seed, level).to_dict()))
            t1 = time.perf_counter()
            bad = check_problem(data)
            t2 = time.perf_counter()
            gen_times.append(t1 - t0)
            check_times.append(t2 - t1)
            nodes += len(data["nodes"])
            failures += [f"seed {seed}: {b}" for b in bad]
        cli_same = 0
        for seed in range(cli):
            out = subprocess.run([sys.executable, "-m", "gradrill", "quiz", "generate", fam.name, "--seed", str(seed),
                                  "--level", str(level), "--json"], capture_output=True, text=True, timeout=60,
                                 env=dict(os.environ, PYTHONHASHSEED=str(seed)))
            if out.returncode == 0 and json.loads(out.stdout) == json.loads(json.dumps(fam.generate(seed, level).to_dict())):
                cli_same += 1
            else:
                failures.append(f"seed {seed}: the CLI's output differs (exit {out.returncode}) {out.stderr[-200:]}")
        rows.append({"family": fam.name, "level": level, "problems": seeds, "nodes": nodes,
                     "disagreements": len(failures), "examples": failures[:3],
                     "generate_ms": round(statistics.median(gen_times) * 1000, 3),
                     "check_ms": round(statistics.median(check_times) * 1000, 3),
                     "cli_runs_matching": f"{cli_same}/{cli}"})
    return {"seeds": seeds, "h": H, "tolerance": TOL, "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--cli", type=int, default=3, help="seeds per family and level also run through the CLI")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    report = run(args.seeds, args.cli)
    report["total_s"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"finite differences (h = {H}, tolerance {TOL} relative) through each node's expr, "
              f"{args.seeds} seeds per family and level")
        print(f"{'family':8} {'level':>5} {'problems':>8} {'nodes':>7} {'wrong':>6} {'gen ms':>7} {'check ms':>8}  cli")
        for r in report["rows"]:
            print(f"{r['family']:8} {r['level']:>5} {r['problems']:>8} {r['nodes']:>7} {r['disagreements']:>6} "
                  f"{r['generate_ms']:>7} {r['check_ms']:>8}  {r['cli_runs_matching']}")
            for e in r["examples"]:
                print("   ", e)
        total = sum(r["problems"] for r in report["rows"])
        print(f"{total} problems, {sum(r['nodes'] for r in report['rows'])} nodes, "
              f"{sum(r['disagreements'] for r in report['rows'])} disagreements, {report['total_s']} s in all")
    return 1 if any(r["disagreements"] for r in report["rows"]) else 0


if __name__ == "__main__":
    sys.exit(main())
