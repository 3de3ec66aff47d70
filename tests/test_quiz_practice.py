"""Quiz practice memory: a graded problem is stored with its FSRS review in one transaction;
quiz cards join today's queue beside drills; stats show quiz accuracy per family."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from gradrill.core import practice, stats
from gradrill.core.quiz import families, plan, session
from gradrill.core.quiz.session import NumericRun, FormulaRun
from gradrill.core.store import SCHEMA_VERSION, Store
from gradrill.core.store.schema import MIGRATIONS

from tests.helpers import SETTINGS, T0


def answer(store, fake_clock, family="lecture", level=1, seed=1, wrong=(), seconds=30.0):
    """Answer one numeric problem (the nodes in ``wrong`` wrongly) and record it."""
    run = NumericRun(families.generate(family, seed, level))
    fake_clock.advance(seconds=seconds)
    while not run.finished:
        name = run.next
        run.answer(name, "12345" if name in wrong else repr(run.problem[name].grad))
    return run, store.record_quiz(run.outcome(), run.detail())


def keys(t) -> list[str]:
    return [i.key for i in t.items]


def test_a_graded_problem_is_stored_and_reviewed_in_one_go(store, fake_clock):
    run, saved = answer(store, fake_clock, wrong=("c",))
    assert saved.family == "lecture" and saved.asked == 7 and saved.right == 6 and saved.wrong == 1
    assert saved.rating == session.AGAIN and saved.duration_s == 30
    assert saved.detail["nodes"][0] == {"name": "L", "given": "1.0", "right": True, "grad": 1.0, "revealed": False}
    card = store.card("quiz:lecture")
    assert card.kind == "quiz" and card.due.date() == (T0 + timedelta(days=1)).date()
    assert [r.rating for r in store.reviews("quiz:lecture")] == [session.AGAIN]
    assert store.quiz_last("lecture") == (1, session.AGAIN)


def test_no_review_for_a_problem_left_without_a_slip(store, fake_clock):
    run = NumericRun(families.generate("lecture", 2, 1))
    run.answer("L", "1")
    assert store.record_quiz(run.outcome(), run.detail()) is None
    assert store.quiz_answers() == [] and store.card("quiz:lecture") is None


def test_a_failed_write_leaves_nothing_half_done(store, fake_clock, monkeypatch):
    run, _ = answer(store, fake_clock)

    def boom(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "_mark_quiz_done", boom)
    run2 = NumericRun(families.generate("lecture", 3, 1))
    while not run2.finished:
        run2.answer(run2.next, repr(run2.problem[run2.next].grad))
    with pytest.raises(sqlite3.OperationalError):
        store.record_quiz(run2.outcome(), run2.detail())
    assert len(store.quiz_answers()) == 1 and len(store.reviews("quiz:lecture")) == 1


def test_a_formula_right_on_the_retry_is_hard(store, fake_clock):
    card = families.generate("local", 5, 1)
    run = FormulaRun(card)
    fake_clock.advance(seconds=10)
    run.answer("12345")
    run.answer(card.answer)
    saved = store.record_quiz(run.outcome(), run.detail())
    assert saved.kind == "formula" and saved.retried and saved.rating == session.HARD
    assert saved.detail["tries"][1]["right"] is True


def test_the_migration_adds_the_quiz_table_to_an_older_database(home, catalog, fake_clock):
    home.mkdir(parents=True, exist_ok=True)
    path = home / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in ";".join(MIGRATIONS[:2]).split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA application_id = 1735550066")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    s = Store(path, catalog=catalog)
    assert s.schema_version == SCHEMA_VERSION >= 3 and s.quiz_answers() == []
    s.close()


# -- today's queue -----------------------------------------------------------------------------


def test_no_quiz_in_the_queue_before_the_learner_tries_one(store, catalog):
    t = practice.today(store, catalog, settings=SETTINGS)
    assert not any(i.quiz_family for i in t.items)


def test_due_quiz_cards_and_one_new_family_a_day_join_the_queue(store, catalog, fake_clock):
    answer(store, fake_clock, "reuse", 1, wrong=("a",))          # Again: due tomorrow
    t = practice.today(store, catalog, settings=SETTINGS)
    assert not any(i.quiz_family for i in t.items)               # met reuse today: no new family today
    fake_clock.advance(days=1)
    t = practice.today(store, catalog, settings=SETTINGS)
    quiz = [i for i in t.items if i.quiz_family]
    assert [(i.key, i.kind) for i in quiz] == [("quiz:reuse", "review"), ("quiz:lecture", "new")]
    assert quiz[0].title == "Quiz: Re-used nodes: gradients add"
    assert all(i.estimate_s > 0 for i in quiz) and t.to_dict()["items"][keys(t).index("quiz:reuse")]["quiz"] == "reuse"
    # quiz items come after the challenge reviews and before the new challenges
    kinds = [("quiz" if i.quiz_family else i.kind) for i in t.items]
    assert kinds == sorted(kinds, key=["review", "quiz", "new"].index)
    # answering a family marks its item done, wherever it was answered
    answer(store, fake_clock, "reuse", 1, seed=9)
    t = practice.today(store, catalog, settings=SETTINGS)
    item = next(i for i in t.items if i.key == "quiz:reuse")
    assert item.done and item.result == "pass"
    answer(store, fake_clock, "lecture", 1, seed=9, wrong=("d",))
    item = next(i for i in practice.today(store, catalog, settings=SETTINGS).items if i.key == "quiz:lecture")
    assert item.done and item.result == "fail"


def test_a_quiz_item_can_be_next(store, catalog, fake_clock):
    answer(store, fake_clock, "deep", 1, wrong=("L",))
    fake_clock.advance(days=1)
    t = practice.today(store, catalog, settings=SETTINGS, minutes=2)
    assert t.items[0].key == "quiz:deep" and t.next.key == "quiz:deep"


def test_pick_family_prefers_the_most_due(store, fake_clock):
    day = T0.date()
    assert plan.pick_family(store, day) == "lecture"
    answer(store, fake_clock, "lecture", 1, wrong=("L",))
    assert plan.pick_family(store, day) == "neuron"             # lecture is due tomorrow: the next new one
    assert plan.pick_family(store, day + timedelta(days=1)) == "lecture"


# -- stats ---------------------------------------------------------------------------------------


def test_stats_show_quiz_accuracy_per_family(store, catalog, fake_clock):
    answer(store, fake_clock, "lecture", 1, wrong=("c", "d"))
    answer(store, fake_clock, "lecture", 1, seed=2)
    s = stats.collect(store, catalog, settings=SETTINGS)
    rows = {q.family: q for q in s.quiz}
    assert list(rows) == list(families.FAMILIES)
    lecture = rows["lecture"]
    assert lecture.problems == 2 and lecture.asked == 14 and lecture.right == 12 and lecture.all_right == 1
    assert lecture.accuracy == pytest.approx(12 / 14) and rows["deep"].problems == 0
    assert s.totals["quiz_problems"] == 2
    data = s.to_dict()["quiz"][0]
    assert data["family"] == "lecture" and data["accuracy"] == round(12 / 14, 4) and data["next_level"] == 2


# -- export / import -------------------------------------------------------------------------------


def test_quiz_answers_travel_with_an_export(store, catalog, fake_clock, home):
    from gradrill.core.store import ImportFormatError

    answer(store, fake_clock, "lecture", 1, wrong=("c",))
    answer(store, fake_clock, "reuse", 2, seed=4)
    data = store.export_data()
    assert [a["family"] for a in data["quiz_answers"]] == ["lecture", "reuse"]
    other = Store(home / "other.sqlite3", catalog=catalog)
    report = other.import_data(data)
    assert report.quiz_answers == 2 and report.reviews == 2
    assert [(a.family, a.right, a.rating) for a in other.quiz_answers()] == \
        [(a.family, a.right, a.rating) for a in store.quiz_answers()]
    assert other.card("quiz:reuse").due == store.card("quiz:reuse").due
    assert [q.to_dict() for q in stats.quiz_stats(other)] == [q.to_dict() for q in stats.quiz_stats(store)]
    again = other.import_data(data)
    assert again.quiz_answers == 0 and again.nothing_new
    bad = dict(data, quiz_answers=[dict(data["quiz_answers"][0], rating=9, started_at="2026-01-01T00:00:00+00:00")])
    third = Store(home / "third.sqlite3", catalog=catalog)
    with pytest.raises(ImportFormatError, match="quiz_answers"):
        third.import_data(bad)
    assert third.reviews() == [] and third.quiz_answers() == []  # all or nothing
    other.close()
    third.close()
