"""Thin views: read the request, call a service (which takes the acting user), render."""
