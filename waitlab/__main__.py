import sys

from waitlab.cli import main

sys.exit(main())
