"""Quick answers about the routines, quoted from the city's page.

Pure Python, in-process, no network: `KnowledgeBase.default().answer(question)` gives
an `Answer` (a short passage quoted from the page, its section heading, a routine the
bot may offer to start) or None when the page has no answer, so the bot can say so
and offer `hjälp`. `suggest_routine(text)` maps "kunden ska flytta" to `move`.

How it matches (one module each):
- `page`: the page as sections of sentences, steps, lists, contacts and form links;
- `normalize`: ASCII folding before Snowball's Swedish stemmer, so "aterlamna" meets
  "återlämna"; stopwords; Teams mentions removed;
- `lexicon`: the staff's synonyms and phrases as concepts ("mejl" = "e-post",
  "stänga av"), and the routine intents;
- `analyzer`: words to terms, with compounds split and typos corrected against the
  page's own vocabulary (`fuzzy`);
- `ranking`: a small BM25 over the passages (why not a package: see there);
- `base`: picking the passage, deciding whether it really answers, building the text.
"""

from bot.knowledge.base import Answer, KnowledgeBase

__all__ = ["Answer", "KnowledgeBase"]
