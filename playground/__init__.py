"""The Microsoft 365 Agents Playground launcher: a developer tool, not part of the product."""
