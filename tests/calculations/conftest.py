"""Fixtures of the run pages' tests (tests/calculations/test_pages.py and the browser tests).

The root conftest provides `methodology_v1` (published from config/), `methodology_v2` (France's carbon intensity
raised), `analyst`, `page_client` (the test client logged in as the analyst), `make_run` (a saved run computed
by the services without a file) and `sample_yaml`.
"""
