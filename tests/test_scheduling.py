"""FSRS scheduling: the rating rules, the whole-day scheduler, and the store's review hook."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from gradrill.core import scheduling
from gradrill.core.scheduling import Card, Rating, State
from gradrill.core.store import Store

from tests.helpers import T0, passing


# -- rating rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("passed, hints, duration, target, expected", [
    (False, 0, 10, 90, Rating.Again),      # a fail
    (False, 3, None, 90, Rating.Again),    # a give-up with hints is still Again
    (True, 1, 20, 90, Rating.Hard),        # a pass with a hint
    (True, 0, 91, 90, Rating.Hard),        # a pass over the target
    (True, 0, 90, 90, Rating.Good),        # exactly on target
    (True, 0, 46, 90, Rating.Good),        # fast, but not well under
    (True, 0, 45, 90, Rating.Easy),        # at most half the target, no hints
    (True, 2, 10, 90, Rating.Hard),        # fast with hints: Hard
    (True, 0, None, 90, Rating.Good),      # untimed pass
    (True, 0, 30, None, Rating.Good),      # no target known
])
def test_rating_rules(passed, hints, duration, target, expected):
    assert scheduling.rate(passed=passed, hints=hints, duration_s=duration, target_s=target) == expected


def test_rate_attempt_by_status():
    class A:
        def __init__(self, status, hints=0, duration=None):
            self.status, self.hints_used, self.duration_s = status, hints, duration

    assert scheduling.rate_attempt(A("pass", 0, 30), 90) == Rating.Easy
    assert scheduling.rate_attempt(A("gave_up"), 90) == Rating.Again
    assert scheduling.rate_attempt(A("abandoned"), 90, failed_runs=2) == Rating.Again
    assert scheduling.rate_attempt(A("abandoned"), 90, failed_runs=0) is None
    assert scheduling.rate_attempt(A("open"), 90) is None


# -- the scheduler ---------------------------------------------------------------------------


def test_scheduler_works_in_whole_days_without_fuzz():
    s = scheduling.scheduler()
    assert s.learning_steps == () and s.relearning_steps == () and not s.enable_fuzzing
    card = scheduling.new_card(1, T0)
    again, _ = scheduling.review(card, Rating.Again, T0)
    assert again.state == State.Review and (again.due - T0) == timedelta(days=1)
    good, log = scheduling.review(card, Rating.Good, T0, duration_s=42.4)
    assert good.state == State.Review and (good.due - T0).days >= 1
    assert log.review_duration == 42400 and log.card_id == 1
    # same history, same schedule (no fuzz)
    assert scheduling.review(card, Rating.Good, T0)[0].due == good.due


def test_intervals_grow_with_good_reviews_and_shrink_after_a_lapse():
    card = scheduling.new_card(7, T0)
    when = T0
    intervals = []
    for _ in range(5):
        card, _ = scheduling.review(card, Rating.Good, when)
        intervals.append(scheduling.interval_days(card))
        when = card.due
    assert intervals == sorted(intervals) and intervals[-1] > 3 * intervals[0], intervals
    lapsed, _ = scheduling.review(card, Rating.Again, when)
    assert scheduling.interval_days(lapsed) < intervals[-1]
    easy, _ = scheduling.review(card, Rating.Easy, when)
    hard, _ = scheduling.review(card, Rating.Hard, when)
    assert scheduling.interval_days(hard) <= scheduling.interval_days(card) <= scheduling.interval_days(easy)


def test_card_json_round_trip_and_replay_match_incremental_reviews():
    card = scheduling.new_card(3, T0)
    history = []
    when = T0
    for rating in (Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy):
        card, _ = scheduling.review(card, rating, when)
        history.append(scheduling.PastReview(int(rating), when))
        when = card.due + timedelta(hours=3)
    again = Card.from_json(card.to_json())
    assert again.to_dict() == card.to_dict()
    replayed, after = scheduling.replay(3, T0, reversed(history))  # order does not matter
    assert replayed.to_dict() == card.to_dict() and len(after) == 5


def test_times_are_normalised_to_utc():
    plus_two = timezone(timedelta(hours=2))
    local = datetime(2026, 3, 2, 10, 0, tzinfo=plus_two)
    assert scheduling.utc(local) == T0 and scheduling.utc(local).tzinfo == timezone.utc
    assert scheduling.utc(datetime(2026, 3, 2, 8, 0)) == T0  # naive: taken as UTC
    card, _ = scheduling.review(scheduling.new_card(1, T0), Rating.Good, local)  # fsrs wants UTC: no error
    assert card.last_review == T0


def test_optimizer_is_an_optional_extra():
    try:
        import torch  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="gradrill\\[optimizer\\]"):
            scheduling.optimize_parameters([])
    else:  # pragma: no cover - only where the extra is installed
        pytest.skip("torch installed: the optimizer is available")


# -- the store's review hook ------------------------------------------------------------------------


def ratings(store: Store, key: str) -> list[str]:
    return [r.rating_name for r in store.reviews(key)]


def test_an_attempts_end_reviews_its_card_in_the_same_transaction(store, learner):
    learner.drill("slope", seconds=40)                 # 40 <= 45 (half of 90): Easy
    learner.drill("value-forward", seconds=100)        # target 120: Good
    learner.drill("add-backward", seconds=100)         # target 90: over, Hard
    learner.drill("mul-backward", seconds=30, hints=1)  # a hint: Hard
    learner.drill("partials", outcome="give_up")       # Again
    assert ratings(store, "slope") == ["easy"]
    assert ratings(store, "value-forward") == ["good"]
    assert ratings(store, "add-backward") == ["hard"]
    assert ratings(store, "mul-backward") == ["hard"]
    assert ratings(store, "partials") == ["again"]
    card = store.card("slope")
    assert card.kind == "challenge" and card.state == "review" and card.due > card.card.last_review
    review = store.reviews("slope")[0]
    attempt = store.attempts("slope")[0]
    assert review.attempt_id == attempt.id and review.reviewed_at == attempt.ended_at
    assert review.duration_ms == round(attempt.duration_s * 1000)
    assert store.sync_reviews() == 0  # nothing left to review: idempotent


def test_failed_runs_alone_do_not_review_but_a_restart_after_them_is_a_fail(store, learner, fake_clock):
    store.start_attempt("slope")
    fake_clock.advance(seconds=30)
    from tests.helpers import failing

    store.record_run("slope", failing())
    assert store.reviews("slope") == []
    fake_clock.advance(seconds=30)
    store.start_attempt("slope", restart=True)  # gave up silently by starting over
    assert ratings(store, "slope") == ["again"]
    fake_clock.advance(seconds=30)
    store.start_attempt("slope", restart=True)  # a restart with no grading is no review
    assert ratings(store, "slope") == ["again"]


def test_a_check_outside_a_timed_attempt_is_no_review(store, fake_clock):
    assert store.record_run("slope", passing()) is None  # nothing started: nothing recorded
    assert store.attempts("slope") == [] and ratings(store, "slope") == []
    # an untimed pass that an older gradrill recorded (no duration) is no review either
    with store._tx() as conn:
        conn.execute("INSERT INTO attempts (challenge, started_at, ended_at, status) VALUES (?, ?, ?, 'pass')",
                     ("slope", T0.isoformat(), T0.isoformat()))
    assert store.sync_reviews() == 0 and ratings(store, "slope") == []


def test_a_failing_review_rolls_the_whole_attempt_back(store, fake_clock, monkeypatch):
    store.start_attempt("slope")
    fake_clock.advance(seconds=50)

    def broken(*args, **kwargs):
        raise RuntimeError("scheduler exploded")

    monkeypatch.setattr(scheduling, "review", broken)
    with pytest.raises(RuntimeError):
        store.record_run("slope", passing())
    attempt = store.attempts("slope")[0]
    assert attempt.status == "open" and store.runs(attempt.id) == [] and store.card("slope") is None
    monkeypatch.undo()
    assert store.record_run("slope", passing()).passed
    assert ratings(store, "slope") == ["good"]


def test_out_of_order_reviews_are_replayed(store, fake_clock):
    store.start_attempt("slope")
    fake_clock.advance(days=3)
    store.record_run("slope", passing())
    later = store.card("slope").card.to_dict()
    # an attempt that ended earlier arrives afterwards (an import, a clock set back): replay
    fake_clock.set(T0 + timedelta(days=1))
    store.give_up("slope")
    card = store.card("slope")
    assert [r.rating_name for r in store.reviews("slope")] == ["again", "hard"]
    expected, _ = scheduling.replay(card.id, card.created_at, [
        scheduling.PastReview(r.rating, r.reviewed_at, r.duration_ms) for r in store.reviews("slope")])
    assert card.card.to_dict() == expected.to_dict() != later


def test_quiz_cards_are_keyed_by_kind(store, fake_clock):
    info = store.review_card("quiz:chain-rule", 3)
    assert info.kind == "quiz" and info.key == "quiz:chain-rule" and info.state == "review"
    with pytest.raises(ValueError):
        store.review_card("slope", 3)
    assert [c.key for c in store.cards(kind="quiz")] == ["quiz:chain-rule"]
    assert store.cards(kind="challenge") == []


def test_review_logs_feed_the_optimizer(store, learner):
    learner.drill("slope")
    learner.drill("value-forward", outcome="give_up")
    logs = store.review_logs()
    assert [int(l.rating) for l in logs] == [3, 1]
    assert {l.card_id for l in logs} == {store.card("slope").id, store.card("value-forward").id}
    assert all(l.review_datetime.tzinfo is not None for l in logs)
