"""The palette's search: Textual's fuzzy match on an entry's title, and then the entries
whose description holds the words typed, so "pause" finds "Not needed now" (Pause
follow-up…) and 暂停 finds 暂不需要. The titles and descriptions are the ones
SalesbenchApp.get_system_commands gives, in the rep's language."""

from __future__ import annotations

from textual.command import Hit, Hits
from textual.system_commands import SystemCommandsProvider

# below any title match (Textual's fuzzy scores are above 0), still shown
DESCRIBED = 0.001


class DescribedCommands(SystemCommandsProvider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        words = query.strip().casefold()
        for title, help_text, callback, *_rest in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
            elif words and words in help_text.casefold():
                yield Hit(DESCRIBED, title, callback, help=help_text)
