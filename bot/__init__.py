"""Larmlotsen: a Teams bot for the City of Stockholm's safety-alarm and keyless home-care routines."""

__version__ = "0.1.0"
