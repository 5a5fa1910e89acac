# `python -m loaders` is the command's older name in ../shared/interchange.md: kept, and
# the one import of cli/ outside it (import-linter: ignore_imports in pyproject.toml).
from cli import main

raise SystemExit(main())
