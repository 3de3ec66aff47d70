"""The daily session: queue rules, stability and resuming, settings, and 30 simulated days."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest

from gradrill.core import clock, days, practice, stats
from gradrill.core.practice import relatedness, space
from gradrill.core.settings import Settings, load as load_settings
from gradrill.core.store import Store, local_day

from tests.helpers import SETTINGS, SPEC, T0, Learner, make_catalog, passing


def today(store, catalog, **kw):
    kw.setdefault("settings", SETTINGS)
    return practice.today(store, catalog, **kw)


def keys(t) -> list[str]:
    return [i.key for i in t.items]


# -- the rules, one at a time -----------------------------------------------------------------------


def test_first_day_new_challenges_in_curriculum_order_capped_with_prerequisites(store, catalog):
    t = today(store, catalog)
    assert all(i.kind == "new" for i in t.items)
    assert len(t.items) == SETTINGS.new_per_day == 3
    # curriculum order: slope, partials (needs slope: earlier in the queue), value-forward
    assert set(keys(t)) == {"slope", "partials", "value-forward"}
    assert keys(t).index("slope") < keys(t).index("partials")
    partials = next(i for i in t.items if i.key == "partials")
    assert partials.waiting_for == ("slope",) and t.next.key == "slope"
    assert t.estimate_s == 2 * (90 + 120 + 120) <= t.budget_s == 20 * 60


def test_related_challenges_are_spaced_apart(store, catalog):
    # slope and partials share a chapter and a tag: value-forward goes between them
    assert keys(today(store, catalog)) == ["slope", "value-forward", "partials"]
    a, b, c = (catalog.get(x) for x in ("add-backward", "mul-backward", "topo-sort"))
    assert relatedness(a, b) == 2 + 2 and relatedness(a, c) == 2 and relatedness(None, a) == 0
    assert [x.id for x in space([a, b, c])] == ["add-backward", "topo-sort", "mul-backward"]
    # never before a prerequisite that is in the same queue
    assert [x.id for x in space([c, a], requires={"topo-sort": {"add-backward"}})] == ["add-backward", "topo-sort"]


def test_the_budget_bounds_new_challenges_in_curriculum_order(store, catalog):
    # 420 s: slope (180) and partials (240) fit exactly
    assert keys(today(store, catalog, minutes=7)) == ["slope", "partials"]


def test_new_challenges_stop_at_the_first_that_does_not_fit(home, catalog, fake_clock):
    s = Store(home / "p2.sqlite3", catalog=catalog)
    t = practice.today(s, catalog, minutes=6, settings=SETTINGS)  # partials (240) does not fit in 180 s left:
    assert keys(t) == ["slope"]  # value-forward (240) is not taken past it
    s.close()


def test_something_is_always_offered_even_over_budget(store, catalog):
    t = today(store, catalog, minutes=1)
    assert keys(t) == ["slope"] and t.estimate_s > t.budget_s


def test_due_reviews_come_first_most_overdue_first(store, learner, catalog, fake_clock):
    for cid in ("slope", "value-forward", "add-backward", "mul-backward"):
        learner.drill(cid, seconds=60, outcome="give_up")  # Again: all due tomorrow, in this order
    fake_clock.advance(days=3)
    t = today(store, catalog)
    reviews = [i for i in t.items if i.kind == "review"]
    assert {i.key for i in reviews} == {"slope", "value-forward", "add-backward", "mul-backward"}
    assert t.items[:4] == tuple(reviews)
    assert reviews[0].key == "slope" and all(i.overdue_days == 2 for i in reviews)
    # add-backward and mul-backward are alike: not back to back
    order = [i.key for i in reviews]
    assert abs(order.index("add-backward") - order.index("mul-backward")) > 1
    assert [i.kind for i in t.items[4:]] == ["new"] * (len(t.items) - 4)


def test_reviews_that_do_not_fit_wait_for_tomorrow(store, learner, catalog, fake_clock):
    for cid in ("slope", "value-forward", "add-backward"):
        learner.drill(cid, outcome="give_up")
    fake_clock.advance(days=1)
    t = today(store, catalog, minutes=4)  # 240 s: slope (90) + value-forward (120); add-backward (90) waits
    assert [i.key for i in t.items if i.kind == "review"] == ["slope", "value-forward"]
    assert store.card("add-backward").due <= clock.now()  # still due


def test_the_queue_is_stable_and_resumable_later_in_the_day(store, learner, catalog, fake_clock, home):
    first = today(store, catalog)
    learner.drill(first.items[0].key)
    fake_clock.advance(hours=5)
    again = today(store, catalog, settings=Settings(daily_minutes=60, new_per_day=9))  # settings changed: no rebuild
    assert keys(again) == keys(first) and again.done_count == 1 and again.items[0].result == "pass"
    other = Store(store.path, catalog=catalog)  # another instance (the TUI and the CLI at once)
    resumed = today(other, catalog)
    assert keys(resumed) == keys(first) and resumed.done_count == 1
    assert resumed.next.key == first.items[1].key
    other.close()


def test_a_drill_taken_outside_the_queue_still_ticks_it(store, catalog, fake_clock):
    t = today(store, catalog)
    key = t.items[1].key
    assert store.record_run(key, passing()) is None  # `gradrill check` with no start: nothing, not done
    assert not today(store, catalog).items[1].done
    store.start_attempt(key)  # `gradrill start`, out of the queue's order
    fake_clock.advance(seconds=60)
    store.record_run(key, passing())
    assert today(store, catalog).items[1].done


def test_a_give_up_ticks_the_item_and_brings_it_back_tomorrow(store, learner, catalog, fake_clock):
    t = today(store, catalog)
    for item in t.items:
        learner.drill(item.key, outcome="give_up" if item.key == "slope" else "pass")
    done = today(store, catalog)
    assert done.complete and done.session.completed_at is not None
    assert next(i for i in done.items if i.key == "slope").result == "gave_up"
    fake_clock.advance(days=1)
    assert "slope" in [i.key for i in today(store, catalog).items if i.kind == "review"]


def test_more_minutes_top_the_queue_up_without_reordering(store, learner, catalog, fake_clock):
    small = today(store, catalog, minutes=4)
    assert keys(small) == ["slope"]
    for item in small.items:
        learner.drill(item.key)
    assert today(store, catalog).complete
    bigger = today(store, catalog, minutes=20)
    assert keys(bigger)[0] == "slope" and len(bigger.items) == 3 and not bigger.complete
    assert bigger.budget_s == 1200 and bigger.items[0].done
    assert len({i.key for i in bigger.items if i.kind == "new"}) <= SETTINGS.new_per_day
    assert keys(today(store, catalog, minutes=5)) == keys(bigger)  # fewer minutes change nothing


def test_challenges_met_outside_the_queue_count_against_the_new_cap(store, learner, catalog, fake_clock):
    learner.drill("value-forward")
    learner.drill("add-backward")
    t = today(store, catalog)
    assert [i.kind for i in t.items] == ["new"] and keys(t) == ["slope"]


def test_an_empty_queue_is_a_rest_day(home, fake_clock, tmp_path):
    tiny = make_catalog(tmp_path / "c", SPEC[:1])
    s = Store(home / "p.sqlite3", catalog=tiny)
    Learner(s, fake_clock).drill("slope", seconds=80)
    fake_clock.advance(days=1)
    t = practice.today(s, tiny, settings=SETTINGS)
    assert t.items == () and not t.complete and t.next is None
    assert days.day_stats(s, tiny, settings=SETTINGS)[-1].rest
    s.close()


def test_days_are_the_learners_local_days(store, catalog, fake_clock, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        fake_clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=timezone.utc))  # 22:00 on Mar 2 in New York
        t = today(store, catalog)
        assert t.day == date(2026, 3, 2) == local_day(clock.now())
        fake_clock.advance(hours=3)  # 01:00 on Mar 3 in New York: a new day, a new queue
        assert today(store, catalog).day == date(2026, 3, 3)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_settings_file(home):
    path = home / "config" / "settings.toml"
    assert load_settings(path) == Settings()
    path.parent.mkdir(parents=True)
    path.write_text("[practice]\ndaily_minutes = 35\nnew_per_day = 2\n[tui]\ntheme = 'x'\n")
    assert load_settings() == Settings(daily_minutes=35, new_per_day=2)
    path.write_text("[practice]\ndaily_minutes = -4\nnew_per_day = 'many'\nstreak_min_drills = true\n")
    bad = load_settings()
    assert bad == Settings() and len(bad.problems) == 3 and "daily_minutes" in bad.problems[0]
    path.write_text("[practice\n")
    assert load_settings().problems


# -- thirty days -------------------------------------------------------------------------------------

SKIPPED = {6, 13, 14, 22, 28}  # 28: nothing due, nothing new: a rest day, not a break


def outcome(day: int, cid: str, kind: str) -> dict:
    """How the simulated learner does: mostly passes; exp-backward is hard for a while;
    neuron needs hints; slope is steady."""
    if cid == "exp-backward" and day < 12:
        return {"outcome": "give_up", "seconds": 200}
    if cid == "neuron":
        return {"hints": 1, "seconds": 150}
    if cid == "slope":
        return {"seconds": 70}  # Good every time
    if cid == "topo-sort" and day % 5 == 0:
        return {"fails": 2, "seconds": 200}  # slow with failing runs: Hard
    return {"seconds": 0.8 * next(t for i, _, _, t, _, _ in SPEC if i == cid)}


@pytest.mark.slow
def test_thirty_days_of_practice(home, catalog, fake_clock):
    path = home / "data" / "progress.sqlite3"
    s = Store(path, catalog=catalog)
    learner = Learner(s, fake_clock)
    expected_days: dict[date, str] = {}
    slope_intervals: list[float] = []
    for n in range(30):
        fake_clock.set(T0 + timedelta(days=n, hours=1))  # 09:00
        day = clock.local_today()
        if n in SKIPPED:
            would = practice.plan(s, catalog, day, SETTINGS.daily_minutes * 60, SETTINGS.new_per_day)
            expected_days[day] = "broken" if would else "rest"
            continue
        cards_before = {c.key: c for c in s.cards()}
        passed_before = s.passed_challenges()
        t = practice.today(s, catalog, settings=SETTINGS)

        # -- the queue's rules, checked against the state before it was built
        due_keys = {k for k, c in cards_before.items() if local_day(c.due) <= day}
        reviews = [i for i in t.items if i.kind == "review"]
        news = [i for i in t.items if i.kind == "new"]
        assert t.items[:len(reviews)] == tuple(reviews), "reviews first"
        assert {i.key for i in reviews} <= due_keys
        left_out = due_keys - {i.key for i in reviews}
        for key in left_out:  # a due review is left out only when the budget is full
            assert t.estimate_s + catalog.get(key).target_seconds > t.budget_s, (day, key)
        if reviews:
            most_overdue = sorted(due_keys - left_out, key=lambda k: cards_before[k].due)
            assert reviews[0].key in most_overdue[:practice.SPACING_WINDOW]
        assert len(news) <= SETTINGS.new_per_day
        assert not {i.key for i in news} & set(cards_before), "a learned challenge is never new again"
        order = [c.id for c in catalog]
        for i, item in enumerate(news):
            earlier = {x.key for x in news[:i]}
            assert set(item.challenge.prerequisites) <= passed_before | earlier, (day, item.key)
        if news:  # curriculum order: nothing open to start was passed over
            last = max(order.index(x.key) for x in news)
            queued = {x.key for x in news}
            for cid in order[:last]:
                if cid not in cards_before and cid not in queued:
                    prereqs = set(catalog.get(cid).prerequisites)
                    assert not prereqs <= passed_before | queued, (day, cid, "skipped though open")

        # -- practice: half the queue, leave, come back in the afternoon with a new instance
        half = len(t.items) // 2 if n == 5 else len(t.items)
        for item in t.items[:half]:
            learner.drill(item.key, **outcome(n, item.key, item.kind))
            fake_clock.advance(seconds=30)
        if n == 5:
            s.close()
            fake_clock.advance(hours=6)
            s = Store(path, catalog=catalog)
            learner = Learner(s, fake_clock)
            resumed = practice.today(s, catalog, settings=SETTINGS)
            assert keys(resumed) == keys(t) and resumed.done_count == half
            for item in resumed.items[half:]:
                learner.drill(item.key, **outcome(n, item.key, item.kind))
        done = practice.today(s, catalog, settings=SETTINGS)
        assert keys(done) == keys(t), "stable all day"
        expected_days[day] = "complete" if done.items else "rest"
        if done.items:
            assert done.complete

        # -- the streak, against an independent count
        streak = days.streak(s, catalog, day, SETTINGS)
        current = 0
        for d in sorted(expected_days, reverse=True):
            if expected_days[d] == "complete":
                current += 1
            elif expected_days[d] == "broken":
                break
        assert streak.current == current, (day, expected_days)
        assert streak.today_complete == (expected_days[day] == "complete")

        slope = s.card("slope")
        if slope and (not slope_intervals or slope.interval_days != slope_intervals[-1]):
            slope_intervals.append(slope.interval_days)

    # -- growing intervals for a challenge that keeps being passed easily
    assert len(slope_intervals) >= 3
    assert slope_intervals == sorted(slope_intervals) and slope_intervals[-1] >= 14, slope_intervals
    # the hard one lapsed, then recovered
    exp = [r.rating_name for r in s.reviews("exp-backward")]
    assert exp[:2] == ["again", "again"] and exp[-1] in ("good", "easy")
    assert stats.challenge_stats(s, catalog)[[c.id for c in catalog].index("exp-backward")].lapses >= 2
    # every challenge met, nobody learned twice
    assert {c.key for c in s.cards()} == {c.id for c in catalog}
    # the longest streak matches the runs of complete days (rest days bridge, broken days cut)
    longest = run = 0
    for d in sorted(expected_days):
        if expected_days[d] == "complete":
            run += 1
            longest = max(longest, run)
        elif expected_days[d] == "broken":
            run = 0
    final = days.streak(s, catalog, clock.local_today(), SETTINGS)
    assert final.longest == longest and longest >= 6
    assert "broken" in expected_days.values()
    assert expected_days[(T0 + timedelta(days=28)).date()] == "rest"  # skipped, but nothing was asked
    # the forecast only holds what is due ahead, overdue on today
    points = stats.forecast(s, clock.local_today(), 14)
    assert sum(n for _, n in points) == sum(1 for c in s.cards() if local_day(c.due) < clock.local_today() + timedelta(days=14))
    s.close()
