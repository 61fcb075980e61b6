import sys

from waitlab.cli import main

if __name__ == "__main__":  # importing this module (doctest collection, docs tools) runs nothing
    sys.exit(main())
