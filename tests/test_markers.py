"""The slow-family markers of tests/conftest.py name tests that exist and markers pyproject
registers, so renaming a file or test cannot silently move it into the fast loop."""

import ast
import tomllib
from pathlib import Path

from tests.conftest import SLOW_FAMILIES

TESTS = Path(__file__).parent


def test_slow_families_name_existing_files_and_tests():
    for key in SLOW_FAMILIES:
        path, _, name = key.partition("::")
        assert (TESTS / path).is_file(), key
        if name:
            tree = ast.parse((TESTS / path).read_text(encoding="utf-8"))
            functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
            assert name in functions, key


def test_slow_family_markers_are_registered():
    config = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    registered = {line.split(":")[0] for line in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert set(SLOW_FAMILIES.values()) <= registered
    assert set(SLOW_FAMILIES.values()) == {"fuzz", "matrix", "outage"}
