"""Apply tests/conftest.py to every pytest run, including a run of a single notebook."""

pytest_plugins = ["tests.conftest"]
