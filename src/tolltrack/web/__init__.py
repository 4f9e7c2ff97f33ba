"""The web app and REST API (FastAPI, Jinja2 templates, Vega-Lite charts)."""

from tolltrack.web.app import create_app

__all__ = ["create_app"]
