"""``python -m tolltrack``: the same as the ``tolltrack`` command."""

from tolltrack.cli import app

app()
