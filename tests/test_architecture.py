"""The floors hold: misconduct (the project) over vetting and hotline (independent of each other)
over cases (the ground floor). A lower app names no upper app, in an import (nested ones included)
or in a string (a model label, a URL name); no two modules import each other, even through others.
The import contracts are import-linter's (`.importlinter`); the cycle and string checks walk grimp's
graph and each module's syntax tree."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from django.conf import settings

APPS = ("cases", "vetting", "hotline", "misconduct")
# What each app may not name: the apps above it and, for the two siblings, each other.
ABOVE = {
    "cases": {"vetting", "hotline", "misconduct"},
    "vetting": {"hotline", "misconduct"},
    "hotline": {"vetting", "misconduct"},
}
# URL namespaces each app owns (app_name in its urls modules).
URL_NAMESPACES = {"vetting": {"vetting"}, "hotline": {"hotline", "triage"}, "misconduct": set()}


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _strongly_connected(graph) -> list[list[str]]:
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(start):
        # Iterative Tarjan: the module graph is deep enough to trouble recursion.
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_two_modules_import_each_other_even_through_others():
    graph = grimp.build_graph(*APPS, cache_dir=None)
    assert _strongly_connected(graph) == []


def _strings(tree: ast.AST):
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


_APP_REGISTRY_CALLS = {"get_model", "get_app_config", "is_installed", "get_models"}


def _app_registry_arguments(tree: ast.AST) -> set[int]:
    """The string arguments of apps.get_model("hotline", ...) and the like: an app label by itself."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in _APP_REGISTRY_CALLS:
            found |= {id(a) for a in node.args if isinstance(a, ast.Constant)}
    return found


def _names_an_upper_app(text: str, uppers: set[str], *, label_position: bool = False) -> bool:
    for app in uppers:
        if text.startswith(f"{app}.") or (label_position and text == app):
            return True
        if any(text.startswith(f"{ns}:") for ns in URL_NAMESPACES[app]):
            return True
    return False


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_a_lower_app_names_no_upper_app_in_a_string(app):
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        labels = _app_registry_arguments(tree)
        for node in _strings(tree):
            if _names_an_upper_app(node.value, ABOVE[app], label_position=id(node) in labels):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_the_string_check_would_see_an_upper_name():
    tree = ast.parse(
        '"""doc: hotline.x"""\nLABEL = "hotline.hotlinereport"\nURL = "triage:report"\n'
        'SOURCE = "hotline"\nMODEL = apps.get_model("vetting", "PNDCheck")\n'
    )
    labels = _app_registry_arguments(tree)
    found = [
        n.value for n in _strings(tree) if _names_an_upper_app(n.value, ABOVE["cases"], label_position=id(n) in labels)
    ]
    assert found == ["hotline.hotlinereport", "triage:report", "vetting"]
