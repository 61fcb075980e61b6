"""Export safety: formula neutralising and salted id hashing."""

import hashlib

import pandas as pd

from waitlab.report._safe import hash_ids, neutralize_cells


def test_every_dangerous_prefix_is_neutralised_and_others_untouched():
    df = pd.DataFrame({
        "name": ["=HYPERLINK(\"http://x\")", "+54 11", "-2+3", "@SUM(A1)", "\tx", "Ana", "a=b", None],
        "n": [-1, 2, 3, 4, 5, 6, 7, 8],
    })
    out = neutralize_cells(df)
    assert out["name"].tolist()[:7] == ["'=HYPERLINK(\"http://x\")", "'+54 11", "'-2+3", "'@SUM(A1)", "'\tx", "Ana", "a=b"]
    assert pd.isna(out["name"].iloc[7])
    assert out["n"].tolist() == df["n"].tolist()  # numbers are data, not formulas
    assert df["name"].iloc[0].startswith("=")  # the input is not modified


def test_string_dtype_and_column_names_are_neutralised():
    df = pd.DataFrame({"=cmd": pd.array(["=1", "ok"], dtype="string")})
    out = neutralize_cells(df)
    assert list(out.columns) == ["'=cmd"]
    assert out.iloc[:, 0].tolist() == ["'=1", "ok"]


def test_hash_is_salted_sha256_and_consistent_across_tables():
    a = pd.DataFrame({"contact_id": ["c1", "c2"], "customer_id": ["20123456", None], "queue": ["caja", "caja"]})
    b = pd.DataFrame({"contact_id": ["c2"]})
    ha, hb = hash_ids(a, "s"), hash_ids(b, "s")
    expected = hashlib.sha256(b"s\x00c1").hexdigest()[:16]  # independent recomputation of the documented rule
    assert ha["contact_id"].iloc[0] == expected
    assert ha["contact_id"].iloc[1] == hb["contact_id"].iloc[0]  # same salt: tables still join
    assert pd.isna(ha["customer_id"].iloc[1])
    assert ha["queue"].tolist() == ["caja", "caja"]
    assert hash_ids(a, "other")["contact_id"].iloc[0] != expected
