"""Makes tests/ a package so that test modules in subfolders may share base names (test_cli.py)."""
