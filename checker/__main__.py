"""`python -m checker` is the `dsr-check` command."""

from checker.cli import main

main()
