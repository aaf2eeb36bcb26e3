"""``python -m cli`` is the same as the ``wegweiser`` command."""

from cli.main import main

main()
