"""The error a scenario that cannot be run raises: it names the file, the key, the value and what is
expected (shared by the loader and the event compiler)."""

from __future__ import annotations

from typing import Any


class ScenarioError(ValueError):
    """A scenario file that cannot be run, with the file, key, value and expectation."""

    def __init__(self, file: str, key: str, value: Any, expected: str) -> None:
        self.file, self.key, self.value, self.expected = file, key, value, expected
        super().__init__(f"{file}: key '{key}': got {value!r}; expected {expected}")
