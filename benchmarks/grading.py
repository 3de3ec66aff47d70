"""How fast does a learner get a verdict?

Measures, in one run and on the same challenge and file:

- warm:     ``WarmGrader.grade`` (the TUI's path: a worker that imported pytest once forks a
            fresh child per grading);
- cold:     ``gradrill check ID FILE`` as a new process (the CLI's path, start-up included);
- baseline: a plain ``python -m pytest`` run of the same hidden checks (a conftest.py
            provides the ``learner`` fixture), start-up included.

With ``--against PYTHON`` (another install's interpreter, e.g. a checkout of main with its
own venv), its warm worker and its ``gradrill check`` are timed too, as "warm (against)"
and "cold (against)": before/after numbers from one run, under the same load.

The variants take turns (one run of each, then the next round), so a change in the
machine's load hits them all alike. Prints medians (and quartiles) in ms and the ratios
against the baseline.

    python benchmarks/grading.py [--runs 30] [--challenge add-backward] [--against PYTHON] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFTEST = '''
import importlib.util, pytest

@pytest.fixture(scope="session")
def learner():
    spec = importlib.util.spec_from_file_location("learner", {path!r})
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
'''


def timed(fns: dict, runs: int) -> dict[str, list[float]]:
    """Time each function ``runs`` times, taking turns; one warm-up call each, not counted."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - t0) * 1000)
    return samples


class ProtocolWorker:
    """Another install's warm worker, spoken to in the worker protocol (its oldest form)."""

    def __init__(self, python: str, env: dict) -> None:
        self.proc = subprocess.Popen([python, "-m", "gradrill.core.grading.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                                     start_new_session=True)
        assert self.proc.stdout.readline(), "the other worker did not start"
        self.next_id = 0

    def grade(self, checks: str, learner: str, challenge: str, timeout: float) -> dict:
        self.next_id += 1
        request = {"checks": checks, "learner": learner, "challenge": challenge, "select": None,
                   "limits": {"timeout": timeout, "memory_mb": 1024, "output_bytes": 1 << 20}}
        self.proc.stdin.write(json.dumps({"id": self.next_id, "request": request}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["verdict"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(10)


def summary(samples: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples, n=4)
    return {"median_ms": round(statistics.median(samples), 1), "q1_ms": round(q[0], 1), "q3_ms": round(q[2], 1),
            "runs": len(samples)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--challenge", default="add-backward")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--against", metavar="PYTHON", help="also time this interpreter's gradrill (another install)")
    args = parser.parse_args()

    from gradrill.core import grading
    from gradrill.core.catalog import load_catalog

    challenge = load_catalog(strict=False).get(args.challenge)
    scratch = Path(tempfile.mkdtemp(prefix="gradrill-bench-"))
    env = dict(os.environ, GRADRILL_HOME=str(scratch / "home"))
    os.environ.update(GRADRILL_HOME=env["GRADRILL_HOME"])
    learner = scratch / "learner.py"
    learner.write_text(challenge.solution, encoding="utf-8")
    checks = len(grading.grade(challenge, learner).tests)

    plain = scratch / "plain"
    plain.mkdir()
    shutil.copy(challenge.checks_path, plain / "checks.py")
    (plain / "conftest.py").write_text(CONFTEST.format(path=str(learner)))

    def baseline() -> None:
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "checks.py"],
                                cwd=plain, capture_output=True, env=env)
        assert result.returncode == 0, result.stdout.decode()

    def cold() -> None:
        result = subprocess.run([sys.executable, "-m", "gradrill", "check", challenge.id, str(learner)],
                                capture_output=True, env=env)
        assert result.returncode == 0, result.stdout.decode()

    fns = {"baseline": baseline, "cold": cold}
    other = None
    if args.against:
        def cold_against() -> None:
            result = subprocess.run([args.against, "-m", "gradrill", "check", challenge.id, str(learner)],
                                    capture_output=True, env=env)
            assert result.returncode == 0, result.stdout.decode()

        other = ProtocolWorker(args.against, env)

        def warm_against() -> None:
            verdict = other.grade(str(challenge.checks_path), str(learner), challenge.id, challenge.timeout_seconds)
            assert verdict["status"] == "pass", verdict

        fns["cold (against)"] = cold_against
    with grading.WarmGrader() as warm_grader:
        warm_grader.start()

        def warm() -> None:
            assert warm_grader.grade(challenge, learner).passed

        fns["warm"] = warm
        if other is not None:
            fns["warm (against)"] = warm_against
        results = {name: summary(samples) for name, samples in timed(fns, args.runs).items()}
    if other is not None:
        other.close()
    shutil.rmtree(scratch, ignore_errors=True)

    base = results["baseline"]["median_ms"]
    for name in results:
        if name != "baseline":
            results[name]["ratio_to_baseline"] = round(results[name]["median_ms"] / base, 2)
    for name in ("warm", "cold"):
        if f"{name} (against)" in results:
            results[name]["ratio_to_against"] = round(results[name]["median_ms"] /
                                                      results[f"{name} (against)"]["median_ms"], 2)
    results["challenge"] = challenge.id
    results["checks"] = checks
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"challenge {challenge.id} ({results['checks']} checks), {args.runs} runs each, medians [q1 to q3]:")
    labels = {"baseline": "plain python -m pytest", "cold": "gradrill check (new process)",
              "cold (against)": "  the same, --against", "warm": "warm worker",
              "warm (against)": "  the same, --against"}
    for name, label in labels.items():
        if name not in results:
            continue
        r = results[name]
        ratio = f"  {r['ratio_to_baseline']:.2f}x baseline" if "ratio_to_baseline" in r else ""
        if "ratio_to_against" in r:
            ratio += f", {r['ratio_to_against']:.2f}x against"
        print(f"  {label:30} {r['median_ms']:7.1f} ms  [{r['q1_ms']:.1f} to {r['q3_ms']:.1f}]{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
