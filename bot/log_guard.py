"""No personnummer in any log line, at any level.

The bot's own log lines carry ids and references, never activity text; this is the net below
that rule for everything else (libraries, exception texts): every log record is created with a
personnummer in its message or traceback masked. aiosqlite logs each SQL call with its
parameters at DEBUG; those records say nothing an operator needs and are dropped.
"""

from __future__ import annotations

import logging

from .domain import mask_personal_numbers

# Loggers that put SQL parameters (what users typed) into their DEBUG records.
PARAMETER_LOGGERS = ("aiosqlite",)

_installed = False


class _DropDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


def install_log_guard() -> None:
    """Idempotent: wrap the log record factory once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    for name in PARAMETER_LOGGERS:
        logging.getLogger(name).addFilter(_DropDebug())
    previous = logging.getLogRecordFactory()

    def guarded_record(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name in PARAMETER_LOGGERS and record.levelno <= logging.DEBUG:
            record.msg, record.args = "(SQL call; parameters not logged)", ()
            return record
        mask_record(record)
        return record

    logging.setLogRecordFactory(guarded_record)


def mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record is logging's own problem to report
        return
    masked = mask_personal_numbers(message)
    if masked != message:
        record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = mask_personal_numbers(text)
    if record.stack_info:
        record.stack_info = mask_personal_numbers(record.stack_info)
