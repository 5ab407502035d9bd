"""Declarative procedure definitions: states, actions, roles, guards and notices, by name."""
