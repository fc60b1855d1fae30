"""botbuilder.dialogs is loaded without its prompt recognizers, and its prompts still work when asked for."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_the_bot_starts_without_the_prompt_recognizers():
    loaded = _run("import sys, bot.app, dialogs.router, dialogs.intake; "
                  "print(sorted(m for m in sys.modules if m.startswith(('recognizers', 'emoji', "
                  "'botbuilder.dialogs.prompts', 'botbuilder.dialogs.choices', 'botbuilder.dialogs.skills'))))")
    assert loaded == "[]"


def test_the_deferred_names_load_on_first_use():
    out = _run("import dialogs.router, botbuilder.dialogs as d; from botbuilder.dialogs import TextPrompt, ChoicePrompt; "
               "from botbuilder.dialogs.choices import ChoiceFactory; "
               "print(TextPrompt.__module__, ChoicePrompt.__module__, ChoiceFactory.__module__, "
               "d.SkillDialog.__module__, d.prompts.__name__)")
    assert out.split() == ["botbuilder.dialogs.prompts.text_prompt", "botbuilder.dialogs.prompts.choice_prompt",
                           "botbuilder.dialogs.choices.choice_factory", "botbuilder.dialogs.skills.skill_dialog",
                           "botbuilder.dialogs.prompts"]


def test_an_unknown_name_is_still_an_attribute_error():
    out = _run("import dialogs.router, botbuilder.dialogs as d\n"
               "try:\n    d.NoSuchDialog\nexcept AttributeError as e:\n    print('AttributeError')")
    assert out == "AttributeError"
