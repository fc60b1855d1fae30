"""The intake cards: one question per branching fact, then the optional customer reference."""

from __future__ import annotations

from bot.domain import FactSpec, Routine

from . import wording as w
from .base import adaptive_card, subtle, submit, text_block


def question_card(routine: Routine, spec: FactSpec, number: int, total: int, error: str | None = None) -> dict:
    body = [subtle(w.QUESTION_OF.format(routine=routine.title, n=number, total=total)),
            text_block(spec.question, weight="Bolder", size="Medium")]
    if spec.note:
        body.append(text_block(spec.note, size="Small", spacing="Small"))
    if error:
        body.append(text_block(error, color="Attention"))
    body.append(_input_for(spec))
    body.append(subtle(w.TYPE_ANSWER_HINT.format(examples=_typing_hint(spec))))
    return adaptive_card(body, [submit(w.NEXT_BUTTON, {"intake": spec.name})])


def _input_for(spec: FactSpec) -> dict:
    if spec.kind == "bool":
        choices = [{"title": spec.yes_label, "value": "ja"}, {"title": spec.no_label, "value": "nej"}]
    elif spec.kind == "choice":
        choices = [{"title": choice.label, "value": choice.value} for choice in spec.choices]
    else:
        return {"type": "Input.Date", "id": "answer", "label": w.YOUR_ANSWER, "isRequired": True,
                "errorMessage": w.CHOOSE_DATE}
    return {"type": "Input.ChoiceSet", "id": "answer", "style": "expanded", "choices": choices,
            "label": w.YOUR_ANSWER, "isRequired": True, "errorMessage": w.CHOOSE_ANSWER}


def answer_labels(spec: FactSpec) -> list[str]:
    """The answers as staff read them (also offered as suggested actions in personal chat)."""
    if spec.kind == "bool":
        return [spec.yes_label, spec.no_label]
    return [choice.label for choice in spec.choices]


def _typing_hint(spec: FactSpec) -> str:
    if spec.kind == "bool":
        return w.BOOL_HINT
    if spec.kind == "date":
        return w.DATE_HINT
    return w.CHOICE_HINT.format(choices=", ".join(f"*{c.label}*" for c in spec.choices))


def customer_ref_card(routine: Routine, error: str | None = None) -> dict:
    body = [text_block(w.CUSTOMER_REF_TITLE.format(routine=routine.title), weight="Bolder", size="Medium"),
            text_block(w.CUSTOMER_REF_WARNING, color="Warning")]
    if error:
        body.append(text_block(error, color="Attention"))
    body += [{"type": "Input.Text", "id": "customerRef", "label": w.CUSTOMER_REF_LABEL, "maxLength": 64},
             subtle(w.SKIP_HINT)]
    return adaptive_card(body, [submit(w.SAVE, {"intake": "customerRef"}),
                                submit(w.SKIP, {"intake": "customerRef", "skip": True})])
