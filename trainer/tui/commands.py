"""Command palette (ctrl+p): open any drill by name, and every action of the current screen."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..core.quiz.families import FAMILIES
from .format import STATUS, status_of


class DrillCommands(Provider):
    """``Open: <title>`` for every challenge."""

    async def search(self, query: str) -> Hits:
        app = self.app
        matcher = self.matcher(query)
        progress = app.store.progress()
        for c in app.catalog:
            mark, words, _ = STATUS[status_of(progress.get(c.id))]
            command = f"Open: {c.title}"
            score = max(matcher.match(command), matcher.match(c.id))
            if score > 0:
                yield Hit(score, matcher.highlight(command), partial(app.open_challenge, c.id),
                          help=f"{mark} {words} · {c.id} · {c.kind}")


class ActionCommands(Provider):
    """The current screen's actions (the same as its keys), plus help and stats."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        screen = self.screen
        from .screens.challenge import ChallengeScreen
        from .screens.home import HomeScreen

        out: list[tuple[str, str, object]] = []
        if isinstance(screen, ChallengeScreen):
            c = screen.challenge
            out += [
                ("Save and check", "Write the editor's text to your file and run the checks (ctrl+s)",
                 screen.action_save),
                ("Check the file on disk", "Run the checks on the file as it is on disk (ctrl+r)",
                 screen.action_check),
                ("Next hint", "Show one more hint; hints are counted (ctrl+t)", screen.action_hint),
                ("Show the solution", "After a pass, or give up first (f2)", screen.action_solution),
                ("Open in $EDITOR", "Edit your file in your own editor (ctrl+o)", screen.action_external_editor),
                ("Toggle watch mode", "Re-run the checks when the file changes on disk (f4)",
                 screen.action_toggle_watch),
                ("Reset this drill", "Back to the starter, clock from zero; your file is archived (f8)",
                 screen.action_reset),
                ("Toggle the prompt pane", "More room for the editor (ctrl+b)", screen.action_toggle_prompt),
                ("Back to the challenges", "The home screen (escape)", screen.action_back),
            ]
            if c.graph:
                out.append(("Draw the graph", f"The expression graph of {c.graph}() from your file (ctrl+g)",
                            screen.action_graph))
            if screen.drill.ended_as == "pass":
                out.append(("Next drill", "Open the next challenge (ctrl+n)", screen.action_next))
        elif isinstance(screen, HomeScreen):
            out += [
                ("Continue", "Open the first drill you have not passed yet (c)", screen.action_continue),
                ("Stats", "Your practice statistics (s)", screen.action_stats),
            ]
        out.append(("Quiz", "Chain-rule self-test: the family most due (z on the home screen)",
                    partial(app.open_quiz, None)))
        out += [(f"Quiz: {f.name}", f"{f.title} (levels 1 to {f.max_level})", partial(app.open_quiz, f.name))
                for f in FAMILIES.values()]
        out.append(("Help", "Keys, watch mode, where your files live (f1)", app.action_help))
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
