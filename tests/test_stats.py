"""Streaks, the calendar, per-challenge stats, the forecast, and their rendering."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from rich.console import Console

from gradrill.core.text import sparkline
from gradrill.rendering import forecast_chart, heatmap_text, streak_text
from gradrill.core import clock, days, practice, stats
from gradrill.core.settings import Settings

from tests.helpers import SETTINGS, T0


def day0() -> date:
    return T0.date()


def work_queue(store, catalog, learner, **outcome) -> practice.Today:
    t = practice.today(store, catalog, settings=SETTINGS)
    for item in t.items:
        learner.drill(item.key, **outcome)
    return t


def streak(store, catalog, **kw):
    return days.streak(store, catalog, settings=kw.pop("settings", SETTINGS), **kw)


# -- streaks ------------------------------------------------------------------------------------------


def test_no_practice_no_streak(store, catalog):
    s = streak(store, catalog)
    assert (s.current, s.longest, s.today_complete) == (0, 0, False)


def test_a_done_queue_completes_the_day(store, catalog, learner):
    t = practice.today(store, catalog, settings=SETTINGS)
    for item in t.items[:-1]:
        learner.drill(item.key)
    assert not streak(store, catalog, settings=Settings(streak_min_drills=9)).today_complete
    learner.drill(t.items[-1].key)
    s = streak(store, catalog, settings=Settings(streak_min_drills=9))
    assert s.today_complete and s.current == 1 and s.longest == 1


def test_enough_drills_complete_the_day_without_a_queue(store, catalog, learner):
    learner.drill("slope")
    learner.drill("value-forward", outcome="give_up")  # a give-up is a finished drill too
    assert not streak(store, catalog).today_complete
    learner.drill("partials")
    assert streak(store, catalog).today_complete  # 3 == streak_min_drills


def test_today_not_done_yet_does_not_break_the_streak(store, catalog, learner, fake_clock):
    for _ in range(3):
        work_queue(store, catalog, learner)
        fake_clock.advance(days=1)
    s = streak(store, catalog)
    assert s.current == 3 and not s.today_complete and s.longest == 3
    work_queue(store, catalog, learner)
    assert streak(store, catalog).current == 4


def test_a_missed_day_with_work_due_breaks_the_streak(store, catalog, learner, fake_clock):
    for _ in range(3):
        work_queue(store, catalog, learner)
        fake_clock.advance(days=1)
    fake_clock.advance(days=1)  # skipped: reviews were due
    work_queue(store, catalog, learner)
    s = streak(store, catalog)
    assert s.current == 1 and s.longest == 3
    seen = days.day_stats(store, catalog, settings=SETTINGS)
    assert [d.complete for d in seen] == [True, True, True, False, True]
    assert not seen[3].rest and seen[3].drills == 0


def test_rest_days_neither_count_nor_break(home, fake_clock, tmp_path):
    from tests.helpers import Learner, SPEC, make_catalog
    from gradrill.core.store import Store

    tiny = make_catalog(tmp_path / "c", SPEC[:1])  # one challenge: once learned, most days ask nothing
    s = Store(home / "p.sqlite3", catalog=tiny)
    learner = Learner(s, fake_clock)
    work_queue(s, tiny, learner, seconds=80)  # Good: due again in a few days
    due_day = clock.local_today(s.card("slope").due)
    fake_clock.advance(days=1)
    assert practice.today(s, tiny, settings=SETTINGS).items == ()  # a built, empty queue
    # the next days nobody opens gradrill, and nothing is due: rest, not a break
    while clock.local_today() < due_day:
        fake_clock.advance(days=1)
    st = days.streak(s, tiny, settings=SETTINGS)
    assert st.current == 1 and st.longest == 1
    work_queue(s, tiny, learner, seconds=80)
    st = days.streak(s, tiny, settings=SETTINGS)
    assert st.current == 2 and st.today_complete
    seen = days.day_stats(s, tiny, settings=SETTINGS)
    assert seen[0].complete and seen[-1].complete and all(d.rest for d in seen[1:-1])
    # a missed day when the card was due is a break
    fake_clock.set(s.card("slope").due + timedelta(days=1))
    assert days.streak(s, tiny, settings=SETTINGS).current == 0
    s.close()


# -- the calendar ---------------------------------------------------------------------------------------


def test_heatmap_covers_26_weeks_from_a_monday(store, catalog, learner):
    work_queue(store, catalog, learner)
    s = stats.collect(store, catalog, settings=SETTINGS)
    assert s.days[0].day.weekday() == 0 and s.days[-1].day == day0()
    assert len(s.days) == 25 * 7 + day0().weekday() + 1
    assert s.days[-1].drills == 3 and s.days[-1].complete and s.days[-1].level == 2
    text = heatmap_text(s.days, s.today).plain
    rows = text.splitlines()
    assert rows[1].startswith("Mon") and rows[7].startswith("Sun") and "none" in rows[8]
    assert "Mar" in rows[0]
    # without colour the glyphs alone tell the days apart: today (a Monday) completed with 3 drills
    assert rows[1].count("·") == 25 and rows[1].rstrip().endswith("▒")  # the last column has one cell
    assert rows[2].count("·") == 25


def test_heatmap_glyphs_read_without_colour():
    from gradrill.rendering import heat_glyph

    d = day0()
    cells = [heat_glyph(days.DayStat(d)), heat_glyph(days.DayStat(d, drills=1))] + [
        heat_glyph(days.DayStat(d, drills=n, complete=True)) for n in (1, 2, 4, 6)]
    assert cells == ["·", "○", "░", "▒", "▓", "█"]  # six different glyphs, no colour needed


def test_levels():
    assert [days.DayStat(day0(), drills=n).level for n in (0, 1, 2, 3, 4, 5, 6, 20)] == [0, 1, 2, 2, 3, 3, 4, 4]


# -- per challenge --------------------------------------------------------------------------------------


def test_per_challenge_best_attempts_pass_rate_trend(store, catalog, learner, fake_clock):
    learner.drill("slope", seconds=80)
    learner.drill("slope", seconds=60)
    learner.drill("slope", outcome="give_up")
    learner.drill("slope", seconds=70, hints=1)
    store.start_attempt("slope")  # open: not finished, not in the pass rate
    rows = {c.id: c for c in stats.challenge_stats(store, catalog)}
    s = rows["slope"]
    assert (s.attempts, s.finished, s.passes, s.gave_up, s.hints) == (5, 4, 3, 1, 1)
    assert s.pass_rate == 0.75 and s.best_s == pytest.approx(60) and s.last_s == pytest.approx(70)
    assert s.times == pytest.approx((80, 60, 70))
    assert s.reviews == 4 and s.lapses == 1 and s.last_rating == "hard" and s.state == "review"
    assert rows["mlp"].attempts == 0 and rows["mlp"].pass_rate is None and rows["mlp"].state is None
    assert [c.id for c in stats.challenge_stats(store, catalog)] == [c.id for c in catalog]


def test_a_challenge_gone_from_the_catalog_still_shows(store, catalog, learner):
    learner.drill("retired-drill")
    ids = [c.id for c in stats.challenge_stats(store, catalog)]
    assert ids[-1] == "retired-drill" and len(ids) == len(catalog) + 1


def test_sparkline():
    assert sparkline([]) == ""
    assert sparkline([5, 5]) == "▄▄"
    assert sparkline([10, 5, 0]) == "█▅▁" or sparkline([10, 5, 0]) == "█▄▁"
    assert len(sparkline(range(40), width=12)) == 12
    assert sparkline([1, 8])[0] == "▁" and sparkline([1, 8])[-1] == "█"


# -- forecast --------------------------------------------------------------------------------------------


def test_forecast_counts_due_reviews_per_day_overdue_on_today(store, catalog, learner, fake_clock):
    learner.drill("slope", outcome="give_up")           # due tomorrow
    learner.drill("value-forward", outcome="give_up")   # due tomorrow
    learner.drill("partials", seconds=200)              # Hard: a few days
    fake_clock.advance(days=2)                          # the two give-ups are now overdue
    points = stats.forecast(store, days=14)
    assert len(points) == 14 and points[0][0] == clock.local_today()
    assert points[0][1] == 2 + (clock.local_today(store.card("partials").due) <= clock.local_today())
    assert sum(n for _, n in points) == 3
    chart = forecast_chart(points, clock.local_today()).plain.splitlines()
    assert chart[-2].split()[0] == "We" and chart[-1].split()[0] == "4"
    assert chart[0].split() == [str(points[0][1])]  # the tallest bar's count on top
    assert "No reviews" in forecast_chart([(day0(), 0)], day0()).plain


# -- all of it, as JSON and rendered ------------------------------------------------------------------


def test_collect_to_dict_is_json(store, catalog, learner):
    work_queue(store, catalog, learner)
    data = json.loads(json.dumps(stats.collect(store, catalog, settings=SETTINGS).to_dict()))
    assert data["streak"]["current"] == 1 and data["totals"]["drills"] == 3
    assert data["days"] == [{"day": day0().isoformat(), "drills": 3, "passes": 3, "seconds": pytest.approx(180.0),
                             "queue": 3, "queue_done": 3, "complete": True, "rest": False}]
    first = data["challenges"][0]
    assert first["id"] == "slope" and first["card"]["state"] == "review" and first["card"]["reviews"] == 1
    assert len(data["forecast"]) == 14


def test_renderers_fit_80_columns(store, catalog, learner):
    work_queue(store, catalog, learner)
    s = stats.collect(store, catalog, settings=SETTINGS)
    console = Console(width=80, record=True, color_system=None)
    console.print(heatmap_text(s.days, s.today))
    console.print(forecast_chart(s.forecast, s.today))
    console.print(streak_text(s.streak))
    assert max(len(line) for line in console.export_text().splitlines()) <= 80
    assert "streak 1 day" in streak_text(s.streak).plain
