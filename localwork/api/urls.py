"""This app's API routes: (prefix, viewset, basename) triples that ``config/api_urls.py`` registers on one router."""

routes = []
