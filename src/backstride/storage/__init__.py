"""Django models and the repositories that map rows to core values. Every record has an owner."""
