"""The layout stays as README describes it: SQL only in queries/ and store/, and no
import cycle among the project's modules (the one-way layers between packages are
checked by import-linter in `make test`)."""
from __future__ import annotations

import ast
import re

import grimp
import pytest

from paths import ROOT

PACKAGES = ("paths", "indicators", "loaders", "access", "store", "queries", "charts", "exports", "cli", "views")
SQL_HOMES = ("queries", "store")
# Statements as this project writes them (keywords in capitals), anywhere in a string.
SQL = re.compile(r"\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|\bCREATE (OR REPLACE )?"
                 r"(TEMP )?(TABLE|VIEW|MACRO)\b|\bALTER TABLE\b|\bDROP TABLE\b|\bATTACH\b|\bCOPY FROM\b|\bCHECKPOINT\b"
                 r"|\bWITH \w+ AS \(", re.S)


def sql_strings(path) -> list[int]:
    """Lines of string constants in a module that read as SQL statements."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)]


@pytest.mark.parametrize("package", [p for p in PACKAGES if p not in SQL_HOMES])
def test_no_sql_outside_queries_and_store(package):
    found = {str(path.relative_to(ROOT)): lines for path in (ROOT / package).rglob("*.py")
             if (lines := sql_strings(path))}
    assert found == {}


def test_the_sql_scan_finds_sql():
    assert sql_strings(ROOT / "queries" / "admin.py")


def test_no_import_cycle_among_modules():
    graph = grimp.build_graph(*PACKAGES)
    cycles = {tuple(sorted((m, n))) for m in graph.modules for n in graph.find_modules_directly_imported_by(m)
              if graph.chain_exists(importer=n, imported=m)}
    assert cycles == set()
