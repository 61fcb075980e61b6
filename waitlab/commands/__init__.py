"""Sub-commands of the ``waitlab`` CLI, one module each (see :mod:`waitlab.cli`)."""
