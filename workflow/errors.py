"""The product's error family, for the engine and the terminal (defined in rules/errors.py)."""

from rules.errors import (
    BadInputError,
    ConfigError,
    ConflictError,
    DefinitionError,
    NotFoundError,
    RefusedError,
    WorkflowError,
)

__all__ = [
    "BadInputError",
    "ConfigError",
    "ConflictError",
    "DefinitionError",
    "NotFoundError",
    "RefusedError",
    "WorkflowError",
]
