"""One error base: every error class lives in waitlab/exceptions.py, and waitlab raises no plain ValueError."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import waitlab.exceptions as exc_module
from waitlab.exceptions import ArgumentError, SimulationError, WaitlabError

PACKAGE = Path(exc_module.__file__).resolve().parent

#: ``raise ValueError(...)`` / ``TypeError`` / ``KeyError`` that a user cannot trigger, by (file, function).
#: report/_html.py::_block: the block kinds come from the report's own Section methods, never from a user.
ALLOWED = {("report/_html.py", "_block")}

PLAIN = {"ValueError", "TypeError", "KeyError"}


class _Raises(ast.NodeVisitor):
    """Collect ``raise ValueError(...)`` (and TypeError, KeyError) with the innermost enclosing function."""

    def __init__(self, rel: str) -> None:
        self.rel, self.stack, self.found = rel, ["<module>"], []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Raise(self, node: ast.Raise) -> None:
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(target, ast.Name) and target.id in PLAIN:
            self.found.append((self.rel, self.stack[-1], node.lineno, target.id))


def _plain_raises() -> list[tuple[str, str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        v = _Raises(rel)
        v.visit(ast.parse(path.read_text(encoding="utf-8"), filename=rel))
        found += v.found
    return found


def test_waitlab_raises_no_plain_value_or_type_error():
    found = _plain_raises()
    offenders = [f"{f}:{line} in {func}()" for f, func, line, _ in found if (f, func) not in ALLOWED]
    assert {(f, func) for f, func, _, _ in found} >= ALLOWED, "an allow-list entry no longer raises: drop it"
    assert not offenders, "raise a WaitlabError subclass from waitlab.exceptions instead: " + ", ".join(offenders)


def test_the_ast_walk_finds_a_plain_raise(tmp_path, monkeypatch):
    # the check above must be able to fail: point it at a package holding one plain raise
    (tmp_path / "m.py").write_text("def f(x):\n    if x:\n        raise ValueError('no')\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path)
    assert _plain_raises() == [("m.py", "f", 3, "ValueError")]


def _classes() -> list[type]:
    return [c for _, c in inspect.getmembers(exc_module, inspect.isclass) if c.__module__ == exc_module.__name__]


def test_every_error_class_is_a_waitlab_error_and_a_value_error():
    classes = _classes()
    assert len(classes) >= 11
    for cls in classes:
        assert issubclass(cls, WaitlabError), cls
        if cls is exc_module.MissingExtraError:  # a missing package, not a bad value: an ImportError
            assert issubclass(cls, ImportError) and not issubclass(cls, ValueError)
        elif cls is not WaitlabError:
            assert issubclass(cls, ValueError), f"{cls.__name__} must also be a ValueError"


def test_every_class_is_exported_and_drawn_in_the_docstring():
    names = {c.__name__ for c in _classes()}
    assert set(exc_module.__all__) == names
    doc = exc_module.__doc__ or ""
    assert all(name in doc for name in names)


def test_errors_defined_elsewhere_before_are_the_same_classes():
    import waitlab.models
    import waitlab.planning
    from waitlab.models._validate import ModelInputError
    from waitlab.planning._errors import PlanningError, RosterInfeasibleError, ShiftTemplateError

    assert waitlab.models.ModelInputError is ModelInputError is exc_module.ModelInputError
    assert waitlab.planning.PlanningError is PlanningError is exc_module.PlanningError
    assert waitlab.planning.ShiftTemplateError is ShiftTemplateError is exc_module.ShiftTemplateError
    assert waitlab.planning.RosterInfeasibleError is RosterInfeasibleError is exc_module.RosterInfeasibleError
    assert issubclass(ShiftTemplateError, PlanningError) and issubclass(ModelInputError, ArgumentError)
    e = RosterInfeasibleError("no cover at 10:00", intervals=[4], shortfall=[2])
    assert (e.intervals, e.shortfall, str(e)) == ([4], [2], "no cover at 10:00")


def test_formerly_plain_errors_now_have_their_class():
    import pandas as pd

    from waitlab.analytics import interval_stats
    from waitlab.sim import Distribution, example_path

    with pytest.raises(ArgumentError, match="`name` must be one of branch, branch12h, mmc"):
        example_path("nope")
    with pytest.raises(exc_module.ScenarioError, match="`dist` must be one of"):
        Distribution(dist="uniform", mean=1.0)
    with pytest.raises(exc_module.SchemaError, match="`contacts` must be a pandas DataFrame, got list"):
        interval_stats([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="`interval` must be a positive length"):
        interval_stats(pd.DataFrame({"arrived_at": pd.to_datetime(["2024-01-01"], utc=True)}), interval="-5min")
    assert issubclass(SimulationError, ValueError)
