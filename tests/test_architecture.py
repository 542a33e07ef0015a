"""The tree shows the architecture: imports only run downward through the layers, and there is no import circle.

The layers, lowest first: ``rules`` (the engine) < ``framework`` (the PMF's
concepts) < ``workbooks`` (every workbook file read or written) <
``pipelines`` (the commands' work) < ``samples`` (this council's published
reports made into samples) < the ``pmf`` command and the public API.
Every import is found, including those inside functions.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pmf_excel"
LAYERS = ("rules", "framework", "workbooks", "pipelines", "samples")
TOP = len(LAYERS)  # the command, the package's __main__ and its public API


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def imports_of(module: str) -> set[str]:
    """The modules of the package that ``module`` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # "from package import submodule" imports the submodule; "from module import name" the module
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in MODULES and name != module}
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_import_runs_downward():
    upward = [f"{module} (layer {LAYERS[layer(module)] if layer(module) < TOP else 'top'}) imports {target}"
              for module, targets in GRAPH.items() for target in sorted(targets)
              if layer(target) > layer(module) or (layer(target) == TOP and layer(module) < TOP)]
    assert not upward, "imports that run upward:\n" + "\n".join(upward)


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` as the modules on it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module], _ = "open", path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (circle := visit(target)):
                return circle
        state[module], _ = "done", path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (circle := visit(module)):
            return circle
    return None


def test_there_is_no_import_circle():
    circle = find_circle(GRAPH)
    assert circle is None, "import circle: " + " → ".join(circle)


def test_the_circle_finder_finds_a_circle():
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("layer_name", LAYERS)
def test_each_layer_is_a_package(layer_name):
    assert (PACKAGE / layer_name / "__init__.py").is_file()


def test_the_readme_layout_names_every_package_and_module_of_the_tree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    listed = {match.group(1) for match in re.finditer(r"^ {2,}(\S+?/|\S+\.py)\s", block, re.MULTILINE)}
    packages = {str(path.parent.relative_to(PACKAGE)) + "/" for path in PACKAGE.rglob("__init__.py")
                if path.parent != PACKAGE}
    top_modules = {path.name for path in PACKAGE.glob("*.py") if path.name not in ("__init__.py", "__main__.py")}
    # a nested package is listed under its parent by its own name, indented
    listed_paths = set()
    parents: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = re.match(r"^( {2,})(\S+?/|\S+\.py)\s", line)
        if not match:
            continue
        indent, name = len(match.group(1)), match.group(2)
        parents = [(i, p) for i, p in parents if i < indent]
        full = (parents[-1][1] if parents else "") + name
        listed_paths.add(full)
        if name.endswith("/"):
            parents.append((indent, full))
    assert listed, "the Layout section lists nothing"
    assert packages <= listed_paths, f"packages missing from the README's Layout: {sorted(packages - listed_paths)}"
    assert top_modules <= listed_paths, f"modules missing from the Layout: {sorted(top_modules - listed_paths)}"
    stale = {name for name in listed_paths if not (PACKAGE / name).exists()}
    assert not stale, f"the Layout names what the tree does not have: {sorted(stale)}"
