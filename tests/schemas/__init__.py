"""Helpers of the shape tests."""

from types import ModuleType

from app.schemas.base import Shape


def declared_shapes(*modules: ModuleType) -> set[type[Shape]]:
    """The Shape classes these schema modules declare (not the ones they import)."""
    return {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Shape)
        and value.__module__ == module.__name__
    }


def imported_schema_modules(namespace: dict) -> list[ModuleType]:
    """The app.schemas modules a test module imported (its globals()): the ones it covers."""
    return [
        value
        for value in namespace.values()
        if isinstance(value, ModuleType) and value.__name__.startswith("app.schemas.")
    ]
