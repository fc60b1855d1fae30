"""Every statement on the case tables is in bot/cases/repository.py: no other product module names
the case tables' classes, so a new query cannot bypass the repository unnoticed."""

from __future__ import annotations

import ast

from tests.support.layers import CHECKED_PACKAGES, REPO

CASE_TABLE_CLASSES = {"CaseRow", "CaseEventRow", "CaseReferenceCounterRow"}
ALLOWED = {"bot/cases/repository.py", "bot/cases/tables.py"}


def names_of_case_tables(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in CASE_TABLE_CLASSES:
            found.add(node.id)
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in CASE_TABLE_CLASSES:
            found.add(node.name)
        elif isinstance(node, ast.Attribute) and node.attr in CASE_TABLE_CLASSES:
            found.add(node.attr)
    return found


def test_the_check_sees_a_query_on_the_case_tables():
    source = "from bot.cases.tables import CaseRow\nquery = select(CaseRow.reference)\n"
    assert names_of_case_tables(source) == {"CaseRow"}
    assert names_of_case_tables("import bot.cases.tables as t\nq = select(t.CaseEventRow)\n") == {"CaseEventRow"}


def test_only_the_repository_names_the_case_tables():
    offenders = {}
    for package in CHECKED_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            relative = path.relative_to(REPO).as_posix()
            if relative in ALLOWED:
                continue
            found = names_of_case_tables(path.read_text(encoding="utf-8"))
            if found:
                offenders[relative] = sorted(found)
    assert offenders == {}
