"""Endpoints about the API itself: its OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, jsonify

from zone.api.openapi import openapi_document
from zone.web.access import PUBLIC, allow

api_bp = Blueprint("api_meta", __name__, url_prefix="/api/v1")


@api_bp.get("/openapi.json")
@allow(PUBLIC)
def openapi_json():
    response = jsonify(openapi_document())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
