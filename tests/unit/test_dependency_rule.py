"""The dependency rule (docs/architecture.md), checked on every import of bot/, cards/ and dialogs/."""

from __future__ import annotations

from tests.support.layers import all_crossings, crossings_in, layer_of, unplaced_modules


def test_no_import_crosses_the_layers():
    crossings = all_crossings()
    assert not crossings, "imports against the dependency rule:\n" + "\n".join(map(str, crossings))


def test_every_module_of_bot_has_a_layer():
    assert unplaced_modules() == []


# The checker itself: each of these is a crossing the rule exists to stop.


def test_the_domain_may_not_import_the_sdk():
    found = crossings_in("from botbuilder.core import TurnContext\n", "bot.domain.engine")
    assert [c.imported for c in found] == ["botbuilder.core", "botbuilder.core.TurnContext"]


def test_cards_may_not_import_a_layer_above_them():
    found = crossings_in("from bot.cases.service import CaseService\n", "cards.checklist")
    assert found and "cards layer may not import the cases layer" in found[0].why


def test_an_import_inside_a_function_counts_too():
    source = "def build():\n    from dialogs.router import Router\n    return Router\n"
    found = crossings_in(source, "bot.notifications.worker")
    assert found and found[0].line == 2


def test_a_relative_import_is_resolved_before_it_is_judged():
    found = crossings_in("from ..teams import delivery\n", "bot.cases.retention")
    assert found == []  # cases and teams share the middle layer
    found = crossings_in("from ..teams import delivery\n", "bot.domain.engine")
    assert {c.imported for c in found} == {"bot.teams", "bot.teams.delivery"}


def test_from_package_import_module_is_judged_by_the_module():
    found = crossings_in("from bot import composition\n", "bot.teams.handler")
    assert [c.imported for c in found] == ["bot.composition"]


def test_dialogs_may_use_the_sdk_and_every_layer_below_them():
    source = "from botbuilder.core import TurnContext\nfrom bot.cases.service import CaseService\nimport cards.base\n"
    assert crossings_in(source, "dialogs.router") == []


def test_the_http_edge_may_not_import_the_sdk_itself():
    found = crossings_in("from msrest.exceptions import DeserializationError\n", "bot.app")
    assert found and "root layer may not use the SDK" in found[0].why


def test_the_layers_of_known_modules():
    assert layer_of("bot.domain.clock") == "domain"
    assert layer_of("bot.composition") == "root"
    assert layer_of("bot.teams.activity") == "teams"
    assert layer_of("dialogs.dispatch") == "dialogs"
