"""Talking to Teams: the Bot Framework adapter, the activity handler, turn guards, dialog-state
storage, reading an activity and sending messages. The only part of bot/ that knows the Bot Framework."""

from .sdk_dialogs import load_dialogs_without_prompts

load_dialogs_without_prompts()  # before any module here or in dialogs/ imports botbuilder.dialogs
