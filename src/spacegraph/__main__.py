"""`python -m spacegraph` runs the command line."""

from spacegraph.cli import main

if __name__ == "__main__":
    main()
