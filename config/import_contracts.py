"""Two import-linter contract types the built-in ones cannot express.

import-linter only sees third-party packages at their top level (``django``, never
``django.db``), and it looks at which modules import which, not at the names imported. Our
architecture needs both (``docs/architecture.md``):

- ``forbidden_submodules``: the pure modules (rules, charts, vocabulary) may use Django's
  translation and formatting helpers but never ``django.db``, directly or through any
  project module they import. The imports are read from the source with ``ast``, so
  ``from django.db.models import Q`` is caught however it is spelled.
- ``no_private_imports``: no module imports another module's ``_private`` name or a
  ``_private`` module: what crosses a module boundary is public, and so is documented.

Both are registered in ``pyproject.toml`` (``[tool.importlinter] contract_types``) and run
by ``lint-imports`` in ``make test``.
"""

from __future__ import annotations

import ast
import importlib.machinery
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


@dataclass(frozen=True)
class ImportLine:
    importer: str
    line: int
    module: str  # the module imported from (absolute)
    names: tuple[str, ...]  # the names imported from it; empty for ``import x.y``


@cache
def _imports_of(module: str) -> tuple[ImportLine, ...]:
    """Every import statement in ``module``'s source, with relative imports resolved."""
    origin = _origin(module)
    if origin is None:
        return ()
    with open(origin, encoding="utf-8") as source:
        tree = ast.parse(source.read(), filename=origin)
    is_package = origin.endswith("__init__.py")
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                lines.append(ImportLine(module, node.lineno, alias.name, ()))
        elif isinstance(node, ast.ImportFrom):
            lines.append(
                ImportLine(
                    module,
                    node.lineno,
                    _absolute(module, is_package, node.module, node.level),
                    tuple(alias.name for alias in node.names),
                )
            )
    return tuple(lines)


def _origin(module: str) -> str | None:
    """The source file of ``module``, found without importing it or its packages (importing
    a models package would need Django set up)."""
    spec, search = None, None
    for depth, part in enumerate(module.split(".")):
        spec = importlib.machinery.PathFinder.find_spec(
            part if depth == 0 else f"{spec.name}.{part}", search
        )
        if spec is None:
            return None
        search = spec.submodule_search_locations
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return spec.origin


def _absolute(importer: str, is_package: bool, name: str | None, level: int) -> str:
    if not level:
        return name or ""
    parts = importer.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


class ForbiddenSubmodulesContract(Contract):
    """Source modules, and every project module they import, never import ``forbidden``
    submodules of a third-party package, except those listed in ``allowed``.

    Options: ``source_modules`` (module expressions), ``forbidden`` (dotted names such as
    ``django.db``), ``allowed`` (dotted names that stay permitted, e.g.
    ``django.db.models.enums``).
    """

    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    forbidden = fields.ListField(subfield=fields.StringField())
    allowed = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = {m.name for m in module_expressions_to_modules(graph, self.source_modules)}
        violations = []
        for source in sorted(sources):
            reached = {source} | set(graph.find_upstream_modules(source))
            for module in sorted(reached):
                for line in self._offending(module):
                    violations.append((source, line))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def _offending(self, module: str) -> Iterator[ImportLine]:
        """``from django.db import models`` reaches ``django.db.models``: what a line
        reaches is the module, or the module joined with each name it imports."""
        for line in _imports_of(module):
            reached = [f"{line.module}.{name}" for name in line.names] or [line.module]
            if any(
                any(_within(target, f) for f in self.forbidden)
                and not any(_within(target, a) for a in self.allowed)
                for target in reached
            ):
                yield line

    def render_broken_contract(self, check: ContractCheck) -> None:
        for source, line in check.metadata["violations"]:
            via = "" if line.importer == source else f" (through {line.importer})"
            output.print_error(
                f"{source}{via} imports {line.module} "
                f"({line.importer}:{line.line}), which is forbidden here.",
                bold=False,
            )
            output.new_line()


class NoPrivateImportsContract(Contract):
    """No module of ``modules`` imports a ``_private`` name from, or a ``_private`` module of,
    another project module. Dunder names (``__version__``) are not private."""

    modules = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        roots = {m.name for m in module_expressions_to_modules(graph, self.modules)}
        checked = set()
        for root in roots:
            checked |= {root} | set(graph.find_descendants(root))
        internal = {m for m in graph.modules if not graph.is_module_squashed(m)}
        violations = []
        for module in sorted(checked):
            for line in _imports_of(module):
                if not any(_within(line.module, m) for m in internal):
                    continue
                private = [p for p in line.module.split(".") if _is_private(p)]
                private += [name for name in line.names if _is_private(name)]
                if private:
                    violations.append((line, private))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line, names in check.metadata["violations"]:
            output.print_error(
                f"{line.importer}:{line.line} imports private {', '.join(names)} "
                f"from {line.module}.",
                bold=False,
            )
            output.new_line()


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
