import pytest

# `monde` is a pytest plugin of tests/test_matrice_objets.py, which imports its names first: registered here, its
# asserts are still rewritten (pytest would otherwise warn and report them bare).
pytest.register_assert_rewrite("tests.matrice.monde")
