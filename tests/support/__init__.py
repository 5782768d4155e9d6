"""Helpers shared by the tests (servers, factories); fixtures live in conftest.py."""
