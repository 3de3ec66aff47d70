"""Training checks and the garbage collector (``gradrill.checks.nn``): in a grading, a training
run's garbage (micrograd's graphs are reference cycles) is left for the end of the process while
the process stays within a budget, and collected past it; anywhere else it is collected at once.
And the learner's ``Value`` numbered by ``gradrill.checks.order`` gets the same numbers whichever
of its two hash functions it is given."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import textwrap

from gradrill.core import grading
from gradrill.core.catalog import load_catalog

POLICY = textwrap.dedent("""\
    import gc, weakref
    from gradrill.checks import nn

    class Node:
        pass

    def run(step):
        frozen = gc.get_freeze_count()
        with nn.gc_paused():
            node = Node()
            node.me = node  # a cycle, as a Value and its _backward closure make
            ref = weakref.ref(node)
            del node
            step()
        return "left" if ref() is not None else "collected", gc.get_freeze_count() > frozen, gc.isenabled()

    print("outside a grading", *run(lambda: None))
    nn.leave_garbage(1 << 40)
    print("within the budget", *run(lambda: None))
    print("a collection point within it", *run(nn.tidy))
    nn.leave_garbage(0)
    print("past the budget", *run(lambda: None))
""")


def test_garbage_is_left_within_the_budget_and_collected_past_it():
    done = subprocess.run([sys.executable, "-c", POLICY], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "outside a grading collected False True",
        "within the budget left True True",  # frozen: never scanned again, freed with the process
        "a collection point within it left True True",
        "past the budget collected False True",
    ]


def test_a_grading_leaves_training_garbage_to_the_end_of_the_process(tmp_path):
    """The grader sets the budget in its grading process: a check's training garbage stays there."""
    challenge = load_catalog(strict=False).get("add-backward")
    folder = tmp_path / "catalog" / challenge.id
    shutil.copytree(challenge.folder, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "checks.py").write_text(textwrap.dedent("""\
        import weakref

        from gradrill.checks.nn import gc_paused


        class Node:
            pass


        def test_the_garbage_stays(learner):
            with gc_paused():
                node = Node()
                node.me = node
                ref = weakref.ref(node)
                del node
            assert ref() is not None
    """))
    path = tmp_path / challenge.file_name
    path.write_text(challenge.solution)
    verdict = grading.grade(dataclasses.replace(challenge, folder=folder), path)
    assert verdict.passed, verdict.to_dict()


NUMBERING = textwrap.dedent("""\
    from gradrill.checks import order

    class Plain:
        pass

    class Own:
        def __getattr__(self, name):  # the learner's own attribute access: numbered through __dict__
            raise AttributeError(name)

    for cls in (Plain, Own):
        learner = type("learner", (), {"Value": cls})
        order.settle(learner)
        a, b, c = cls(), cls(), cls()
        first = [hash(c), hash(a), hash(c)]
        with order.reversed_children():
            d = cls()
            mirrored = [hash(d), hash(cls())]
        print(cls.__hash__.__name__, first, mirrored, hash(b))
""")


def test_both_hash_functions_number_values_alike():
    done = subprocess.run([sys.executable, "-c", NUMBERING], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["_plain_hash [1, 2, 1] [-2, -3] 3", "_hash [1, 2, 1] [-2, -3] 3"]
