"""HTML pages and their JSON twins. Each page is built as one plain dict, then rendered or returned as JSON."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from spacegraph.web.editions import list_editions

bp = Blueprint("pages", __name__)


def _store():
    return current_app.extensions["store"].current()


def home_page() -> dict:
    editions = list_editions(_store())
    return {"title": "spacegraph", "editions": editions}


@bp.get("/")
def home():
    return render_template("home.html", page=home_page())


@bp.get("/index.json")
def home_json():
    return jsonify(home_page())
