"""Export and import (docs/progress-format.md): a round trip reproduces the stats; merges
never duplicate; bad documents are refused whole."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from gradrill.core import practice, stats
from gradrill.core.store import EXPORT_FORMAT, EXPORT_VERSION, ImportFormatError, Store

from tests.helpers import SETTINGS, T0, Learner


def practise(store, catalog, learner, fake_clock, days=6, skip=(3,)):
    for n in range(days):
        fake_clock.set(T0 + timedelta(days=n))
        if n in skip:
            continue
        t = practice.today(store, catalog, settings=SETTINGS)
        for i, item in enumerate(t.items):
            kw = {"outcome": "give_up"} if (n + i) % 4 == 0 else {"seconds": 30 + 20 * i, "hints": n % 2}
            learner.drill(item.key, **kw)
    learner.store.start_attempt("mlp")  # left open


def snapshot(store, catalog) -> dict:
    data = stats.collect(store, catalog, settings=SETTINGS).to_dict()
    data["cards"] = {c.key: c.card.to_dict() | {"card_id": None} for c in store.cards()}
    data["queue"] = [(i.key, i.kind, i.done, i.result) for i in practice.today(store, catalog, settings=SETTINGS).items]
    return data


def test_export_then_import_into_an_empty_home_reproduces_the_stats(store, catalog, learner, fake_clock, tmp_path):
    practise(store, catalog, learner, fake_clock)
    before = snapshot(store, catalog)
    data = store.export_data()
    assert data["format"] == EXPORT_FORMAT and data["version"] == EXPORT_VERSION
    text = json.dumps(data)
    fresh = Store(tmp_path / "elsewhere" / "progress.sqlite3", catalog=catalog)
    report = fresh.import_data(json.loads(text))
    assert report.attempts == len(data["attempts"]) and report.reviews == len(data["reviews"])
    assert report.sessions == len(data["sessions"]) and report.duplicates == 0
    assert snapshot(fresh, catalog) == before
    assert [(a.challenge, a.status, a.duration_s, a.hints_used, a.code) for a in fresh.attempts()] == \
        [(a.challenge, a.status, a.duration_s, a.hints_used, a.code) for a in store.attempts()]
    assert fresh.open_attempt("mlp") is not None
    assert sum(len(fresh.runs(a.id)) for a in fresh.attempts()) == sum(len(a["runs"]) for a in data["attempts"])
    fresh.close()


def test_importing_twice_adds_nothing(store, catalog, learner, fake_clock, tmp_path):
    practise(store, catalog, learner, fake_clock, days=3, skip=())
    data = store.export_data()
    fresh = Store(tmp_path / "b.sqlite3", catalog=catalog)
    fresh.import_data(data)
    counts = (len(fresh.attempts()), len(fresh.reviews()), len(fresh.sessions()))
    again = fresh.import_data(data)
    assert again.nothing_new and again.duplicates == len(data["attempts"])
    assert (len(fresh.attempts()), len(fresh.reviews()), len(fresh.sessions())) == counts
    store.import_data(data)  # into the home it came from: nothing new either
    assert len(store.attempts()) == counts[0]
    fresh.close()


def test_merging_two_homes(store, catalog, learner, fake_clock, tmp_path):
    # home A: slope and value-forward on day 0
    learner.drill("slope", seconds=70)
    learner.drill("value-forward", outcome="give_up")
    # home B (another machine): slope again on day 2, partials, an open attempt at slope
    other = Store(tmp_path / "other.sqlite3", catalog=catalog)
    lb = Learner(other, fake_clock)
    fake_clock.set(T0 + timedelta(days=2))
    lb.drill("slope", seconds=40)
    lb.drill("partials", seconds=100)
    other.start_attempt("value-forward")
    fake_clock.advance(minutes=1)
    store.start_attempt("value-forward")  # open here too
    report = store.import_data(other.export_data())
    assert report.attempts == 3 and report.reopened_as_abandoned == 1 and report.duplicates == 0
    assert [r.rating_name for r in store.reviews("slope")] == ["good", "easy"]
    # the slope card is recomputed over both homes' reviews, in time order
    from gradrill.core import scheduling

    card = store.card("slope")
    expected, _ = scheduling.replay(card.id, card.created_at, [
        scheduling.PastReview(r.rating, r.reviewed_at, r.duration_ms) for r in store.reviews("slope")])
    assert card.card.to_dict() == expected.to_dict()
    assert len([a for a in store.attempts("value-forward") if a.is_open]) == 1
    other.close()


def test_an_export_without_reviews_is_reviewed_on_import(store, catalog, learner, tmp_path):
    learner.drill("slope", seconds=40)
    learner.drill("value-forward", outcome="give_up")
    data = store.export_data()
    data["reviews"], data["cards"] = [], []  # as an export from before spaced repetition would be
    fresh = Store(tmp_path / "c.sqlite3", catalog=catalog)
    fresh.import_data(data)
    assert [r.rating_name for r in fresh.reviews()] == ["easy", "again"]
    fresh.close()


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="something-else"), "not a gradrill progress export"),
    (lambda d: d.update(version=EXPORT_VERSION + 1), "newer"),
    (lambda d: d.update(version="1"), "bad \"version\""),
    (lambda d: d.update(attempts={}), "must be a list"),
    (lambda d: d["attempts"][0].pop("started_at"), 'attempts\\[0\\] has no "started_at"'),
    (lambda d: d["attempts"][0].update(hints_used="three"), "attempts\\[0\\].hints_used must be an integer"),
    (lambda d: d["sessions"][0]["items"][0].update(due=5), "sessions\\[0\\].items\\[0\\].due must be a time"),
    (lambda d: d["attempts"][-1].update(status="won"), "malformed"),
    (lambda d: d["reviews"][-1].update(rating=7), "malformed"),
    (lambda d: d["sessions"][0]["items"][0].update(kind="bonus"), "malformed"),
])
def test_bad_documents_are_refused_whole(store, catalog, learner, fake_clock, tmp_path, mutate, message):
    practise(store, catalog, learner, fake_clock, days=2, skip=())
    data = store.export_data()
    mutate(data)
    fresh = Store(tmp_path / "d.sqlite3", catalog=catalog)
    with pytest.raises(ImportFormatError, match=message):
        fresh.import_data(data)
    assert fresh.attempts() == [] and fresh.reviews() == [] and fresh.sessions() == []
    fresh.close()


def test_not_json_objects_are_refused(store):
    for bad in (None, [], "x", {"format": EXPORT_FORMAT}):
        with pytest.raises(ImportFormatError):
            store.import_data(bad)


def test_a_days_queue_already_here_is_kept(store, catalog, learner, fake_clock, tmp_path):
    mine = practice.today(store, catalog, settings=SETTINGS, minutes=4)
    other = Store(tmp_path / "e.sqlite3", catalog=catalog)
    theirs = practice.today(other, catalog, settings=SETTINGS)
    assert [i.key for i in mine.items] != [i.key for i in theirs.items]
    report = store.import_data(other.export_data())
    assert report.skipped_sessions == 1
    assert [i.key for i in practice.today(store, catalog, settings=SETTINGS).items] == [i.key for i in mine.items]
    other.close()
