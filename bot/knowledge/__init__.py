"""Quick answers about the routines, quoted from the city's page.

Pure Python, in-process, no network: `KnowledgeBase.default().answer(question)` gives
an `Answer` (passage, section heading, suggested routine) or None when the page has
no answer, so the bot can say so and offer `hjälp`.
"""

from bot.knowledge.base import Answer, KnowledgeBase

__all__ = ["Answer", "KnowledgeBase"]
