"""Packaging: what ``import waitlab`` loads, where the version comes from, and the optional extras."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import waitlab
from waitlab import _kernels
from waitlab.cli import main
from waitlab.exceptions import MissingExtraError, WaitlabError

ROOT = Path(__file__).resolve().parents[1]

#: Loaded on first use only: the numba kernels, the models, and every heavy optional library.
HEAVY = ["numba", "waitlab.models", "waitlab.sim", "waitlab.planning", "waitlab.report", "waitlab.network", "scipy.optimize",
         "scipy.stats", "matplotlib", "simpy", "dask", "distributed", "streamlit", "altair"]


def _fresh(code: str) -> str:
    """Run `code` in a new interpreter with this tree first on the path; its stdout."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_import_waitlab_loads_no_heavy_module():
    out = _fresh("import sys, waitlab\n"
                 "print(waitlab.__file__)\n"
                 f"print(*[m for m in {HEAVY!r} if m in sys.modules])")
    origin, loaded = out.split("\n", 1)
    assert origin == str(ROOT / "waitlab" / "__init__.py")
    assert loaded.split() == []


def test_lazy_names_load_on_first_use():
    out = _fresh("import sys, waitlab\n"
                 "assert waitlab.write_report.__name__ == 'write_report'\n"
                 "assert waitlab.models.ErlangC is not None\n"
                 "from waitlab import _kernels\n"
                 "assert 'numba' not in sys.modules\n"
                 "assert _kernels.count_byte(__import__('numpy').frombuffer(b'a\\nb\\n', 'u1'), 10) == 2\n"
                 "print('numba' in sys.modules, 'waitlab.report' in sys.modules)")
    assert out.split() == ["True", "True"]


def test_every_kernel_name_resolves():
    assert set(_kernels._HOME) == set(_kernels.__all__)
    for name in _kernels.__all__:
        assert getattr(_kernels, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _kernels.nope  # noqa: B018


def test_version_is_the_one_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project.get("dynamic", [])
    assert waitlab.__version__ == project["version"]
    assert '__version__ = "' not in (ROOT / "waitlab" / "__init__.py").read_text(encoding="utf-8")


def test_extras_hold_the_dashboard_and_cluster_libraries():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {d.split(">")[0].split("=")[0] for d in project["dependencies"]}
    extras = {k: {d.split(">")[0] for d in v} for k, v in project["optional-dependencies"].items()}
    assert {"streamlit", "dask", "distributed", "altair"}.isdisjoint(core)
    assert {"streamlit", "altair"} <= extras["dashboard"]
    assert {"dask", "distributed"} <= extras["cluster"]


@pytest.fixture
def no_dask(monkeypatch):
    """dask is not installed: importing it fails as it would without ``waitlab[cluster]``."""
    for name in [m for m in sys.modules if m.split(".")[0] in {"dask", "distributed"}]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # `import dask` raises ImportError


def test_dask_executor_without_dask_names_the_extra(no_dask):
    from waitlab.sim import dask_executor, sweep
    from waitlab.sim._scenario import Scenario

    msg = r"^running simulations on a dask cluster needs dask, which is not installed; install it with " \
          r"`pip install \"waitlab\[cluster\]\"`\.$"
    with pytest.raises(MissingExtraError, match=msg) as err:
        dask_executor("tcp://127.0.0.1:8786")
    assert isinstance(err.value, WaitlabError) and isinstance(err.value, ImportError)
    with pytest.raises(MissingExtraError, match=msg):
        sweep([Scenario.from_toml(_example("mmc"))], replications=1, scheduler="tcp://127.0.0.1:8786")


def test_simulate_scheduler_without_dask_is_one_sentence_and_exit_2(no_dask, capsys):
    code = main(["simulate", "mmc", "-n", "1", "--scheduler", "tcp://127.0.0.1:8786", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == ("waitlab simulate: running simulations on a dask cluster needs dask, which is not installed; "
                   "install it with `pip install \"waitlab[cluster]\"`.\n")


@pytest.mark.slow
def test_demo_needs_neither_extra(tmp_path):
    """`make demo` installs the package alone: the demo runs with streamlit, altair and dask missing."""
    block = "import sys\nfor m in ('streamlit', 'altair', 'dask', 'distributed'): sys.modules[m] = None\n"
    _fresh(block + f"from waitlab.demo import main\nraise SystemExit(main(['--out', {str(tmp_path)!r}]))")
    for rel in ("branch/report.html", "callcenter/staffing.csv", "simulation/simulated_lunch.csv"):
        assert (tmp_path / rel).stat().st_size > 0, rel


def _example(name: str) -> Path:
    from waitlab.sim import example_path

    return example_path(name)


def test_figures_need_neither_pyplot_nor_a_backend():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "waitlab").rglob("*.py"))
    assert "matplotlib.use(" not in sources and "import matplotlib.pyplot" not in sources
    out = _fresh("import io, sys\nimport numpy as np\nfrom waitlab.planning._plots import plan_figure\n"
                 "fig = plan_figure(['08:00', '08:30'], {'plan': np.array([1, 2])}, arrivals=[3, 4])\n"
                 "buf = io.BytesIO()\nfig.savefig(buf, format='png')\n"
                 "print(buf.getvalue()[:4] == b'\\x89PNG', 'matplotlib.pyplot' in sys.modules)")
    assert out.split() == ["True", "False"]


def test_importing_every_module_has_no_side_effects(tmp_path):
    """What doctest collection does: import each module of waitlab. Nothing is printed, written or set."""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c",
         "import importlib, pkgutil, sys, waitlab\n"
         "names = [m.name for m in pkgutil.walk_packages(waitlab.__path__, 'waitlab.')]\n"
         "for name in names: importlib.import_module(name)\n"
         "assert 'waitlab.__main__' in names and 'waitlab.readers._core' in names, names\n"
         "assert 'matplotlib.pyplot' not in sys.modules"],
        capture_output=True, text=True, cwd=tmp_path, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert list(tmp_path.iterdir()) == []
