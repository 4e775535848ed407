"""Apply the lesson's test set-up to every pytest run, including a run of a single notebook:
tests/conftest.py (fixtures, the sample data), and tests/nbval_tolerance.py (numbers from
training compared within a tolerance)."""

pytest_plugins = ["tests.conftest", "tests.nbval_tolerance"]
