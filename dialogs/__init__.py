"""The conversation layer: commands, the intake dialogs, card actions and replies."""

from bot.teams.sdk_dialogs import load_dialogs_without_prompts

load_dialogs_without_prompts()  # botbuilder.dialogs without its prompt recognizers (docs/performance.md)
