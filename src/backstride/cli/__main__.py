"""`python -m backstride.cli`: the same as the `backstride` command."""

from backstride.cli import main

main()
