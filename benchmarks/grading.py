"""How fast does a learner get a verdict?

Measures, in one run and on the same challenge and file:

- warm:     ``WarmGrader.grade`` (the TUI's path: a worker that imported pytest once forks a
            fresh child per grading);
- cold:     ``gradrill check ID FILE`` as a new process (the CLI's path, start-up included);
- baseline: a plain ``python -m pytest`` run of the same hidden checks (a conftest.py
            provides the ``learner`` fixture), start-up included.

Prints medians (and quartiles) in ms and the ratios against the baseline.

    python benchmarks/grading.py [--runs 30] [--challenge add-backward] [--json]
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


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up, not counted
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples, n=4)
    return {"median_ms": round(statistics.median(samples), 1), "q1_ms": round(q[0], 1), "q3_ms": round(q[2], 1),
            "runs": len(samples)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--challenge", default="add-backward")
    parser.add_argument("--json", action="store_true")
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

    with grading.WarmGrader() as warm_grader:
        warm_grader.start()

        def warm() -> None:
            assert warm_grader.grade(challenge, learner).passed

        results = {"baseline": summary(timed(baseline, args.runs)), "cold": summary(timed(cold, args.runs)),
                   "warm": summary(timed(warm, args.runs))}
    shutil.rmtree(scratch, ignore_errors=True)

    base = results["baseline"]["median_ms"]
    for name in ("warm", "cold"):
        results[name]["ratio_to_baseline"] = round(results[name]["median_ms"] / base, 2)
    results["challenge"] = challenge.id
    results["checks"] = checks
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"challenge {challenge.id} ({results['checks']} checks), {args.runs} runs each, medians [q1 to q3]:")
    for name, label in (("baseline", "plain python -m pytest"), ("cold", "gradrill check (new process)"),
                        ("warm", "warm worker")):
        r = results[name]
        ratio = f"  {r['ratio_to_baseline']:.2f}x baseline" if "ratio_to_baseline" in r else ""
        print(f"  {label:30} {r['median_ms']:7.1f} ms  [{r['q1_ms']:.1f} to {r['q3_ms']:.1f}]{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
