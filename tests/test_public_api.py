"""The public surface: what ``waitlab.__all__`` promises exists, and the docstring lists it (httpx's check)."""

import waitlab


def test_all_names_exist_and_are_documented():
    for name in waitlab.__all__:
        assert getattr(waitlab, name) is not None
    public = sorted(n for n in waitlab.__all__ if not n[0].isupper() or n == "IngestReport")
    for name in public:
        if name[0].islower():
            assert name in waitlab.__doc__, f"{name} is exported but not listed in the package docstring"
    assert waitlab.__all__ == sorted(waitlab.__all__)


def test_subpackages_load_on_first_use():
    assert hasattr(waitlab.models, "ErlangC")
    assert hasattr(waitlab.sim, "Scenario")
    assert hasattr(waitlab.planning, "solve_roster")
