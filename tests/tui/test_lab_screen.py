"""The lab screen, driven with Pilot: step, play/pause, points, datasets, engines, inspect."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradrill.tui.screens.lab import EngineDialog, LabScreen
from gradrill.tui.screens.lab_inspect import LabInspectScreen
from gradrill.tui.widgets.graph_view import GraphView
from gradrill.tui.widgets.lab_digits import DigitsView
from gradrill.tui.widgets.lab_plot import LabPlot
from tests.helpers import wait_for

CANONICAL = Path(__file__).resolve().parents[1] / "fixtures" / "final_canonical.py"


async def open_lab(pilot) -> LabScreen:
    await pilot.press("l")
    assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, LabScreen))
    lab = pilot.app.screen
    assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
    return lab


def message_of(lab: LabScreen) -> str:
    return lab.note[0] if lab.note else ""


@pytest.mark.anyio
async def test_step_and_play_pause(make_app):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        assert lab.session.t == 0
        await pilot.press("n")
        assert await wait_for(pilot, lambda: lab.session.t == 1, timeout=30)
        # the boundary is drawn for the new weights
        assert await wait_for(pilot, lambda: lab._drawn_t == 1, timeout=30)
        plot = lab.query_one(LabPlot)
        assert plot._codes is not None and len(plot._codes) == 2 * plot.size.height
        assert len(set("".join(plot._codes)) - {"!", "#"}) >= 2  # at least two shades of classes
        await pilot.press("space")
        assert lab.playing
        assert await wait_for(pilot, lambda: lab.session.t >= 4, timeout=60)
        await pilot.press("space")
        assert not lab.playing
        assert await wait_for(pilot, lambda: not lab.workers or all(
            w.is_finished for w in lab.workers if w.group == "lab-train"), timeout=30)
        stopped_at = lab.session.t
        await pilot.pause(0.3)
        assert lab.session.t == stopped_at
        assert len(lab.session.history.losses) == stopped_at


@pytest.mark.anyio
async def test_add_move_and_delete_points_with_mouse_and_keys(make_app):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        ds = lab.session.dataset
        n = len(ds.X)
        plot = lab.query_one(LabPlot)
        axes = plot.axes()
        # a click on an empty spot adds a point of the chosen class (3)
        await pilot.press("3")
        col, row = axes.cell_of(2.2, -2.2)
        assert ds.nearest(*axes.point_at(col, row), 0.3) is None
        await pilot.click(LabPlot, offset=(col, row))
        assert len(ds.X) == n + 1 and ds.y[-1] == 2
        x, y = ds.X[-1]
        assert abs(x - 2.2) < 0.1 and abs(y + 2.2) < 0.1
        # a click outside the dataset's box is refused
        if axes.cols > 2 and not axes.inside(*axes.point_at(0, row)):
            await pilot.click(LabPlot, offset=(0, row))
            assert len(ds.X) == n + 1
        # keyboard: the cursor, enter adds, m grabs, arrows move it, m drops, x deletes
        plot.set_cursor(-2.0, 2.0)
        await pilot.press("1", "enter")
        assert len(ds.X) == n + 2 and ds.y[-1] == 0
        await pilot.press("m", "right", "right", "down", "m")
        moved = ds.X[-1]
        assert moved[0] > -2.0 and moved[1] < 2.0
        await pilot.press("x")
        assert len(ds.X) == n + 1
        # the engine trains on the edited points
        await pilot.press("n")
        assert await wait_for(pilot, lambda: lab.session.t == 1, timeout=30)
        assert lab.session.trained_on == n + 1


@pytest.mark.anyio
async def test_switching_datasets(make_app):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("d")
        assert lab.session.dataset.name == "moons"
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        assert lab.session.layout.sizes == (2, 8, 2)
        await pilot.press("d", "d")
        assert lab.session.dataset.name == "digits"
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        digits = lab.query_one(DigitsView)
        assert digits.display and not lab.query_one(LabPlot).display
        assert await wait_for(pilot, lambda: digits.predictions is not None, timeout=30)
        assert len(digits.predictions) == 100
        await pilot.press("n")
        assert await wait_for(pilot, lambda: lab.session.t == 1, timeout=60)


@pytest.mark.anyio
async def test_switching_engines(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        lab.switch_engine(str(CANONICAL))
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        assert lab.session.engine_name == "final_canonical.py"
        await pilot.press("n")
        assert await wait_for(pilot, lambda: lab.session.t == 1, timeout=30)
        # the dialog offers the reference and the workspace's files that define Value and MLP
        workspace = app.workspace.root
        workspace.mkdir(parents=True, exist_ok=True)
        (workspace / "final_checkpoint.py").write_text(CANONICAL.read_text())
        (workspace / "other.py").write_text("x = 1\n")
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EngineDialog))
        specs = [spec for spec, _ in app.screen.candidates()]
        assert specs == ["reference", str(workspace / "final_checkpoint.py")]
        await pilot.press("enter")  # the first option: the reference
        assert await wait_for(pilot, lambda: app.screen is lab)
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        assert lab.session.config.engine == "reference"


@pytest.mark.anyio
async def test_a_broken_engine_shows_its_error_and_the_lab_goes_on(make_app, tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("class Value:\n    def __init__(self, data:\n")
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        lab.switch_engine(str(broken))
        assert await wait_for(pilot, lambda: lab.session.problem is not None, timeout=30)
        assert "broken.py has a syntax error on line 2" in message_of(lab)
        await pilot.press("space")  # refused, no crash
        assert not lab.playing
        lab.switch_engine("reference")
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        assert message_of(lab) == ""


@pytest.mark.anyio
async def test_an_endless_loop_does_not_freeze_the_lab(make_app, tmp_path):
    source = CANONICAL.read_text().replace(
        "        self.grad = 1.0\n", "        self.grad = 1.0\n        while True:\n            pass\n", 1)
    looping = tmp_path / "loops.py"
    looping.write_text(source)
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        lab.session.config = lab.session.config.with_(step_timeout=1.5)
        lab.switch_engine(str(looping))
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        await pilot.press("space")
        # the UI still answers keys while the step spins
        await pilot.press("2")
        assert lab.new_class == 1
        assert await wait_for(pilot, lambda: lab.session.problem is not None, timeout=30)
        assert "took more than 1.5 s for one step: an endless loop?" in message_of(lab)
        assert not lab.playing


@pytest.mark.anyio
async def test_divergence_is_shown_and_training_stops(make_app):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        lab._reconfigure(optimizer="sgd", lr=1e6)
        assert await wait_for(pilot, lambda: lab.session.net is not None, timeout=30)
        await pilot.press("space")
        assert await wait_for(pilot, lambda: lab.session.problem is not None, timeout=60)
        assert lab.session.problem_kind == "diverged"
        assert "diverged at step" in message_of(lab)
        assert not lab.playing
        await pilot.press("r")  # new weights: training can go on
        assert await wait_for(pilot, lambda: lab.session.net is not None and lab.session.problem is None,
                              timeout=30)


@pytest.mark.anyio
async def test_inspect_shows_the_graph_of_one_point_and_a_neuron(make_app):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("n")
        assert await wait_for(pilot, lambda: lab.session.t == 1, timeout=30)
        await pilot.press("i")
        assert await wait_for(pilot, lambda: isinstance(app.screen, LabInspectScreen))
        inspect = app.screen
        assert await wait_for(pilot, lambda: inspect.inspect is not None, timeout=60)
        canvas = inspect.query_one(GraphView).query_one("#graph-canvas")
        text = str(canvas.render())
        assert "loss" in text and "grad" in text
        neuron = str(inspect.query_one("#lab-neuron").render())
        assert "Neuron h1.1" in neuron and "w1.1.1" in neuron and "·x1" in neuron
        await pilot.press("right_square_bracket")
        assert "Neuron h1.2" in str(inspect.query_one("#lab-neuron").render())
        await pilot.press("escape")
        assert app.screen is lab


@pytest.mark.anyio
async def test_the_lab_at_80_by_24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_lab(pilot)
        assert lab.has_class("-narrow")
        plot = lab.query_one(LabPlot)
        assert plot.size.width >= 30 and plot.size.height >= 15
        await pilot.press("n")
        assert await wait_for(pilot, lambda: lab._drawn_t == 1, timeout=30)
        # inspect at 80 columns: the graph gets the width, w shows the weights
        await pilot.press("i")
        assert await wait_for(pilot, lambda: isinstance(app.screen, LabInspectScreen))
        pane = app.screen.query_one("#lab-neuron-pane")
        assert await wait_for(pilot, lambda: pane.has_class("-hidden"))
        await pilot.press("w")
        assert not pane.has_class("-hidden")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is lab)


@pytest.mark.anyio
async def test_the_lab_in_the_command_palette(make_app):
    from gradrill.tui.commands import ActionCommands

    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        provider = ActionCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Training lab" in names
        lab = await open_lab(pilot)
        provider = ActionCommands(lab)
        commands = {name: callback for name, _, callback in provider._commands()}
        assert {"Play / pause training", "One step", "Inspect", "Dataset: two moons"} <= set(commands)
        commands["Dataset: two moons"]()
        assert lab.session.dataset.name == "moons"
        await pilot.press("plus")
        await pilot.press("left_square_bracket")
        assert lab.session.config.lr == 0.03
