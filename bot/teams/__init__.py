"""Talking to Teams: the Bot Framework adapter, the activity handler, turn guards, dialog-state
storage, reading an activity and sending messages. The only part of bot/ that knows the Bot Framework."""
