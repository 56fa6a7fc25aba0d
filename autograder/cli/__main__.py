"""`python -m autograder.cli`: the same command as `autograder`."""

from autograder.cli import main

main()
