"""The HTTP layer: blueprints for the JSON API and the pages, and the OpenAPI document.

``searchsvc.app.create_app`` assembles them; nothing here searches by itself.
"""
